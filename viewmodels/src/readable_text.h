#pragma once

// Private to the view models: how the tables write names and times — core's stable names made into
// words ("returned-to-normal" → "Returned to normal") and wall-clock times in local time.

#include <QDateTime>
#include <QString>

#include <chrono>
#include <string_view>

#include "qt_text.h"

namespace waferscope::viewmodels {

[[nodiscard]] inline QString readable(std::string_view name)
{
    QString text = qText(name);
    text.replace(QLatin1Char('-'), QLatin1Char(' '));
    if (!text.isEmpty()) {
        text[0] = text[0].toUpper();
    }
    return text;
}

[[nodiscard]] inline QDateTime localTime(std::chrono::system_clock::time_point at)
{
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count();
    return QDateTime::fromMSecsSinceEpoch(ms);
}

/// "2024-06-17 14:00:05".
[[nodiscard]] inline QString timeText(const QDateTime &at)
{
    return at.toString(QStringLiteral("yyyy-MM-dd hh:mm:ss"));
}

} // namespace waferscope::viewmodels
