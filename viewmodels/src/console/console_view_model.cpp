#include <waferscope/viewmodels/console/console_view_model.h>

#include <QPointer>

namespace waferscope::viewmodels {

ConsoleViewModel::ConsoleViewModel(ConsoleServices services, QString version, QObject *parent)
    : QObject(parent)
    , m_isSimulated(services.engine.isSimulated())
    , m_version(std::move(version))
    , m_dataFolder(QString::fromStdString(services.engine.dataFolder().string()))
    , m_session(services)
    , m_run(services, m_session)
    , m_alarms(services, m_session)
    , m_statistics(services, m_session)
    , m_machine(services, m_session)
    , m_history(services, m_session)
    , m_users(services, m_session)
    , m_defectTable(m_defects)
    , m_alarmLog(services)
    , m_alarmKpis(services)
    , m_equipmentTimes(services)
    , m_audit(services, m_session)
{
    connect(&services.engine, &pipelines::EngineFacade::defectsArrived, &m_defects, &DefectListModel::append);
    // A new run starts a new live list.
    connect(&m_run, &RunViewModel::stateChanged, this, [this] {
        if (m_run.isBusy()) {
            m_defects.clear();
        }
    });
    // The history shows a finished run at once.
    connect(&m_run, &RunViewModel::runEnded, this, [this] { m_history.refresh(); });
    // The defect picked on the Defects page (or on the map) is marked on the live map.
    connect(&m_defectTable, &DefectTableModel::pickChanged, this,
            [this] { m_run.map()->markDefect(m_defectTable.pickedId()); });
}

} // namespace waferscope::viewmodels
