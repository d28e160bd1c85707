#pragma once

/// AlarmFloodPolicy: when the alarm model calls the alarm rate a flood. It enters flood when more
/// than `threshold` alarm activations lie within the last `window`, and leaves it when fewer than
/// `threshold` do. The default, more than 10 in 10 minutes, is the flood of ISA-18.2.
/// Validation: validate() throws ValidationError (subject "alarm flood policy") naming every wrong
/// field.
/// Threads: a value. Allocates: nothing, unless validate() throws.

#include <chrono>
#include <cstddef>

namespace waferscope::core {

struct AlarmFloodPolicy {
    std::size_t threshold = 10;
    std::chrono::milliseconds window = std::chrono::minutes(10);

    void validate() const;

    friend bool operator==(const AlarmFloodPolicy &, const AlarmFloodPolicy &) = default;
};

} // namespace waferscope::core
