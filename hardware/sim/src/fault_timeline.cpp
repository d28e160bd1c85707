#include "fault_timeline.h"

#include <algorithm>

namespace waferscope::hardware::sim::detail {

namespace {

/// True when `a` is worse for the machine than `b` (both of the same kind).
bool isMoreSevere(const FaultSpec &a, const FaultSpec &b) noexcept
{
    switch (a.kind) {
    case FaultKind::VacuumDrop:
        return a.kpa < b.kpa;
    case FaultKind::FrameLoss:
        return a.fraction > b.fraction;
    case FaultKind::FrameJitter:
        return a.maxDelay > b.maxDelay;
    case FaultKind::FollowingError:
        return a.followingErrorUm > b.followingErrorUm;
    case FaultKind::IlluminationDegrade:
        return a.intensityFactor < b.intensityFactor;
    default:
        return false;
    }
}

} // namespace

FaultTimeline::FaultTimeline(std::span<const FaultSpec> faults, runtime::TimePoint powerOn)
    : m_powerOn(powerOn)
{
    m_entries.reserve(faults.size());
    for (const FaultSpec &spec : faults) {
        m_entries.push_back({spec, {powerOn + spec.start, powerOn + spec.end()}});
    }
    for (const FaultKind kind : kAllFaultKinds) {
        std::vector<Window> windows;
        for (const Entry &entry : m_entries) {
            if (entry.spec.kind == kind) {
                windows.push_back(entry.window);
            }
        }
        std::sort(windows.begin(), windows.end(), [](const Window &a, const Window &b) { return a.start < b.start; });
        std::vector<Window> &merged = m_merged[static_cast<std::size_t>(kind)];
        for (const Window &window : windows) {
            if (!merged.empty() && window.start <= merged.back().end) {
                merged.back().end = std::max(merged.back().end, window.end);
            } else {
                merged.push_back(window);
            }
        }
    }
}

FaultTimeline FaultTimeline::with(const FaultSpec &fault) const
{
    std::vector<FaultSpec> faults;
    faults.reserve(m_entries.size() + 1);
    for (const Entry &entry : m_entries) {
        faults.push_back(entry.spec);
    }
    faults.push_back(fault);
    return FaultTimeline(faults, m_powerOn);
}

std::optional<FaultTimeline::Window> FaultTimeline::windowAt(FaultKind kind, runtime::TimePoint t) const noexcept
{
    for (const Window &window : windows(kind)) {
        if (t >= window.start && t < window.end) {
            return window;
        }
    }
    return std::nullopt;
}

const FaultSpec *FaultTimeline::mostSevereAt(FaultKind kind, runtime::TimePoint t) const noexcept
{
    const FaultSpec *worst = nullptr;
    for (const Entry &entry : m_entries) {
        if (entry.spec.kind == kind && t >= entry.window.start && t < entry.window.end &&
            (worst == nullptr || isMoreSevere(entry.spec, *worst))) {
            worst = &entry.spec;
        }
    }
    return worst;
}

std::span<const FaultTimeline::Window> FaultTimeline::windows(FaultKind kind) const noexcept
{
    return m_merged[static_cast<std::size_t>(kind)];
}

} // namespace waferscope::hardware::sim::detail
