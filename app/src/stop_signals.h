#pragma once

// StopSignals: SIGTERM, SIGINT and SIGHUP turned into a Qt signal on the GUI thread, so the program
// can stop a run cleanly (aborted with the reason, KLARF files for the wafers done, database closed).
// How: the handler only writes the signal's number to a pipe (write() is async-signal-safe); a
// QSocketNotifier on the pipe's read end emits stopRequested() from the event loop. A second stop
// signal while the first is still being handled ends the process at once with 128 + its number, for
// an operator who insists; the next start-up marks the run aborted then.
// Threads: construct and destroy on the GUI thread; one instance at a time (the handlers are
// process-wide). The destructor restores the default handlers.

#include <QObject>
#include <QSocketNotifier>

#include <memory>
#include <string>

namespace waferscope::app {

class StopSignals : public QObject
{
    Q_OBJECT

public:
    /// Installs the handlers. Throws std::runtime_error when the pipe or a handler cannot be set up.
    explicit StopSignals(QObject *parent = nullptr);
    ~StopSignals() override;
    StopSignals(const StopSignals &) = delete;
    StopSignals &operator=(const StopSignals &) = delete;

    /// The first stop signal received, 0 while none was.
    [[nodiscard]] int received() const noexcept { return m_received; }
    /// "SIGTERM", "SIGINT", "SIGHUP", or "signal N".
    [[nodiscard]] static std::string nameOf(int signalNumber);

Q_SIGNALS:
    void stopRequested(int signalNumber);

private:
    void readPipe();

    std::unique_ptr<QSocketNotifier> m_notifier;
    int m_received = 0;
};

} // namespace waferscope::app
