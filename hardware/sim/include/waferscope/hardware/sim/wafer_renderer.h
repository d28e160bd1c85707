#pragma once

/// WaferRenderer: draws the frames of simulated wafers — a die pattern (lines, pads, vias) repeated
/// on every die, seen through sensor noise, a slow illumination drift across the wafer and a
/// sub-pixel misregistration per die, with the wafer's defects drawn on top where its WaferTruth
/// says they are.
/// Deterministic: the same configuration, wafer id and die give the same bytes on every call.
/// Cost: the die template and a noise table are built once, at construction; render() resamples the
/// template with a separable bilinear, applies the gain, adds noise read from the table at a random
/// offset per row, then draws the die's defects. It touches each pixel a few times and never
/// evaluates the pattern.
/// Threads: one thread at a time (render() works in scratch rows the renderer owns).
/// Allocates: at construction and in loadWafer(); render() allocates nothing.

#include <cstddef>
#include <memory>
#include <span>

#include <waferscope/core/die_grid.h>
#include <waferscope/core/die_index.h>
#include <waferscope/core/wafer_id.h>
#include <waferscope/hardware/image_format.h>
#include <waferscope/hardware/sim/simulator_config.h>
#include <waferscope/hardware/sim/wafer_truth.h>

namespace waferscope::hardware::sim {

class WaferRenderer
{
public:
    /// Validates `config` (core::ValidationError) and builds the template and the noise table.
    explicit WaferRenderer(const SimulatorConfig &config);
    ~WaferRenderer();
    WaferRenderer(const WaferRenderer &) = delete;
    WaferRenderer &operator=(const WaferRenderer &) = delete;

    [[nodiscard]] const ImageFormat &format() const noexcept;
    [[nodiscard]] const core::DieGrid &dieGrid() const noexcept;

    /// Plans wafer `waferId` (its truth) and makes it the one render() draws.
    void loadWafer(const core::WaferId &waferId);
    [[nodiscard]] bool hasWafer() const noexcept;
    /// The loaded wafer's truth. Throws std::logic_error when no wafer is loaded.
    [[nodiscard]] const WaferTruth &truth() const;

    /// Draws the frame of `die` into `frame` (format().frameBytes() bytes, Mono8), with the lamp at
    /// `illuminationFactor` of its nominal output. Throws std::logic_error when no wafer is loaded,
    /// std::invalid_argument when `frame` is too small, std::out_of_range for a die off the grid.
    void render(core::DieIndex die, std::span<std::byte> frame, double illuminationFactor = 1.0);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace waferscope::hardware::sim
