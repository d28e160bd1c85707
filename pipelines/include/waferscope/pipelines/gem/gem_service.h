#pragma once

/// GemService: the host interface of the machine — the GEM equipment (GemEquipment) on a thread of
/// its own, wired to the inspection engine. A host drives the engine through it: a START becomes
/// runLot() with operator "host", PAUSE/RESUME/ABORT the engine's calls, STOP an abort once the
/// wafer being scanned is done; the engine's run-state changes go back as S6F11 and its alarms
/// as S5F1.
/// Threads: construct, call and destroy on the engine's thread (the GUI thread). The equipment
/// lives on the service's own thread ("gem") with its own event loop, so no host traffic waits
/// for the UI and the UI never waits for the host; commands reach the engine as queued calls.
/// Status: status() answers any thread; statusChanged is emitted on the GUI thread.
/// Lots: lotEnded(request, report) is emitted on the GUI thread when a lot the host started ends.
/// Allocates: at construction (thread, server); per message and per run-state change a little.

#include <QObject>
#include <QPointer>
#include <QThread>

#include <QCoroTask>

#include <memory>
#include <mutex>
#include <string>

#include <waferscope/pipelines/engine/run_report.h>
#include <waferscope/pipelines/engine/run_request.h>
#include <waferscope/pipelines/gem/gem_control_state.h>
#include <waferscope/pipelines/gem/gem_options.h>
#include <waferscope/pipelines/gem/gem_status.h>

namespace waferscope::pipelines {
class InspectionEngine;
}

namespace waferscope::pipelines::gem {

class GemEquipment;
struct GemLotStart;

class GemService : public QObject
{
    Q_OBJECT

public:
    /// Starts the thread and listens; throws std::runtime_error when it cannot listen.
    GemService(InspectionEngine &engine, GemOptions options, QObject *parent = nullptr);
    ~GemService() override;

    [[nodiscard]] GemStatus status() const;
    /// The port it listens on (the one chosen when the options said 0).
    [[nodiscard]] quint16 port() const noexcept { return m_port; }
    /// The operator's control switch (off-line, host off-line, local, remote).
    void setControl(GemControlState state);
    /// Sends `text` to the host's terminal (S10F1 with the W-bit). Any thread may call it; the
    /// message is queued to the GEM thread, and the task resumes on the caller's thread (which
    /// needs an event loop) once the host answered. Throws std::runtime_error naming why it was
    /// not delivered: not communicating, off-line, the host's ACKC10 1 or 2, S10F0, T3, the link
    /// closing, the service stopping.
    [[nodiscard]] QCoro::Task<void> sendTerminalMessage(std::string text);

Q_SIGNALS:
    void statusChanged();
    void lotEnded(const waferscope::pipelines::RunRequest &request, const waferscope::pipelines::RunReport &report);

private:
    class Backend;
    friend class Backend;

    void runStateChanged(quint64 runId, int state, const QString &reason);
    void startLot(GemLotStart lot);
    /// Runs a lot the host started; reports a refusal or the end to the service if it still exists.
    static QCoro::Task<void> runHostLot(QPointer<GemService> self, InspectionEngine *engine, RunRequest request);
    void refused(const std::string &reason);
    void stopAfterWafer();
    /// Stores what the host did in the audit trail, as user "host".
    void audit(std::string action, std::string detail);
    /// Runs `call` on the GEM thread with the equipment, if it still exists.
    template<typename Call>
    void onEquipment(Call call);

    InspectionEngine &m_engine;
    QThread m_thread;
    std::unique_ptr<QObject> m_anchor; ///< lives on m_thread: the context of queued calls there
    std::unique_ptr<Backend> m_backend;
    GemEquipment *m_equipment = nullptr; ///< owned; created and destroyed on m_thread
    quint16 m_port = 0;
    mutable std::mutex m_statusMutex;
    GemStatus m_status; // guarded by m_statusMutex
    // GUI thread only:
    std::string m_lotId;
    std::string m_ppid;
    bool m_isStopping = false;
    std::size_t m_stopWafer = 0;
};

} // namespace waferscope::pipelines::gem
