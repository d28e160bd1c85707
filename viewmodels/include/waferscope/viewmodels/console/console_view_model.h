#pragma once

/// ConsoleViewModel: the root the QML window binds to — it makes and owns one view model per page
/// (session, run, defects, alarms with the alarm log and KPIs, statistics, machine with its E10 times, history, audit trail, users)
/// over the same services, and wires the engine's defect batches to the run's wafer map and the live
/// defect list.
/// Lifetime: made after the engine, destroyed before it; its view models' pending
/// coroutines check a QPointer before touching them.
/// Threads: the GUI thread. Allocates: at construction.

#include <QObject>
#include <QtQml/qqmlregistration.h>

#include <waferscope/viewmodels/alarms/alarm_kpi_model.h>
#include <waferscope/viewmodels/alarms/alarm_log_model.h>
#include <waferscope/viewmodels/alarms/alarms_view_model.h>
#include <waferscope/viewmodels/audit/audit_trail_model.h>
#include <waferscope/viewmodels/console/console_services.h>
#include <waferscope/viewmodels/defects/defect_list_model.h>
#include <waferscope/viewmodels/defects/defect_table_model.h>
#include <waferscope/viewmodels/history/history_view_model.h>
#include <waferscope/viewmodels/machine/equipment_times_model.h>
#include <waferscope/viewmodels/machine/machine_view_model.h>
#include <waferscope/viewmodels/run/run_view_model.h>
#include <waferscope/viewmodels/session/session_view_model.h>
#include <waferscope/viewmodels/statistics/statistics_view_model.h>
#include <waferscope/viewmodels/users/users_view_model.h>

namespace waferscope::viewmodels {

class ConsoleViewModel : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The composition root makes the console")
    Q_PROPERTY(waferscope::viewmodels::SessionViewModel *session READ session CONSTANT)
    Q_PROPERTY(waferscope::viewmodels::RunViewModel *run READ run CONSTANT)
    Q_PROPERTY(waferscope::viewmodels::DefectListModel *defects READ defects CONSTANT)
    Q_PROPERTY(waferscope::viewmodels::AlarmsViewModel *alarms READ alarms CONSTANT)
    Q_PROPERTY(waferscope::viewmodels::StatisticsViewModel *statistics READ statistics CONSTANT)
    Q_PROPERTY(waferscope::viewmodels::MachineViewModel *machine READ machine CONSTANT)
    Q_PROPERTY(waferscope::viewmodels::HistoryViewModel *history READ history CONSTANT)
    Q_PROPERTY(waferscope::viewmodels::UsersViewModel *users READ users CONSTANT)
    Q_PROPERTY(waferscope::viewmodels::DefectTableModel *defectTable READ defectTable CONSTANT)
    Q_PROPERTY(waferscope::viewmodels::AlarmLogModel *alarmLog READ alarmLog CONSTANT)
    Q_PROPERTY(waferscope::viewmodels::AlarmKpiModel *alarmKpis READ alarmKpis CONSTANT)
    Q_PROPERTY(waferscope::viewmodels::EquipmentTimesModel *equipmentTimes READ equipmentTimes CONSTANT)
    Q_PROPERTY(waferscope::viewmodels::AuditTrailModel *audit READ audit CONSTANT)
    Q_PROPERTY(bool isSimulated READ isSimulated CONSTANT)
    Q_PROPERTY(QString version READ version CONSTANT)
    Q_PROPERTY(QString dataFolder READ dataFolder CONSTANT)

public:
    ConsoleViewModel(ConsoleServices services, QString version, QObject *parent = nullptr);

    [[nodiscard]] SessionViewModel *session() noexcept { return &m_session; }
    [[nodiscard]] RunViewModel *run() noexcept { return &m_run; }
    [[nodiscard]] DefectListModel *defects() noexcept { return &m_defects; }
    [[nodiscard]] AlarmsViewModel *alarms() noexcept { return &m_alarms; }
    [[nodiscard]] StatisticsViewModel *statistics() noexcept { return &m_statistics; }
    [[nodiscard]] MachineViewModel *machine() noexcept { return &m_machine; }
    [[nodiscard]] HistoryViewModel *history() noexcept { return &m_history; }
    [[nodiscard]] UsersViewModel *users() noexcept { return &m_users; }
    [[nodiscard]] DefectTableModel *defectTable() noexcept { return &m_defectTable; }
    [[nodiscard]] AlarmLogModel *alarmLog() noexcept { return &m_alarmLog; }
    [[nodiscard]] AlarmKpiModel *alarmKpis() noexcept { return &m_alarmKpis; }
    [[nodiscard]] EquipmentTimesModel *equipmentTimes() noexcept { return &m_equipmentTimes; }
    [[nodiscard]] AuditTrailModel *audit() noexcept { return &m_audit; }
    [[nodiscard]] bool isSimulated() const noexcept { return m_isSimulated; }
    [[nodiscard]] QString version() const { return m_version; }
    [[nodiscard]] QString dataFolder() const { return m_dataFolder; }

private:
    bool m_isSimulated;
    QString m_version;
    QString m_dataFolder;
    SessionViewModel m_session;
    DefectListModel m_defects;
    RunViewModel m_run;
    AlarmsViewModel m_alarms;
    StatisticsViewModel m_statistics;
    MachineViewModel m_machine;
    HistoryViewModel m_history;
    UsersViewModel m_users;
    DefectTableModel m_defectTable;
    AlarmLogModel m_alarmLog;
    AlarmKpiModel m_alarmKpis;
    EquipmentTimesModel m_equipmentTimes;
    AuditTrailModel m_audit;
};

} // namespace waferscope::viewmodels
