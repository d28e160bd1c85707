#pragma once

/// AlarmDefinition: one alarm the machine can raise — its tag ("vacuum.low"), the source it watches
/// ("vacuum"), the message an operator reads, its priority, whether it latches, and its filters.
/// Tag: lower-case letters, digits, '.', '-' and '_'; the tag names the alarm everywhere.
/// Delays: the condition must stay active for onDelay before the alarm activates, and inactive for
/// offDelay before the alarm returns to normal, so chatter shorter than a delay never shows.
/// Chattering: an alarm that activates more than chatterCount times within chatterWindow is
/// chattering; chatterCount 0 turns this filter off.
/// Shelving: an operator may shelve the alarm for at most maxShelveDuration; zero means it may not
/// be shelved at all.
/// Start interlock: while an alarm with blocksStart is unacknowledged, no run may start, so that a
/// technician looks at the machine first (acknowledging needs that permission).
/// Validation: validate() throws ValidationError (subject "alarm definition '<tag>'") naming every
/// wrong field and what is wrong with it.
/// Threads: a value. Allocates: its strings.

#include <chrono>
#include <cstdint>
#include <string>

#include <waferscope/core/alarms/alarm_priority.h>

namespace waferscope::core {

struct AlarmDefinition {
    std::string tag;
    std::string source;
    std::string message;
    AlarmPriority priority = AlarmPriority::Medium;
    bool isLatching = false;
    std::chrono::milliseconds onDelay{0};
    std::chrono::milliseconds offDelay{0};
    std::uint32_t chatterCount = 0;
    std::chrono::milliseconds chatterWindow{0};
    /// One shift by default.
    std::chrono::milliseconds maxShelveDuration = std::chrono::hours(8);
    bool blocksStart = false;

    void validate() const;

    friend bool operator==(const AlarmDefinition &, const AlarmDefinition &) = default;
};

} // namespace waferscope::core
