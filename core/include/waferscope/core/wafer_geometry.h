#pragma once

/// WaferGeometry: a wafer's size and the die lattice drawn on it — a diameter of 200 or 300 mm, a
/// die pitch (default 10 × 12 mm) and an edge exclusion (default 3 mm). The usable area is the
/// circle of radius diameter/2 − exclusion around the wafer centre.
/// Validation: validate() throws ValidationError naming every wrong field and what is wrong with it.
/// Threads: a value. Allocates: nothing, unless validate() throws.

#include <waferscope/core/point_mm.h>

namespace waferscope::core {

struct WaferGeometry {
    double diameterMm = 300.0;
    double pitchXMm = 10.0;
    double pitchYMm = 12.0;
    double edgeExclusionMm = 3.0;

    [[nodiscard]] double radiusMm() const noexcept { return diameterMm / 2.0; }
    [[nodiscard]] double usableRadiusMm() const noexcept { return diameterMm / 2.0 - edgeExclusionMm; }
    /// Where the notch is: straight down from the centre.
    [[nodiscard]] PointMm notch() const noexcept { return {0.0, -radiusMm()}; }

    /// Throws ValidationError (subject "wafer geometry") listing every field that is wrong.
    void validate() const;

    friend bool operator==(const WaferGeometry &, const WaferGeometry &) = default;
};

} // namespace waferscope::core
