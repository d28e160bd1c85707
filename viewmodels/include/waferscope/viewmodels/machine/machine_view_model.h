#pragma once

/// MachineViewModel: the Machine page — the heartbeat (alive, latency, jitter, beats, losses), the
/// stage (position, moving, following error, encoder), the lamp (set point, readback), the vacuum
/// chuck (pressure, on, clamped), the camera (connected, acquiring), and the equipment state in
/// SEMI E10 terms.
/// E10 state: scheduled down while a technician has the machine in maintenance (startMaintenance();
/// no run starts meanwhile); unscheduled down while an active critical or high alarm is annunciated,
/// the heartbeat is lost, or an alarm still blocks Start; productive while a run scans; engineering
/// while an engineer or admin is logged in and nothing runs; standby otherwise. Every change is
/// stored, and the current state again every 5 minutes so that the store can tell time the console
/// was not running (EquipmentTimesModel reads them back per shift).
/// Simulator: on the simulated machine, simulateFault() starts one of `simulatorFaults` now (for a
/// demonstration or a drill); any logged-in user may, and it is audited. Elsewhere the list is empty.
/// Refresh: five times a second from the engine's plain snapshots.
/// Threads: the GUI thread. Allocates: per refresh, nothing beyond its strings.

#include <QObject>
#include <QStringList>
#include <QTimer>
#include <QtQml/qqmlregistration.h>

#include <waferscope/core/equipment/equipment_state.h>
#include <waferscope/viewmodels/console/console_services.h>
#include <waferscope/viewmodels/session/session_view_model.h>

namespace waferscope::viewmodels {

class MachineViewModel : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The console owns the machine view model")
    Q_PROPERTY(QString machineName READ machineName CONSTANT)
    Q_PROPERTY(bool isSimulated READ isSimulated CONSTANT)
    Q_PROPERTY(bool heartbeatAlive READ heartbeatAlive NOTIFY refreshed)
    // A count, given to QML as a number (exact to 2^53): QML has no 64-bit integer type.
    Q_PROPERTY(double heartbeatSequence READ heartbeatSequence NOTIFY refreshed)
    Q_PROPERTY(double heartbeatLatencyMs READ heartbeatLatencyMs NOTIFY refreshed)
    Q_PROPERTY(double heartbeatJitterMs READ heartbeatJitterMs NOTIFY refreshed)
    Q_PROPERTY(double heartbeatMissed READ heartbeatMissed NOTIFY refreshed)
    Q_PROPERTY(double stageXMm READ stageXMm NOTIFY refreshed)
    Q_PROPERTY(double stageYMm READ stageYMm NOTIFY refreshed)
    Q_PROPERTY(bool stageMoving READ stageMoving NOTIFY refreshed)
    Q_PROPERTY(double followingErrorUm READ followingErrorUm NOTIFY refreshed)
    Q_PROPERTY(bool encoderHealthy READ encoderHealthy NOTIFY refreshed)
    Q_PROPERTY(double lampSetpointPercent READ lampSetpointPercent NOTIFY refreshed)
    Q_PROPERTY(double lampReadbackPercent READ lampReadbackPercent NOTIFY refreshed)
    Q_PROPERTY(double vacuumKpa READ vacuumKpa NOTIFY refreshed)
    Q_PROPERTY(bool vacuumOn READ vacuumOn NOTIFY refreshed)
    Q_PROPERTY(bool waferClamped READ waferClamped NOTIFY refreshed)
    Q_PROPERTY(bool cameraConnected READ cameraConnected NOTIFY refreshed)
    Q_PROPERTY(bool cameraAcquiring READ cameraAcquiring NOTIFY refreshed)
    Q_PROPERTY(QString e10State READ e10State NOTIFY refreshed)
    Q_PROPERTY(bool isInMaintenance READ isInMaintenance NOTIFY maintenanceChanged)
    Q_PROPERTY(QString maintenanceReason READ maintenanceReason NOTIFY maintenanceChanged)
    Q_PROPERTY(bool canChangeMaintenance READ canChangeMaintenance NOTIFY maintenanceChanged)
    Q_PROPERTY(bool hasData READ hasData NOTIFY refreshed)
    Q_PROPERTY(QStringList simulatorFaults READ simulatorFaults CONSTANT)
    Q_PROPERTY(QString errorText READ errorText NOTIFY errorTextChanged)

public:
    MachineViewModel(ConsoleServices services, SessionViewModel &session, QObject *parent = nullptr);

    Q_INVOKABLE void refresh();
    /// Starts simulator fault `index` of simulatorFaults now; false (with errorText) when refused.
    Q_INVOKABLE bool simulateFault(int index);
    [[nodiscard]] QStringList simulatorFaults() const;
    /// Puts the machine into scheduled maintenance with `reason` (technicians and above; not during a
    /// run; a reason is required); audited. False, with errorText, when refused.
    Q_INVOKABLE bool startMaintenance(const QString &reason);
    /// Ends scheduled maintenance (technicians and above); audited.
    Q_INVOKABLE bool endMaintenance();
    [[nodiscard]] bool isInMaintenance() const { return !m_services.engine.maintenance().empty(); }
    [[nodiscard]] QString maintenanceReason() const { return QString::fromStdString(m_services.engine.maintenance()); }
    [[nodiscard]] bool canChangeMaintenance() const;
    [[nodiscard]] core::EquipmentState equipmentState() const noexcept { return m_state; }
    [[nodiscard]] QString errorText() const { return m_errorText; }

    [[nodiscard]] QString machineName() const;
    [[nodiscard]] bool isSimulated() const { return m_services.engine.isSimulated(); }
    [[nodiscard]] bool heartbeatAlive() const noexcept { return m_heartbeat.isAlive; }
    [[nodiscard]] qulonglong heartbeatSequence() const noexcept { return m_heartbeat.lastSequence; }
    [[nodiscard]] double heartbeatLatencyMs() const noexcept;
    [[nodiscard]] double heartbeatJitterMs() const noexcept;
    [[nodiscard]] qulonglong heartbeatMissed() const noexcept { return m_heartbeat.missedCount; }
    [[nodiscard]] double stageXMm() const noexcept { return m_devices.stage.position.x; }
    [[nodiscard]] double stageYMm() const noexcept { return m_devices.stage.position.y; }
    [[nodiscard]] bool stageMoving() const noexcept { return m_devices.stage.isMoving; }
    [[nodiscard]] double followingErrorUm() const noexcept { return m_devices.stage.followingErrorUm; }
    [[nodiscard]] bool encoderHealthy() const noexcept { return m_devices.stage.isEncoderHealthy; }
    [[nodiscard]] double lampSetpointPercent() const noexcept { return m_devices.illumination.setpointPercent; }
    [[nodiscard]] double lampReadbackPercent() const noexcept { return m_devices.illumination.readbackPercent; }
    [[nodiscard]] double vacuumKpa() const noexcept { return m_devices.vacuum.pressureKpa; }
    [[nodiscard]] bool vacuumOn() const noexcept { return m_devices.vacuum.isVacuumOn; }
    [[nodiscard]] bool waferClamped() const noexcept { return m_devices.vacuum.isWaferClamped; }
    [[nodiscard]] bool cameraConnected() const noexcept { return m_devices.camera.isConnected; }
    [[nodiscard]] bool cameraAcquiring() const noexcept { return m_devices.camera.isAcquiring; }
    [[nodiscard]] QString e10State() const { return m_e10State; }
    [[nodiscard]] bool hasData() const noexcept { return m_devices.hasData(); }

Q_SIGNALS:
    void refreshed();
    void errorTextChanged();
    void maintenanceChanged();

private:
    void setErrorText(QString text);
    /// Stores the state when it changed, or when the last record is kRecordInterval old.
    void recordState(bool isRepeat);

    ConsoleServices m_services;
    SessionViewModel &m_session;
    QTimer m_timer;
    pipelines::DeviceSnapshot m_devices;
    pipelines::HeartbeatStatus m_heartbeat;
    QTimer m_recordTimer;
    core::EquipmentState m_state = core::EquipmentState::Standby;
    bool m_hasRecorded = false;
    QString m_e10State = QStringLiteral("standby");
    QString m_errorText;
};

} // namespace waferscope::viewmodels
