#include <waferscope/core/defect_polarity.h>

namespace waferscope::core {

std::string_view toText(DefectPolarity polarity) noexcept
{
    switch (polarity) {
    case DefectPolarity::Bright:
        return "bright";
    case DefectPolarity::Dark:
        return "dark";
    }
    return "bright";
}

std::optional<DefectPolarity> parseDefectPolarity(std::string_view name) noexcept
{
    for (const DefectPolarity polarity : kAllDefectPolarities) {
        if (toText(polarity) == name) {
            return polarity;
        }
    }
    return std::nullopt;
}

} // namespace waferscope::core
