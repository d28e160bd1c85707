#pragma once

/// EquipmentTimes: how the time of a period divides between the SEMI E10 states, with the
/// availability and utilization E10 derives from them.
///
/// The records are the console's: a change whenever the state changes, and a repeat of the current
/// state at least every `recordInterval` while it runs. A state therefore lasts until the next
/// record, but no longer than `maxGap` after its own record: beyond that the console was not
/// running, and the time is non-scheduled (E10's term for time the equipment is not scheduled to
/// be used — nobody was there to run it).
///   total time        = the period
///   operations time   = total − non-scheduled
///   uptime            = productive + standby + engineering
///   availability      = uptime ÷ operations time       (E10's operational availability)
///   utilization       = productive ÷ operations time   (E10's operational utilization)
/// Threads: a pure function. Allocates: nothing beyond its result.

#include <array>
#include <chrono>
#include <span>

#include <waferscope/core/equipment/equipment_state.h>

namespace waferscope::core {

struct EquipmentTimes {
    using Time = std::chrono::system_clock::time_point;
    using Duration = std::chrono::system_clock::duration;

    Time from;
    Time to;
    /// Indexed by EquipmentState.
    std::array<Duration, 5> inState{};
    Duration nonScheduled{};

    [[nodiscard]] Duration of(EquipmentState state) const noexcept { return inState[static_cast<std::size_t>(state)]; }
    [[nodiscard]] Duration operations() const noexcept { return (to - from) - nonScheduled; }
    [[nodiscard]] Duration uptime() const noexcept
    {
        return of(EquipmentState::Productive) + of(EquipmentState::Standby) + of(EquipmentState::Engineering);
    }
    /// 0…1; 0 when there was no operations time.
    [[nodiscard]] double availability() const noexcept;
    [[nodiscard]] double utilization() const noexcept;
};

/// The times of [from, to) from `records` sorted by time (records before `from` give the state at
/// its start; records after `to` are ignored). A record is trusted for at most `maxGap`.
[[nodiscard]] EquipmentTimes equipmentTimes(std::span<const EquipmentStateChange> records, EquipmentTimes::Time from,
                                            EquipmentTimes::Time to, EquipmentTimes::Duration maxGap);

} // namespace waferscope::core
