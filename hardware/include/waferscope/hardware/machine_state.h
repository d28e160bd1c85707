#pragma once

/// MachineState: what the machine controller reports the machine is doing — Idle, or Scanning
/// while a camera acquires a scan plan.
/// Threads: a value. Allocates: nothing.

#include <cstdint>

namespace waferscope::hardware {

enum class MachineState : std::uint8_t { Idle, Scanning };

} // namespace waferscope::hardware
