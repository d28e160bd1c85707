#pragma once

/// Illumination: the inspection lamp. setIntensity() changes the set-point (0 to 100 % of full
/// power; anything else completes with HardwareError); state() completes at once from the cached
/// device state.
/// Threads: any thread. Allocates: nothing.

#include <waferscope/hardware/illumination_state.h>
#include <waferscope/runtime/value_task.h>

namespace waferscope::hardware {

class Illumination
{
public:
    Illumination() = default;
    Illumination(const Illumination &) = delete;
    Illumination &operator=(const Illumination &) = delete;
    virtual ~Illumination() = default;

    [[nodiscard]] virtual runtime::ValueTask<void> setIntensity(double percent) = 0;
    [[nodiscard]] virtual runtime::ValueTask<IlluminationState> state() = 0;
};

} // namespace waferscope::hardware
