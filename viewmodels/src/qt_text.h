#pragma once

// Private to the view models: core's names (std::string_view, UTF-8) as QStrings for QML.

#include <QString>

#include <string_view>

namespace waferscope::viewmodels {

[[nodiscard]] inline QString qText(std::string_view text)
{
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

} // namespace waferscope::viewmodels
