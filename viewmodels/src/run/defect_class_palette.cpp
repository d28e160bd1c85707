#include <waferscope/viewmodels/run/defect_class_palette.h>

#include <algorithm>
#include <cmath>

namespace waferscope::viewmodels {

QColor colorOf(core::DefectClass defectClass) noexcept
{
    // Okabe–Ito, with the two darkest (blue #0072B2, black) left out: on #121417 they vanish.
    switch (defectClass) {
    case core::DefectClass::Unknown:
        return QColor(0xBB, 0xBB, 0xBB); // neutral grey: not classified
    case core::DefectClass::ParticleBright:
        return QColor(0xF0, 0xE4, 0x42); // yellow
    case core::DefectClass::ParticleDark:
        return QColor(0x56, 0xB4, 0xE9); // sky blue
    case core::DefectClass::Scratch:
        return QColor(0xD5, 0x5E, 0x00); // vermillion
    case core::DefectClass::MissingFeature:
        return QColor(0xCC, 0x79, 0xA7); // reddish purple
    case core::DefectClass::ExtraFeature:
        return QColor(0x00, 0x9E, 0x73); // bluish green
    case core::DefectClass::Bridge:
        return QColor(0xE6, 0x9F, 0x00); // orange
    }
    return QColor(0xBB, 0xBB, 0xBB);
}

namespace {

struct Stop {
    double at;
    int r;
    int g;
    int b;
};

// Dark enough that every class colour above stays legible on a die of any count.
constexpr Stop kHeat[] = {
    {0.0, 0x4A, 0x42, 0x2C}, // one defect: dim amber
    {0.5, 0x86, 0x62, 0x1F}, // amber
    {1.0, 0x93, 0x35, 0x27}, // red
};

int mix(int a, int b, double t) noexcept
{
    return static_cast<int>(std::lround(a + (b - a) * t));
}

} // namespace

QColor dieHeatColor(int defects, int maxDefects) noexcept
{
    if (defects <= 0) {
        return QColor(0x2A, 0x36, 0x45); // calm dark grey-blue
    }
    const int top = std::max(maxDefects, defects);
    // Logarithmic: a wafer with one die of 5 000 defects still shows its dies of 3.
    const double t = top <= 1 ? 1.0
                              : std::log(static_cast<double>(defects)) / std::log(static_cast<double>(top));
    const auto *upper = std::find_if(std::begin(kHeat), std::end(kHeat), [t](const Stop &s) { return s.at >= t; });
    if (upper == std::begin(kHeat)) {
        return QColor(upper->r, upper->g, upper->b);
    }
    const Stop &lo = *(upper - 1);
    const Stop &hi = *upper;
    const double f = (t - lo.at) / (hi.at - lo.at);
    return QColor(mix(lo.r, hi.r, f), mix(lo.g, hi.g, f), mix(lo.b, hi.b, f));
}

} // namespace waferscope::viewmodels
