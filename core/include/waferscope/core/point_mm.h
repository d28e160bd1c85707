#pragma once

/// PointMm: a position on the wafer in millimetres. The wafer centre is (0, 0), x grows to the
/// right and y upward, with the notch down, at (0, −diameter/2).
/// Threads: a value. Allocates: nothing.

namespace waferscope::core {

struct PointMm {
    double x = 0.0;
    double y = 0.0;

    friend bool operator==(const PointMm &, const PointMm &) = default;
};

} // namespace waferscope::core
