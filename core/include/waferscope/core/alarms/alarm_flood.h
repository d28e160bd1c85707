#pragma once

/// AlarmFlood: whether the alarm model is in flood, since when, and how many alarm activations lie
/// in the current flood window — as of the latest time the model was given.
/// Threads: a value. Allocates: nothing.

#include <cstddef>
#include <optional>

#include <waferscope/core/alarms/alarm_time.h>

namespace waferscope::core {

struct AlarmFlood {
    bool isFlooding = false;
    /// When the current flood began; nullopt outside a flood.
    std::optional<AlarmTime> since;
    std::size_t activationsInWindow = 0;

    friend bool operator==(const AlarmFlood &, const AlarmFlood &) = default;
};

} // namespace waferscope::core
