#include <waferscope/viewmodels/alarms/alarm_log_model.h>

#include <QPointer>

#include <algorithm>

#include <QCoroFuture>

#include <waferscope/core/alarms/alarm_priority.h>
#include <waferscope/core/alarms/alarm_state.h>

#include "qt_text.h"
#include "readable_text.h"
#include "store_read.h"

namespace waferscope::viewmodels {

namespace {

constexpr core::AlarmPriority kPriorities[] = {core::AlarmPriority::Critical, core::AlarmPriority::High,
                                               core::AlarmPriority::Medium, core::AlarmPriority::Low};

std::vector<RecordTableModel::Column> alarmLogColumns()
{
    return {{QObject::tr("Time"), 195},     {QObject::tr("Alarm"), 170},         {QObject::tr("Priority"), 100},
            {QObject::tr("Event"), 170},    {QObject::tr("State change"), 260},  {QObject::tr("User"), 170},
            {QObject::tr("Comment / reason"), 300}, {QObject::tr("Run"), 90}};
}

/// 0 for critical … 3 for low, so that an ascending sort puts the most urgent first.
int rank(core::AlarmPriority priority)
{
    const auto *found = std::find(std::begin(kPriorities), std::end(kPriorities), priority);
    return static_cast<int>(found - std::begin(kPriorities));
}

} // namespace

AlarmLogModel::AlarmLogModel(ConsoleServices services, QObject *parent)
    : LogTableModel(alarmLogColumns(), parent)
    , m_database(services.engine.databaseFile())
{
}

QStringList AlarmLogModel::priorityNames() const
{
    QStringList names{tr("All priorities")};
    for (const core::AlarmPriority priority : kPriorities) {
        names.append(readable(core::toText(priority)));
    }
    return names;
}

void AlarmLogModel::setPriorityIndex(int index)
{
    if (index < 0 || index > static_cast<int>(std::size(kPriorities)) || index == m_priorityIndex) {
        return;
    }
    m_priorityIndex = index;
    Q_EMIT filterChanged();
    applyFilters();
}

QCoro::Task<QString> AlarmLogModel::load()
{
    const QPointer<AlarmLogModel> self(this);
    auto pending = readStore<std::vector<core::AlarmEventRecord>>(
        m_database, [](const core::InspectionStore &store) { return store.recentAlarmEvents(kReadLimit); });
    auto read = co_await pending;
    if (!self) {
        co_return QString();
    }
    if (!read.value) {
        co_return tr("The alarm log cannot be read: %1").arg(QString::fromStdString(read.error));
    }
    m_records = std::move(*read.value);
    co_return QString();
}

std::size_t AlarmLogModel::rebuild()
{
    std::vector<Row> rows;
    for (const core::AlarmEventRecord &record : m_records) {
        const core::AlarmEvent &event = record.event;
        if (m_priorityIndex > 0 && kPriorities[m_priorityIndex - 1] != event.priority) {
            continue;
        }
        const QDateTime at = localTime(record.occurredAt);
        const QString user = event.actor ? qText(event.actor->userName) : QString();
        const QString userCell = event.actor ? tr("%1 (%2)").arg(user, qText(event.actor->role)) : QString();
        const QString tag = event.tag.empty() ? tr("(all alarms)") : qText(event.tag);
        const QString kind = readable(core::toText(event.kind));
        const QString change = readable(core::toText(event.from)) + QStringLiteral(" → ") + readable(core::toText(event.to));
        const QString comment = qText(event.comment);
        const QString run = event.runId.isValid() ? qText(event.runId.toString()) : QString();
        if (!passes(at, user, {tag, kind, comment, run})) {
            continue;
        }
        Row row;
        row.cells = {timeText(at), tag, readable(core::toText(event.priority)), kind, change, userCell, comment, run};
        row.sortKeys = {at.toMSecsSinceEpoch(), tag, rank(event.priority), kind, change, userCell, comment,
                        static_cast<qulonglong>(event.runId.value())};
        row.key = QString::number(event.sequence) + QLatin1Char('@') + QString::number(at.toMSecsSinceEpoch());
        row.tone = qText(core::toText(event.priority));
        row.isEmphasized = event.kind == core::AlarmEventKind::Activated;
        rows.push_back(std::move(row));
    }
    setRows(std::move(rows));
    return m_records.size();
}

} // namespace waferscope::viewmodels
