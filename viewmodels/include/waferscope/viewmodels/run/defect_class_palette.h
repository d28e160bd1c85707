#pragma once

/// Defect class palette: the colours the wafer map, the defect list and the QML theme give each
/// defect class and each die's defect count, so one defect looks the same everywhere.
/// Classes: colorOf() gives every class its own opaque colour from the Okabe–Ito set, which stays
/// distinguishable under the common colour-vision deficiencies, each legible on the console's dark
/// background (#121417).
/// Heat: dieHeatColor() is a calm dark grey-blue for a die without defects and goes from amber
/// toward red as the count nears the largest count on the wafer; any defect at all shows.
/// Threads: pure functions, any thread. Allocates: nothing.

#include <QColor>

#include <waferscope/core/defect_class.h>

namespace waferscope::viewmodels {

[[nodiscard]] QColor colorOf(core::DefectClass defectClass) noexcept;
/// `defects` on one die of a wafer whose most-hit die has `maxDefects`.
[[nodiscard]] QColor dieHeatColor(int defects, int maxDefects) noexcept;

} // namespace waferscope::viewmodels
