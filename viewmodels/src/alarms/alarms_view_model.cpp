#include <waferscope/viewmodels/alarms/alarms_view_model.h>

#include <QPointer>

#include <spdlog/spdlog.h>

#include <algorithm>

#include <waferscope/core/alarms/alarm_command_error.h>

#include "qt_text.h"

namespace waferscope::viewmodels {

namespace {

constexpr auto kRefreshInterval = std::chrono::milliseconds(250);
constexpr std::size_t kHistoryCapacity = 5'000;

/// Wall-clock milliseconds of a steady-clock instant, as of now.
qint64 wallMs(core::AlarmTime at)
{
    const auto age = std::chrono::steady_clock::now() - at;
    const auto wall = std::chrono::system_clock::now() - std::chrono::duration_cast<std::chrono::system_clock::duration>(age);
    return std::chrono::duration_cast<std::chrono::milliseconds>(wall.time_since_epoch()).count();
}

QString timeText(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms).toString(QStringLiteral("hh:mm:ss"));
}

bool isListed(const core::AlarmStatus &s)
{
    return s.state != core::AlarmState::Normal || s.isShelved() || s.isSuppressed() || s.isOutOfService();
}

AlarmTableModel::Row makeRow(const core::AlarmStatus &s, qint64 activatedMs, qint64 shelvedUntilMs)
{
    AlarmTableModel::Row row;
    row.tag = QString::fromStdString(s.definition.tag);
    row.priority = qText(core::toText(s.definition.priority));
    row.priorityRank = static_cast<int>(s.definition.priority);
    row.activatedMs = activatedMs;
    row.time = s.activatedAt ? timeText(row.activatedMs) : QString();
    row.source = QString::fromStdString(s.definition.source);
    row.message = QString::fromStdString(s.definition.message);
    row.state = qText(core::toText(s.state));
    row.isUnacknowledged = s.isUnacknowledged;
    row.isShelved = s.isShelved();
    row.isActive = s.isConditionActive;
    if (s.shelve) {
        row.detail = QObject::tr("shelved by %1: %2")
                         .arg(QString::fromStdString(s.shelve->actor.userName), QString::fromStdString(s.shelve->comment));
        if (s.shelvedUntil) {
            row.detail += QObject::tr(" (until %1)").arg(timeText(shelvedUntilMs));
        }
    } else if (s.acknowledgement) {
        row.detail = QObject::tr("acknowledged by %1").arg(QString::fromStdString(s.acknowledgement->actor.userName));
    } else if (s.outOfService) {
        row.detail = QObject::tr("out of service: %1").arg(QString::fromStdString(s.outOfService->comment));
    }
    return row;
}

} // namespace

int AlarmTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

QVariant AlarmTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= static_cast<int>(m_rows.size())) {
        return {};
    }
    const Row &r = m_rows[static_cast<std::size_t>(index.row())];
    switch (role) {
    case TagRole:
        return r.tag;
    case PriorityRole:
        return r.priority;
    case PriorityRankRole:
        return r.priorityRank;
    case TimeRole:
        return r.time;
    case SourceRole:
        return r.source;
    case Qt::DisplayRole:
    case MessageRole:
        return r.message;
    case StateRole:
        return r.state;
    case IsUnacknowledgedRole:
        return r.isUnacknowledged;
    case IsShelvedRole:
        return r.isShelved;
    case IsActiveRole:
        return r.isActive;
    case DetailRole:
        return r.detail;
    default:
        return {};
    }
}

QHash<int, QByteArray> AlarmTableModel::roleNames() const
{
    return {{TagRole, "tag"},       {PriorityRole, "priority"},
            {PriorityRankRole, "priorityRank"}, {TimeRole, "time"},
            {SourceRole, "source"}, {MessageRole, "message"},
            {StateRole, "alarmState"},   {IsUnacknowledgedRole, "isUnacknowledged"},
            {IsShelvedRole, "isShelved"}, {IsActiveRole, "isActive"},
            {DetailRole, "detail"}};
}

void AlarmTableModel::setRows(std::vector<Row> rows)
{
    if (rows == m_rows) {
        return;
    }
    // Tables here hold a handful of rows: a reset is cheap and keeps the delegates simple.
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
}

int AlarmHistoryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

QVariant AlarmHistoryModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= static_cast<int>(m_rows.size())) {
        return {};
    }
    const Row &r = m_rows[static_cast<std::size_t>(index.row())];
    switch (role) {
    case TimeRole:
        return r.time;
    case TagRole:
        return r.tag;
    case PriorityRole:
        return r.priority;
    case FromRole:
        return r.from;
    case ToRole:
        return r.to;
    case SourceRole:
        return r.source;
    case Qt::DisplayRole:
    case MessageRole:
        return r.message;
    default:
        return {};
    }
}

QHash<int, QByteArray> AlarmHistoryModel::roleNames() const
{
    return {{TimeRole, "time"}, {TagRole, "tag"},         {PriorityRole, "priority"}, {FromRole, "from"},
            {ToRole, "to"},     {SourceRole, "source"}, {MessageRole, "message"}};
}

void AlarmHistoryModel::setRows(std::vector<Row> rows)
{
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
}

AlarmsViewModel::AlarmsViewModel(ConsoleServices services, SessionViewModel &session, QObject *parent)
    : QObject(parent)
    , m_services(services)
    , m_session(session)
{
    connect(&m_timer, &QTimer::timeout, this, &AlarmsViewModel::refresh);
    m_timer.start(kRefreshInterval);
    refresh();
}

qint64 AlarmsViewModel::wallTimeOf(const std::string &key, core::AlarmTime at)
{
    // Converted once per instant: converting again at every refresh would differ by the clocks'
    // jitter, make the rows compare unequal and reset the table under the technician's finger.
    auto [it, isNew] = m_wallTimes.try_emplace(key, at, 0);
    if (isNew || it->second.first != at) {
        it->second = {at, wallMs(at)};
    }
    return it->second.second;
}

void AlarmsViewModel::refresh()
{
    const std::vector<core::AlarmStatus> statuses = m_services.engine.alarms();
    std::vector<AlarmTableModel::Row> rows;
    const core::AlarmStatus *banner = nullptr;
    int unacknowledged = 0;
    bool hasNewHistory = false;
    const QString now = timeText(QDateTime::currentMSecsSinceEpoch());
    for (const core::AlarmStatus &s : statuses) {
        if (isListed(s)) {
            const qint64 activated = s.activatedAt ? wallTimeOf(s.definition.tag + "@", *s.activatedAt) : 0;
            const qint64 until = s.shelvedUntil ? wallTimeOf(s.definition.tag + "#", *s.shelvedUntil) : 0;
            rows.push_back(makeRow(s, activated, until));
        }
        if (s.isAnnunciated() && s.isUnacknowledged) {
            ++unacknowledged;
            if (banner == nullptr || core::isMoreUrgent(s.definition.priority, banner->definition.priority) ||
                (s.definition.priority == banner->definition.priority && s.activatedAt > banner->activatedAt)) {
                banner = &s;
            }
        }
        auto [it, isNew] = m_lastStates.try_emplace(s.definition.tag, core::AlarmState::Normal);
        if (it->second != s.state) {
            m_historyRows.push_front({now, QString::fromStdString(s.definition.tag),
                                      qText(core::toText(s.definition.priority)), qText(core::toText(it->second)),
                                      qText(core::toText(s.state)), QString::fromStdString(s.definition.source),
                                      QString::fromStdString(s.definition.message)});
            it->second = s.state;
            hasNewHistory = true;
        }
    }
    while (m_historyRows.size() > kHistoryCapacity) {
        m_historyRows.pop_back();
    }
    std::stable_sort(rows.begin(), rows.end(), [](const auto &a, const auto &b) {
        return a.priorityRank != b.priorityRank ? a.priorityRank < b.priorityRank : a.activatedMs > b.activatedMs;
    });
    m_table.setRows(std::move(rows));
    if (hasNewHistory) {
        applyHistoryFilter();
    }

    const QString bannerTag = banner ? QString::fromStdString(banner->definition.tag) : QString();
    const QString bannerText = banner ? QString::fromStdString(banner->definition.message) : QString();
    const QString bannerPriority = banner ? qText(core::toText(banner->definition.priority)) : QString();
    if (bannerTag != m_bannerTag || bannerText != m_bannerText || bannerPriority != m_bannerPriority ||
        unacknowledged != m_unacknowledged) {
        m_bannerTag = bannerTag;
        m_bannerText = bannerText;
        m_bannerPriority = bannerPriority;
        m_unacknowledged = unacknowledged;
        Q_EMIT bannerChanged();
    }

    const core::AlarmFlood flood = m_services.engine.alarmFlood();
    const QString floodText =
        flood.isFlooding ? tr("Alarm flood: %1 alarms in the last 10 minutes").arg(flood.activationsInWindow) : QString();
    if (flood.isFlooding != m_isFlooding || floodText != m_floodText) {
        m_isFlooding = flood.isFlooding;
        m_floodText = floodText;
        Q_EMIT floodChanged();
    }
}

QCoro::QmlTask AlarmsViewModel::acknowledge(const QString &tag, const QString &comment)
{
    return acknowledgeTask(tag, comment);
}

QCoro::QmlTask AlarmsViewModel::acknowledgeAllShown(const QString &comment)
{
    return acknowledgeAllShownTask(comment);
}

QCoro::QmlTask AlarmsViewModel::shelve(const QString &tag, int minutes, const QString &reason)
{
    return shelveTask(tag, minutes, reason);
}

QCoro::QmlTask AlarmsViewModel::unshelve(const QString &tag)
{
    return unshelveTask(tag);
}

QCoro::Task<bool> AlarmsViewModel::acknowledgeTask(QString tag, QString comment)
{
    const auto actor = m_session.actor();
    auto command = pipelines::AlarmCommand::acknowledge(tag.toStdString(), actor.value_or(core::AlarmActor{}),
                                                        comment.toStdString());
    // Every argument named first: GCC 12 mishandles temporaries built inside a co_await expression.
    std::string detail = tag.toStdString();
    if (!comment.isEmpty()) {
        detail += ": " + comment.toStdString();
    }
    std::string action = "alarm.acknowledge";
    const bool isDone = co_await execute(std::move(command), core::Permission::AcknowledgeAlarms, std::move(action),
                                         std::move(detail));
    co_return isDone;
}

QCoro::Task<bool> AlarmsViewModel::acknowledgeAllShownTask(QString comment)
{
    std::vector<std::string> tags;
    for (const auto &row : m_table.rows()) {
        if (row.isUnacknowledged && !row.isShelved) {
            tags.push_back(row.tag.toStdString());
        }
    }
    std::string detail;
    for (const auto &t : tags) {
        detail += (detail.empty() ? "" : ", ") + t;
    }
    const auto actor = m_session.actor();
    auto command =
        pipelines::AlarmCommand::acknowledgeAll(std::move(tags), actor.value_or(core::AlarmActor{}), comment.toStdString());
    std::string action = "alarm.acknowledge_all";
    const bool isDone = co_await execute(std::move(command), core::Permission::AcknowledgeAlarms, std::move(action),
                                         std::move(detail));
    co_return isDone;
}

QCoro::Task<bool> AlarmsViewModel::shelveTask(QString tag, int minutes, QString reason)
{
    if (reason.trimmed().isEmpty()) {
        setErrorText(tr("Give a reason to shelve %1").arg(tag));
        co_return false;
    }
    if (minutes <= 0) {
        setErrorText(tr("Shelve %1 for at least one minute").arg(tag));
        co_return false;
    }
    const auto actor = m_session.actor();
    auto command = pipelines::AlarmCommand::shelve(tag.toStdString(), std::chrono::minutes(minutes),
                                                   actor.value_or(core::AlarmActor{}), reason.toStdString());
    std::string detail = tag.toStdString() + " for " + std::to_string(minutes) + " min: " + reason.toStdString();
    std::string action = "alarm.shelve";
    const bool isDone =
        co_await execute(std::move(command), core::Permission::ShelveAlarms, std::move(action), std::move(detail));
    co_return isDone;
}

QCoro::Task<bool> AlarmsViewModel::unshelveTask(QString tag)
{
    const auto actor = m_session.actor();
    auto command = pipelines::AlarmCommand::unshelve(tag.toStdString(), actor.value_or(core::AlarmActor{}), "");
    std::string detail = tag.toStdString();
    std::string action = "alarm.unshelve";
    const bool isDone =
        co_await execute(std::move(command), core::Permission::ShelveAlarms, std::move(action), std::move(detail));
    co_return isDone;
}

QCoro::Task<bool> AlarmsViewModel::execute(pipelines::AlarmCommand command, core::Permission permission,
                                           std::string auditAction, std::string auditDetail)
{
    if (!m_session.allows(permission)) {
        setErrorText(m_session.refusal(permission));
        co_return false;
    }
    if (m_isBusy) {
        setErrorText(tr("Another alarm command is still being applied"));
        co_return false;
    }
    setBusy(true);
    setErrorText({});
    // Audited as who asked, even if someone else has logged in by the time it is done.
    std::optional<core::AlarmActor> asker = m_session.actor();
    const QPointer<AlarmsViewModel> self(this);
    QString failure;
    try {
        static_cast<void>(co_await m_services.engine.executeAlarmCommand(std::move(command)));
    } catch (const std::exception &e) {
        failure = QString::fromStdString(e.what());
    }
    if (!self) {
        co_return false;
    }
    setBusy(false);
    if (!failure.isEmpty()) {
        setErrorText(failure);
        co_return false;
    }
    refresh();
    co_await m_session.auditAs(std::move(asker), std::move(auditAction), std::move(auditDetail));
    co_return true;
}

void AlarmsViewModel::setHistoryFilter(const QString &text)
{
    if (m_historyFilter != text) {
        m_historyFilter = text;
        applyHistoryFilter();
        Q_EMIT historyFilterChanged();
    }
}

void AlarmsViewModel::setHistoryPriority(const QString &priority)
{
    if (m_historyPriority != priority) {
        m_historyPriority = priority;
        applyHistoryFilter();
        Q_EMIT historyFilterChanged();
    }
}

void AlarmsViewModel::applyHistoryFilter()
{
    std::vector<AlarmHistoryModel::Row> rows;
    for (const auto &row : m_historyRows) {
        if (!m_historyPriority.isEmpty() && row.priority != m_historyPriority) {
            continue;
        }
        if (!m_historyFilter.isEmpty() && !row.tag.contains(m_historyFilter, Qt::CaseInsensitive) &&
            !row.message.contains(m_historyFilter, Qt::CaseInsensitive)) {
            continue;
        }
        rows.push_back(row);
    }
    m_history.setRows(std::move(rows));
}

void AlarmsViewModel::setBusy(bool isBusy)
{
    if (m_isBusy != isBusy) {
        m_isBusy = isBusy;
        Q_EMIT busyChanged();
    }
}

void AlarmsViewModel::setErrorText(QString text)
{
    if (m_errorText != text) {
        m_errorText = std::move(text);
        Q_EMIT errorTextChanged();
    }
}

} // namespace waferscope::viewmodels
