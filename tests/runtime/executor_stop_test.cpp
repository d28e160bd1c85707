// An executor that stops while one of its jobs waits on something outside it (a channel read
// without a stop token) says which job it still waits for, instead of hanging silently. Its own
// program: the stuck child is a fresh process of this one, and a process that has started another
// one must not start threads afterwards under ThreadSanitizer (Qt's process start looks like a
// fork to it), so nothing runs after it here.

#include <QCoreApplication>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTest>

#include <chrono>
#include <string>
#include <thread>

#include <waferscope/runtime/channel.h>
#include <waferscope/runtime/thread_executor.h>

using namespace waferscope::runtime;

namespace {

Job readForever(Channel<int> &channel)
{
    static_cast<void>(co_await channel.read()); // no stop token: only a write or complete() ends it
}

} // namespace

class ExecutorStopTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void stoppingWithAJobWaitingOutsideTheExecutorSaysSoInsteadOfHangingSilently()
    {
        const std::string expected = "executor 'stuck' is stopping but 1 job(s) are still suspended";
        if (qEnvironmentVariableIsSet("WAFERSCOPE_STUCK_EXECUTOR_CHILD")) {
            // The child: this stop() waits for a reader that nothing will resume, and says so
            // while it waits; the parent ends it once it has.
            Channel<int> channel("never-written", ChannelOptions{});
            ThreadExecutor executor("stuck");
            executor.spawn(readForever(channel));
            while (channel.suspendedReads() == 0) {
                std::this_thread::yield();
            }
            executor.stop();
            QFAIL("stop() returned with a job still suspended");
        }
        // A fresh process, not a fork: the child starts threads, which a fork of this threaded
        // process may not do under ThreadSanitizer.
        QProcess child;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("WAFERSCOPE_STUCK_EXECUTOR_CHILD"), QStringLiteral("1"));
        child.setProcessEnvironment(environment);
        child.start(QCoreApplication::applicationFilePath(),
                    {QStringLiteral("stoppingWithAJobWaitingOutsideTheExecutorSaysSoInsteadOfHangingSilently")});
        QVERIFY2(child.waitForStarted(30'000), qPrintable(child.errorString()));
        QByteArray errors;
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
        while (!errors.contains(QByteArray::fromStdString(expected)) && child.state() == QProcess::Running &&
               std::chrono::steady_clock::now() < deadline) {
            child.waitForReadyRead(100);
            errors += child.readAllStandardError();
        }
        const bool wasRunning = child.state() == QProcess::Running;
        child.kill();
        child.waitForFinished(30'000);
        errors += child.readAllStandardError();
        QVERIFY2(wasRunning, "the child ended instead of waiting in stop()");
        QVERIFY2(errors.contains(QByteArray::fromStdString(expected)), errors.constData());
    }

};

QTEST_GUILESS_MAIN(ExecutorStopTest)
#include "executor_stop_test.moc"
