#include <waferscope/core/defect_class.h>

namespace waferscope::core {

std::string_view toText(DefectClass defectClass) noexcept
{
    switch (defectClass) {
    case DefectClass::Unknown:
        return "unknown";
    case DefectClass::ParticleBright:
        return "particle-bright";
    case DefectClass::ParticleDark:
        return "particle-dark";
    case DefectClass::Scratch:
        return "scratch";
    case DefectClass::MissingFeature:
        return "missing-feature";
    case DefectClass::ExtraFeature:
        return "extra-feature";
    case DefectClass::Bridge:
        return "bridge";
    }
    return "unknown";
}

std::optional<DefectClass> parseDefectClass(std::string_view name) noexcept
{
    for (const DefectClass defectClass : kAllDefectClasses) {
        if (toText(defectClass) == name) {
            return defectClass;
        }
    }
    return std::nullopt;
}

} // namespace waferscope::core
