#include <waferscope/pipelines/run/run_ledger.h>

#include <numeric>

namespace waferscope::pipelines {

std::uint64_t RunLedger::Totals::framesDroppedTotal() const noexcept
{
    return std::accumulate(framesDropped.begin(), framesDropped.end(), std::uint64_t{0});
}

std::uint64_t RunLedger::Totals::cropsDroppedTotal() const noexcept
{
    return std::accumulate(cropsDropped.begin(), cropsDropped.end(), std::uint64_t{0});
}

std::uint64_t RunLedger::Totals::frameSlots() const noexcept
{
    return framesAcquired + dropped(FrameDropReason::LostInCamera) + dropped(FrameDropReason::CameraDisconnected);
}

bool RunLedger::Totals::balances() const noexcept
{
    return framesProcessed + framesDroppedTotal() == frameSlots() && defectsStored == defectsDetected &&
           defectsSentToUi == defectsDetected && defectsInKlarf == defectsDetected;
}

std::uint64_t RunLedger::cropsDropped() const noexcept
{
    std::uint64_t total = 0;
    for (const auto &counter : m_cropsDropped) {
        total += counter.value();
    }
    return total;
}

RunLedger::Totals RunLedger::totals() const noexcept
{
    Totals t;
    t.framesAcquired = m_framesAcquired.value();
    t.framesProcessed = m_framesProcessed.value();
    for (std::size_t i = 0; i < t.framesDropped.size(); ++i) {
        t.framesDropped[i] = m_framesDropped[i].value();
    }
    t.defectsDetected = m_defectsDetected.value();
    t.defectsStored = m_defectsStored.value();
    t.defectsSentToUi = m_defectsSentToUi.value();
    t.defectsInKlarf = m_defectsInKlarf.value();
    t.defectsUnstored = m_defectsUnstored.value();
    t.cropsStaged = m_cropsStaged.value();
    for (std::size_t i = 0; i < t.cropsDropped.size(); ++i) {
        t.cropsDropped[i] = m_cropsDropped[i].value();
    }
    return t;
}

} // namespace waferscope::pipelines
