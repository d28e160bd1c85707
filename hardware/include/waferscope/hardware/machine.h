#pragma once

/// Machine: one inspection machine — its devices, and the die grid of the wafers it inspects. The
/// composition root builds one (the simulated machine, or a real one) and hands out its devices.
/// Lifetime: the devices live as long as the machine.
/// Threads: the accessors may be called from any thread. Allocates: nothing.

#include <string_view>

#include <waferscope/core/die_grid.h>
#include <waferscope/hardware/camera.h>
#include <waferscope/hardware/illumination.h>
#include <waferscope/hardware/machine_controller.h>
#include <waferscope/hardware/stage.h>
#include <waferscope/hardware/vacuum_chuck.h>

namespace waferscope::hardware {

class Machine
{
public:
    Machine() = default;
    Machine(const Machine &) = delete;
    Machine &operator=(const Machine &) = delete;
    virtual ~Machine() = default;

    [[nodiscard]] virtual std::string_view name() const noexcept = 0;
    [[nodiscard]] virtual const core::DieGrid &dieGrid() const noexcept = 0;
    [[nodiscard]] virtual Camera &camera() noexcept = 0;
    [[nodiscard]] virtual Stage &stage() noexcept = 0;
    [[nodiscard]] virtual Illumination &illumination() noexcept = 0;
    [[nodiscard]] virtual VacuumChuck &vacuumChuck() noexcept = 0;
    [[nodiscard]] virtual MachineController &controller() noexcept = 0;
};

} // namespace waferscope::hardware
