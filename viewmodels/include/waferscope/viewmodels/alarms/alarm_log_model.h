#pragma once

/// AlarmLogModel: the alarm events the database keeps, of every run and every session — who
/// acknowledged an alarm and when, why it was shelved — as a sortable table, newest first, filtered
/// by time range, user, priority and text (see LogTableModel).
/// Columns: Time, Alarm, Priority, Event, State change, User, Comment / reason, Run. Priorities and
/// events read as words ("Returned to normal"); the row's tone is its priority's name.
/// Priority filter: priorityIndex into priorityNames — 0 all, then critical, high, medium, low.
/// Text filter: matches the alarm, event, comment and run.
/// Threads: the UI thread; reads on Qt's global thread pool. Allocates: per refresh and filter.

#include <QtQml/qqmlregistration.h>

#include <vector>

#include <waferscope/core/persistence/alarm_event_record.h>
#include <waferscope/viewmodels/console/console_services.h>
#include <waferscope/viewmodels/tables/log_table_model.h>

namespace waferscope::viewmodels {

// The base is named in full: qmltyperegistrar finds a base class only by its full name (qmllint
// then knows the model is a LogTableModel).
class AlarmLogModel : public waferscope::viewmodels::LogTableModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The console owns the alarm log")
    Q_PROPERTY(QStringList priorityNames READ priorityNames CONSTANT)
    Q_PROPERTY(int priorityIndex READ priorityIndex WRITE setPriorityIndex NOTIFY filterChanged)

public:
    enum Column { TimeColumn, AlarmColumn, PriorityColumn, EventColumn, StateColumn, UserColumn, CommentColumn, RunColumn };
    Q_ENUM(Column)

    explicit AlarmLogModel(ConsoleServices services, QObject *parent = nullptr);

    [[nodiscard]] QStringList priorityNames() const;
    [[nodiscard]] int priorityIndex() const noexcept { return m_priorityIndex; }
    void setPriorityIndex(int index);

protected:
    [[nodiscard]] QCoro::Task<QString> load() override;
    std::size_t rebuild() override;

private:
    std::filesystem::path m_database;
    std::vector<core::AlarmEventRecord> m_records;
    int m_priorityIndex = 0;
};

} // namespace waferscope::viewmodels
