#pragma once

/// FaultTimeline: the configured faults placed on the machine's clock, answering "which fault of
/// this kind is active at t?" without allocating. Faults of one kind that overlap merge into one
/// window; where parameters differ, the most severe active one wins (the lowest pressure, the
/// largest loss, delay or following error, the dimmest lamp).
/// Adding a fault makes a new timeline (with()); this one never changes, so a reader holding it
/// keeps one consistent view however many faults are added meanwhile.
/// Threads: immutable once built; any thread may read it. Allocates: at construction and in with().

#include <array>
#include <optional>
#include <span>
#include <vector>

#include <waferscope/hardware/sim/fault_spec.h>
#include <waferscope/runtime/executor.h>

namespace waferscope::hardware::sim::detail {

class FaultTimeline
{
public:
    struct Window {
        runtime::TimePoint start;
        runtime::TimePoint end; ///< exclusive: the fault is over at end
    };

    FaultTimeline(std::span<const FaultSpec> faults, runtime::TimePoint powerOn);

    /// A new timeline holding this one's faults and `fault` (its start counted from power-on).
    [[nodiscard]] FaultTimeline with(const FaultSpec &fault) const;

    /// The merged window of `kind` that holds `t`, or nullopt.
    [[nodiscard]] std::optional<Window> windowAt(FaultKind kind, runtime::TimePoint t) const noexcept;
    [[nodiscard]] bool isActive(FaultKind kind, runtime::TimePoint t) const noexcept
    {
        return windowAt(kind, t).has_value();
    }
    /// The most severe fault of `kind` active at `t`, or nullptr.
    [[nodiscard]] const FaultSpec *mostSevereAt(FaultKind kind, runtime::TimePoint t) const noexcept;
    /// The merged windows of `kind`, in time order, disjoint.
    [[nodiscard]] std::span<const Window> windows(FaultKind kind) const noexcept;

private:
    struct Entry {
        FaultSpec spec;
        Window window;
    };
    runtime::TimePoint m_powerOn;
    std::vector<Entry> m_entries;
    std::array<std::vector<Window>, std::size(kAllFaultKinds)> m_merged;
};

} // namespace waferscope::hardware::sim::detail
