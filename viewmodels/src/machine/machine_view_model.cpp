#include <waferscope/viewmodels/machine/machine_view_model.h>

#include <algorithm>

namespace waferscope::viewmodels {

namespace {

constexpr auto kRefreshInterval = std::chrono::milliseconds(200);

double ms(runtime::Clock::duration d)
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
    if (isDown) {
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

QString MachineViewModel::machineName() const
{
    return QString::fromStdString(std::string(m_services.machine.name()));
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
