#include <waferscope/viewmodels/machine/equipment_times_model.h>

#include <QPointer>
#include <QVariantMap>

#include <QCoroFuture>

#include "readable_text.h"
#include "store_read.h"

namespace waferscope::viewmodels {

namespace {

using Time = core::EquipmentTimes::Time;

constexpr int kShiftHours[] = {6, 14, 22};
/// More records than 7 days hold (one per change, one per 5 minutes); beyond, the newest are kept.
constexpr std::size_t kRecordLimit = 100000;

Time systemTime(const QDateTime &at)
{
    return Time{} + std::chrono::milliseconds(at.toMSecsSinceEpoch());
}

QString percent(double share)
{
    return QStringLiteral("%1 %").arg(share * 100.0, 0, 'f', 1);
}

QString shiftName(int startHour)
{
    return startHour == 6 ? QObject::tr("early") : startHour == 14 ? QObject::tr("late") : QObject::tr("night");
}

QVariantMap rowOf(const core::EquipmentTimes &times, const QDateTime &start, const QDateTime &end, bool isCurrent)
{
    QVariantMap row{
        {QStringLiteral("shift"), QObject::tr("%1 %2, %3–%4%5")
                                      .arg(start.toString(QStringLiteral("ddd d MMM")), shiftName(start.time().hour()),
                                           start.toString(QStringLiteral("HH:mm")), end.toString(QStringLiteral("HH:mm")),
                                           isCurrent ? QObject::tr(" (now)") : QString())},
        {QStringLiteral("nonScheduled"), durationText(times.nonScheduled)},
        {QStringLiteral("availability"), times.operations().count() > 0 ? percent(times.availability()) : QStringLiteral("–")},
        {QStringLiteral("utilization"), times.operations().count() > 0 ? percent(times.utilization()) : QStringLiteral("–")},
    };
    // The keys the page's columns name, in EquipmentState's order.
    static const QString kKeys[] = {QStringLiteral("productive"), QStringLiteral("standby"), QStringLiteral("engineering"),
                                    QStringLiteral("scheduledDown"), QStringLiteral("unscheduledDown")};
    static_assert(std::size(kKeys) == std::size(core::kAllEquipmentStates));
    for (const core::EquipmentState state : core::kAllEquipmentStates) {
        row.insert(kKeys[static_cast<std::size_t>(state)], durationText(times.of(state)));
    }
    return row;
}

} // namespace

EquipmentTimesModel::EquipmentTimesModel(ConsoleServices services, QObject *parent)
    : QObject(parent)
    , m_database(services.engine.databaseFile())
{
    show({}, QDateTime::currentDateTime());
}

QDateTime EquipmentTimesModel::shiftStart(const QDateTime &at)
{
    const QDate day = at.date();
    const int hour = at.time().hour();
    if (hour < kShiftHours[0]) {
        return QDateTime(day.addDays(-1), QTime(kShiftHours[2], 0));
    }
    const int start = hour >= kShiftHours[2] ? kShiftHours[2] : hour >= kShiftHours[1] ? kShiftHours[1] : kShiftHours[0];
    return QDateTime(day, QTime(start, 0));
}

void EquipmentTimesModel::refresh()
{
    static_cast<void>(refreshTask());
}

QCoro::Task<bool> EquipmentTimesModel::refreshTask()
{
    const QPointer<EquipmentTimesModel> self(this);
    const int generation = ++m_generation;
    setLoading(true);
    const QDateTime now = QDateTime::currentDateTime();
    const Time from = systemTime(shiftStart(now).addDays(-kDays)) - kMaxRecordGap;
    const Time to = systemTime(now);
    auto pending = readStore<std::vector<core::TelemetrySample>>(m_database, [from, to](const core::InspectionStore &store) {
        return store.telemetry(std::string(core::kEquipmentStateChannel), from, to, kRecordLimit);
    });
    auto read = co_await pending;
    if (!self || generation != m_generation) {
        co_return false; // gone, or a newer refresh is under way: its result is the one to show
    }
    setLoading(false);
    if (!read.value) {
        m_errorText = tr("The equipment states cannot be read: %1").arg(QString::fromStdString(read.error));
        Q_EMIT changed();
        co_return false;
    }
    std::vector<core::EquipmentStateChange> records;
    records.reserve(read.value->size());
    for (const core::TelemetrySample &sample : *read.value) {
        if (auto record = core::equipmentStateOf(sample)) {
            records.push_back(*record);
        }
    }
    m_errorText.clear();
    show(records, now);
    co_return true;
}

void EquipmentTimesModel::show(std::span<const core::EquipmentStateChange> records, const QDateTime &now)
{
    QVariantList rows;
    QDateTime start = shiftStart(now);
    QDateTime end = now;
    const QDateTime oldest = start.addDays(-kDays);
    bool isCurrent = true;
    while (start >= oldest) {
        const core::EquipmentTimes times = core::equipmentTimes(records, systemTime(start), systemTime(end), kMaxRecordGap);
        QDateTime shiftEnd = isCurrent ? shiftStart(now).addSecs(8 * 3600) : end;
        rows.append(rowOf(times, start, shiftEnd, isCurrent));
        if (isCurrent) {
            m_currentShiftText = rows.back().toMap().value(QStringLiteral("shift")).toString();
            m_availabilityText = times.operations().count() > 0 ? percent(times.availability()) : QStringLiteral("–");
            m_utilizationText = times.operations().count() > 0 ? percent(times.utilization()) : QStringLiteral("–");
        }
        isCurrent = false;
        end = start;
        start = shiftStart(start.addSecs(-1));
    }
    m_shifts = rows;
    Q_EMIT changed();
}

void EquipmentTimesModel::setLoading(bool isLoading)
{
    if (m_isLoading != isLoading) {
        m_isLoading = isLoading;
        Q_EMIT loadingChanged();
    }
}

} // namespace waferscope::viewmodels
