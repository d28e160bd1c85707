#include <waferscope/viewmodels/machine/machine_view_model.h>

#include <algorithm>

#include "readable_text.h"

namespace waferscope::viewmodels {

namespace {

constexpr auto kRefreshInterval = std::chrono::milliseconds(200);
/// The current E10 state is stored again this often, so that a longer gap means the console was
/// not running (EquipmentTimesModel::kMaxRecordGap allows for a late timer).
constexpr auto kRecordInterval = std::chrono::minutes(5);

struct SimulatorFault {
    const char *label;
    const char *spec;
};

/// Faults a demonstration or a drill starts, each long enough for its alarm to come.
constexpr SimulatorFault kSimulatorFaults[] = {
    {"Vacuum drop (5 s)", "vacuum-drop:start=0s,duration=5s,kpa=20"},
    {"Heartbeat stop (3 s)", "heartbeat-stop:start=0s,duration=3s"},
    {"Lamp degrades (5 s)", "illumination-degrade:start=0s,duration=5s,factor=0.5"},
    {"Stage following error (3 s)", "following-error:start=0s,duration=3s,um=50"},
    {"Encoder error (3 s)", "encoder-error:start=0s,duration=3s"},
    {"Camera disconnect (3 s)", "camera-disconnect:start=0s,duration=3s"},
    {"Frame loss (2 s, half)", "frame-loss:start=0s,duration=2s,fraction=0.5"},
};

template<typename Rep, typename Period>
double ms(std::chrono::duration<Rep, Period> d)
{
    return std::chrono::duration<double, std::milli>(d).count();
}

} // namespace

MachineViewModel::MachineViewModel(ConsoleServices services, SessionViewModel &session, QObject *parent)
    : QObject(parent)
    , m_services(services)
    , m_session(session)
{
    connect(&m_timer, &QTimer::timeout, this, &MachineViewModel::refresh);
    connect(&m_recordTimer, &QTimer::timeout, this, [this] { recordState(true); });
    connect(&m_session, &SessionViewModel::userChanged, this, &MachineViewModel::maintenanceChanged);
    m_timer.start(kRefreshInterval);
    refresh();
}

void MachineViewModel::refresh()
{
    m_devices = m_services.engine.devices();
    m_heartbeat = m_services.engine.heartbeat();
    const auto alarms = m_services.engine.alarms();
    const bool isDown = !m_heartbeat.isAlive || std::any_of(alarms.begin(), alarms.end(), [](const auto &a) {
                            return a.isAnnunciated() && a.isConditionActive &&
                                   (a.definition.priority == core::AlarmPriority::Critical ||
                                    a.definition.priority == core::AlarmPriority::High);
                        });
    const auto progress = m_services.engine.progress();
    // An alarm whose condition has passed but that still blocks Start (a critical alarm not yet
    // acknowledged) keeps the machine from producing: that is down time too, not standby.
    const bool isInterlocked = !m_services.engine.startInterlock().empty();
    core::EquipmentState state = core::EquipmentState::Standby;
    if (!m_services.engine.maintenance().empty()) {
        state = core::EquipmentState::ScheduledDown;
    } else if (isDown || isInterlocked) {
        state = core::EquipmentState::UnscheduledDown;
    } else if (progress.isRunning && progress.state == core::RunState::Running) {
        // A run at an engineer's (or admin's) hands is engineering use; an operator's is production.
        // Who is logged in at an idle machine changes nothing: idle is standby.
        state = m_session.allows(core::Permission::ViewStatistics) ? core::EquipmentState::Engineering
                                                                  : core::EquipmentState::Productive;
    }
    const bool isChange = state != m_state || !m_hasRecorded;
    m_state = state;
    m_e10State = readable(core::toText(state)).toLower();
    if (isChange) {
        recordState(false);
    }
    Q_EMIT refreshed();
}

void MachineViewModel::recordState(bool isRepeat)
{
    if (isRepeat && !m_hasRecorded) {
        return;
    }
    m_hasRecorded = true;
    m_recordTimer.start(kRecordInterval); // the next repeat counts from this record
    m_services.engine.recordEquipmentState(core::EquipmentStateChange{m_state, std::chrono::system_clock::now()})
        .then([] {});
}

bool MachineViewModel::canChangeMaintenance() const
{
    return m_session.allows(core::Permission::AcknowledgeAlarms);
}

bool MachineViewModel::startMaintenance(const QString &reason)
{
    QString error;
    const QString why = reason.trimmed();
    if (!canChangeMaintenance()) {
        error = tr("Only a technician, an engineer or an admin can start maintenance");
    } else if (why.isEmpty()) {
        error = tr("Say why the machine goes into maintenance");
    } else if (m_services.engine.progress().isRunning) {
        error = tr("A run is in progress: end it before maintenance");
    } else {
        m_services.engine.setMaintenance(why.toStdString());
        m_session.audit("machine.maintenance.start", why.toStdString()).then([] {});
        Q_EMIT maintenanceChanged();
        refresh();
    }
    setErrorText(error);
    return error.isEmpty();
}

bool MachineViewModel::endMaintenance()
{
    QString error;
    if (!canChangeMaintenance()) {
        error = tr("Only a technician, an engineer or an admin can end maintenance");
    } else if (m_services.engine.maintenance().empty()) {
        error = tr("The machine is not in maintenance");
    } else {
        const std::string reason = m_services.engine.maintenance();
        m_services.engine.setMaintenance({});
        m_session.audit("machine.maintenance.end", reason).then([] {});
        Q_EMIT maintenanceChanged();
        refresh();
    }
    setErrorText(error);
    return error.isEmpty();
}

void MachineViewModel::setErrorText(QString text)
{
    if (text != m_errorText) {
        m_errorText = std::move(text);
        Q_EMIT errorTextChanged();
    }
}

QStringList MachineViewModel::simulatorFaults() const
{
    QStringList labels;
    if (m_services.engine.isSimulated()) {
        for (const auto &fault : kSimulatorFaults) {
            labels.append(QString::fromLatin1(fault.label));
        }
    }
    return labels;
}

bool MachineViewModel::simulateFault(int index)
{
    QString error;
    if (!m_services.engine.isSimulated()) {
        error = tr("Faults can only be simulated on the simulated machine");
    } else if (!m_session.isLoggedIn()) {
        error = tr("Log in to simulate a fault");
    } else if (index < 0 || index >= static_cast<int>(std::size(kSimulatorFaults))) {
        error = tr("There is no simulator fault %1").arg(index);
    } else {
        const std::string spec = kSimulatorFaults[index].spec;
        if (const auto refused = m_services.engine.injectFault(spec)) {
            error = QString::fromStdString(*refused);
        } else {
            m_session.audit("simulator.fault", spec).then([] {});
        }
    }
    setErrorText(error);
    return error.isEmpty();
}

QString MachineViewModel::machineName() const
{
    return QString::fromStdString(m_services.engine.machineName());
}

double MachineViewModel::heartbeatLatencyMs() const noexcept
{
    return ms(m_heartbeat.latencyP50);
}

double MachineViewModel::heartbeatJitterMs() const noexcept
{
    return ms(m_heartbeat.jitter);
}

} // namespace waferscope::viewmodels
