#pragma once

/// AlarmsViewModel: the alarm table, the banner on every page, the alarm history of this session
/// and the technician's commands — acknowledge one or all shown, shelve for a duration with a
/// reason, unshelve.
/// Refresh: the engine's alarm snapshot, four times a second; the table lists every alarm that is
/// not normal (annunciated, shelved, suppressed or out of service), most urgent first, then newest.
/// Banner: the most urgent unacknowledged annunciated alarm; none when there is none.
/// History: every change of an alarm's shown state seen since the console started, newest first,
/// filtered by priority (historyPriority, "" for all) and text (historyFilter).
/// Permissions: acknowledge needs AcknowledgeAlarms, shelve and unshelve ShelveAlarms — checked here,
/// not only by the page: a refused command sets errorText, changes nothing and resolves to false.
/// Commands: coroutines that resolve to true once the alarm monitor applied them; each is audited;
/// isBusy while one is pending (a second is refused).
/// Lifetime: coroutines hold a QPointer and stop without touching a destroyed view model.
/// Threads: the GUI thread. Allocates: per refresh (the snapshot) and per command.

#include <QAbstractListModel>
#include <QDateTime>
#include <QTimer>
#include <QtQml/qqmlregistration.h>

#include <QCoroQmlTask>
#include <QCoroTask>

#include <deque>
#include <map>

#include <waferscope/core/alarms/alarm_status.h>
#include <waferscope/viewmodels/console/console_services.h>
#include <waferscope/viewmodels/session/session_view_model.h>

namespace waferscope::viewmodels {

/// The alarm table's rows: tag, priority, priorityRank (0 = critical), time, source, message,
/// alarmState (not "state", which every QML item has), isUnacknowledged, isShelved, isActive,
/// detail (who acknowledged or shelved, until when).
class AlarmTableModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The alarms view model owns the alarm table")

public:
    enum Role {
        TagRole = Qt::UserRole + 1,
        PriorityRole,
        PriorityRankRole,
        TimeRole,
        SourceRole,
        MessageRole,
        StateRole,
        IsUnacknowledgedRole,
        IsShelvedRole,
        IsActiveRole,
        DetailRole,
    };

    struct Row {
        QString tag;
        QString priority;
        int priorityRank = 0;
        QString time;
        qint64 activatedMs = 0;
        QString source;
        QString message;
        QString state;
        bool isUnacknowledged = false;
        bool isShelved = false;
        bool isActive = false;
        QString detail;
        friend bool operator==(const Row &, const Row &) = default;
    };

    using QAbstractListModel::QAbstractListModel;
    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;
    void setRows(std::vector<Row> rows);
    [[nodiscard]] const std::vector<Row> &rows() const noexcept { return m_rows; }

private:
    std::vector<Row> m_rows;
};

/// The history's rows: time, tag, priority, from, to, source, message.
class AlarmHistoryModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The alarms view model owns the alarm history")

public:
    enum Role { TimeRole = Qt::UserRole + 1, TagRole, PriorityRole, FromRole, ToRole, SourceRole, MessageRole };
    struct Row {
        QString time;
        QString tag;
        QString priority;
        QString from;
        QString to;
        QString source;
        QString message;
    };

    using QAbstractListModel::QAbstractListModel;
    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;
    void setRows(std::vector<Row> rows);

private:
    std::vector<Row> m_rows;
};

class AlarmsViewModel : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The console owns the alarms view model")
    Q_PROPERTY(waferscope::viewmodels::AlarmTableModel *table READ table CONSTANT)
    Q_PROPERTY(waferscope::viewmodels::AlarmHistoryModel *history READ history CONSTANT)
    Q_PROPERTY(bool hasBanner READ hasBanner NOTIFY bannerChanged)
    Q_PROPERTY(QString bannerTag READ bannerTag NOTIFY bannerChanged)
    Q_PROPERTY(QString bannerText READ bannerText NOTIFY bannerChanged)
    Q_PROPERTY(QString bannerPriority READ bannerPriority NOTIFY bannerChanged)
    Q_PROPERTY(int unacknowledgedCount READ unacknowledgedCount NOTIFY bannerChanged)
    Q_PROPERTY(bool isFlooding READ isFlooding NOTIFY floodChanged)
    Q_PROPERTY(QString floodText READ floodText NOTIFY floodChanged)
    Q_PROPERTY(bool isBusy READ isBusy NOTIFY busyChanged)
    Q_PROPERTY(QString errorText READ errorText NOTIFY errorTextChanged)
    Q_PROPERTY(QString historyFilter READ historyFilter WRITE setHistoryFilter NOTIFY historyFilterChanged)
    Q_PROPERTY(QString historyPriority READ historyPriority WRITE setHistoryPriority NOTIFY historyFilterChanged)

public:
    AlarmsViewModel(ConsoleServices services, SessionViewModel &session, QObject *parent = nullptr);

    Q_INVOKABLE QCoro::QmlTask acknowledge(const QString &tag, const QString &comment = {});
    Q_INVOKABLE QCoro::QmlTask acknowledgeAllShown(const QString &comment = {});
    Q_INVOKABLE QCoro::QmlTask shelve(const QString &tag, int minutes, const QString &reason);
    Q_INVOKABLE QCoro::QmlTask unshelve(const QString &tag);
    [[nodiscard]] QCoro::Task<bool> acknowledgeTask(QString tag, QString comment);
    [[nodiscard]] QCoro::Task<bool> acknowledgeAllShownTask(QString comment);
    [[nodiscard]] QCoro::Task<bool> shelveTask(QString tag, int minutes, QString reason);
    [[nodiscard]] QCoro::Task<bool> unshelveTask(QString tag);
    /// Takes a new snapshot now.
    Q_INVOKABLE void refresh();

    [[nodiscard]] AlarmTableModel *table() noexcept { return &m_table; }
    [[nodiscard]] AlarmHistoryModel *history() noexcept { return &m_history; }
    [[nodiscard]] bool hasBanner() const noexcept { return !m_bannerTag.isEmpty(); }
    [[nodiscard]] QString bannerTag() const { return m_bannerTag; }
    [[nodiscard]] QString bannerText() const { return m_bannerText; }
    [[nodiscard]] QString bannerPriority() const { return m_bannerPriority; }
    [[nodiscard]] int unacknowledgedCount() const noexcept { return m_unacknowledged; }
    [[nodiscard]] bool isFlooding() const noexcept { return m_isFlooding; }
    [[nodiscard]] QString floodText() const { return m_floodText; }
    [[nodiscard]] bool isBusy() const noexcept { return m_isBusy; }
    [[nodiscard]] QString errorText() const { return m_errorText; }
    [[nodiscard]] QString historyFilter() const { return m_historyFilter; }
    void setHistoryFilter(const QString &text);
    [[nodiscard]] QString historyPriority() const { return m_historyPriority; }
    void setHistoryPriority(const QString &priority);

Q_SIGNALS:
    void bannerChanged();
    void floodChanged();
    void busyChanged();
    void errorTextChanged();
    void historyFilterChanged();

private:
    QCoro::Task<bool> execute(pipelines::AlarmCommand command, core::Permission permission, std::string auditAction,
                              std::string auditDetail);
    void applyHistoryFilter();
    /// The wall-clock milliseconds of steady-clock instant `at`, converted once per key and instant.
    [[nodiscard]] qint64 wallTimeOf(const std::string &key, core::AlarmTime at);
    void setBusy(bool isBusy);
    void setErrorText(QString text);

    ConsoleServices m_services;
    SessionViewModel &m_session;
    AlarmTableModel m_table;
    AlarmHistoryModel m_history;
    QTimer m_timer;
    std::map<std::string, core::AlarmState> m_lastStates;
    std::map<std::string, std::pair<core::AlarmTime, qint64>> m_wallTimes;
    std::deque<AlarmHistoryModel::Row> m_historyRows; // newest first
    QString m_historyFilter;
    QString m_historyPriority;
    QString m_bannerTag;
    QString m_bannerText;
    QString m_bannerPriority;
    int m_unacknowledged = 0;
    bool m_isFlooding = false;
    QString m_floodText;
    bool m_isBusy = false;
    QString m_errorText;
};

} // namespace waferscope::viewmodels
