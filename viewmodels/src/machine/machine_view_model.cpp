#include <waferscope/viewmodels/machine/machine_view_model.h>

#include <algorithm>

namespace waferscope::viewmodels {

namespace {

constexpr auto kRefreshInterval = std::chrono::milliseconds(200);

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
    if (isDown || isInterlocked) {
        m_e10State = QStringLiteral("unscheduled down");
    } else if (progress.isRunning && progress.state == core::RunState::Running) {
        m_e10State = QStringLiteral("productive");
    } else if (!progress.isRunning && m_session.allows(core::Permission::ViewStatistics)) {
        m_e10State = QStringLiteral("engineering");
    } else {
        m_e10State = QStringLiteral("standby");
    }
    Q_EMIT refreshed();
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
    if (error != m_errorText) {
        m_errorText = error;
        Q_EMIT errorTextChanged();
    }
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
