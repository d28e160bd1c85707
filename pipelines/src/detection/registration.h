#pragma once

/// Registration: where one frame lies on a reference's pixel grid and how bright it is — the frame's
/// pixel (x, y) is gain · T(x + pad + phaseX, y + pad + phaseY) + offset, T bilinearly sampled. A
/// frame whose content lies one pixel further right has a phaseX one smaller.
/// Threads: a value. Allocates: nothing.

namespace waferscope::pipelines::detail {

struct Registration {
    double phaseX = 0.0;
    double phaseY = 0.0;
    double gain = 1.0;
    double offset = 0.0;
};

} // namespace waferscope::pipelines::detail
