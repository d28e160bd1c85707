#pragma once

// Private to the view models: how the tables write names and times — core's stable names made into
// words ("returned-to-normal" → "Returned to normal") and wall-clock times in local time.

#include <QDateTime>
#include <QObject>
#include <QString>

#include <algorithm>
#include <chrono>
#include <cstdint>
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

/// A length of time as people say it, to the whole second: "12 s", "4 min 10 s", "3 h 5 min", "2 d 4 h".
template<typename Rep, typename Period>
[[nodiscard]] QString durationText(std::chrono::duration<Rep, Period> length)
{
    const auto total = std::max<std::int64_t>(0, std::chrono::duration_cast<std::chrono::seconds>(length).count());
    const std::int64_t days = total / 86400;
    const std::int64_t hours = total % 86400 / 3600;
    const std::int64_t minutes = total % 3600 / 60;
    const std::int64_t seconds = total % 60;
    if (days > 0) {
        return QObject::tr("%1 d %2 h").arg(days).arg(hours);
    }
    if (hours > 0) {
        return QObject::tr("%1 h %2 min").arg(hours).arg(minutes);
    }
    if (minutes > 0) {
        return QObject::tr("%1 min %2 s").arg(minutes).arg(seconds);
    }
    return QObject::tr("%1 s").arg(seconds);
}

} // namespace waferscope::viewmodels
