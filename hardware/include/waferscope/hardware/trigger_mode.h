#pragma once

/// TriggerMode: what starts an exposure. FreeRun: the camera's own frame clock, as fast as the
/// stage and the frame rate allow. Software: one Camera::trigger() call per frame.
/// Threads: a value. Allocates: nothing.

#include <cstdint>

namespace waferscope::hardware {

enum class TriggerMode : std::uint8_t { FreeRun, Software };

} // namespace waferscope::hardware
