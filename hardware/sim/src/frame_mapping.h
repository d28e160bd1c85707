#pragma once

/// FrameMapping: where die-local µm (from the die's top-left corner, v down) land in a die's frame,
/// and which part of a die every frame of it shows whole. A frame is centred on its die's centre,
/// then shifted by the die's misregistration.
/// Threads: a value. Allocates: nothing.

#include <algorithm>

#include <waferscope/hardware/sim/simulator_config.h>

#include "die_pattern.h"

namespace waferscope::hardware::sim::detail {

struct FrameMapping {
    explicit FrameMapping(const SimulatorConfig &config) noexcept
        : pitchXUm(config.wafer.pitchXMm * 1000.0)
        , pitchYUm(config.wafer.pitchYMm * 1000.0)
        , pixelUm(config.image.pixelSizeUm)
        , width(config.image.width)
        , height(config.image.height)
        , marginPx(config.image.maxMisregistrationPx + 2.0)
    {
        const double halfW = (width / 2.0 - marginPx) * pixelUm;
        const double halfH = (height / 2.0 - marginPx) * pixelUm;
        visible = {std::max(0.0, pitchXUm / 2.0 - halfW), std::max(0.0, pitchYUm / 2.0 - halfH),
                   std::min(pitchXUm, pitchXUm / 2.0 + halfW), std::min(pitchYUm, pitchYUm / 2.0 + halfH)};
    }

    [[nodiscard]] double toPixelX(double u, double shiftPx) const noexcept
    {
        return (u - pitchXUm / 2.0) / pixelUm + width / 2.0 + shiftPx;
    }
    [[nodiscard]] double toPixelY(double v, double shiftPx) const noexcept
    {
        return (v - pitchYUm / 2.0) / pixelUm + height / 2.0 + shiftPx;
    }
    [[nodiscard]] double toDieU(double x, double shiftPx) const noexcept
    {
        return (x - width / 2.0 - shiftPx) * pixelUm + pitchXUm / 2.0;
    }
    [[nodiscard]] double toDieV(double y, double shiftPx) const noexcept
    {
        return (y - height / 2.0 - shiftPx) * pixelUm + pitchYUm / 2.0;
    }

    double pitchXUm;
    double pitchYUm;
    double pixelUm;
    int width;
    int height;
    double marginPx;
    RectUm visible{}; ///< die-local area inside every frame of the die, whatever its misregistration
};

} // namespace waferscope::hardware::sim::detail
