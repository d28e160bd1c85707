#include <waferscope/hardware/aravis/frame_id_unwrapper.h>

namespace waferscope::hardware::aravis {

namespace {

constexpr std::uint64_t kShortIds = 65535; // 16-bit ids run 1…65535: 0 is never sent

} // namespace

std::optional<std::uint64_t> FrameIdUnwrapper::next(std::uint64_t frameId) noexcept
{
    if (frameId == 0) {
        return std::nullopt;
    }
    m_isExtended = m_isExtended || frameId > kShortIds;
    if (!m_lastId) {
        m_lastId = frameId;
        m_lastCount = 0;
        return m_lastCount;
    }
    std::uint64_t distance = 0;
    if (m_isExtended) {
        if (frameId <= *m_lastId) {
            return std::nullopt;
        }
        distance = frameId - *m_lastId;
    } else {
        // Positions 0…65534 on a ring of 65535; a step of more than half the ring is a late frame.
        distance = ((frameId - 1) + kShortIds - (*m_lastId - 1)) % kShortIds;
        if (distance == 0 || distance > kShortIds / 2) {
            return std::nullopt;
        }
    }
    m_lastId = frameId;
    m_lastCount += distance;
    return m_lastCount;
}

void FrameIdUnwrapper::reset() noexcept
{
    m_lastId.reset();
    m_lastCount = 0;
    m_isExtended = false;
}

} // namespace waferscope::hardware::aravis
