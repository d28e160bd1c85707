#include <QCoreApplication>
#include <QTest>
#include <QThread>

#include <QCoroTask>

#include <string>
#include <thread>

#include <waferscope/runtime/channel.h>
#include <waferscope/runtime/qt/as_task.h>
#include <waferscope/runtime/qt/qt_executor.h>
#include <waferscope/runtime/thread_executor.h>

using namespace waferscope::runtime;
using waferscope::runtime::qt::asTask;
using waferscope::runtime::qt::QtExecutor;

namespace {

QCoro::Task<int> awaitTwice(QCoro::Task<int> &shared)
{
    const int a = co_await shared;
    const int b = co_await shared;
    co_return a + b;
}

Job writeLater(Channel<int> &channel, int value)
{
    co_await channel.write(value);
}

} // namespace

class AsTaskTest : public QObject
{
    Q_OBJECT

private slots:
    void completedValueTaskBecomesACompletedTask()
    {
        QtExecutor executor(this);
        QCoro::Task<int> task = asTask(ValueTask<int>::fromResult(21));
        QVERIFY(task.isReady());
        QCOMPARE(QCoro::waitFor(awaitTwice(task)), 42);
    }

    void resultCompletedOnAPipelineThreadResumesOnTheGuiThread()
    {
        QtExecutor executor(this);
        Channel<int> channel("results", ChannelOptions{4, FullMode::Wait, false});
        QThread *const gui = QThread::currentThread();
        QThread *resumedOn = nullptr;
        int value = 0;
        bool done = false;
        auto consumer = [&]() -> QCoro::Task<void> {
            value = co_await asTask(channel.read());
            resumedOn = QThread::currentThread();
            done = true;
        };
        QCoro::Task<void> running = consumer();
        ThreadExecutor pipeline("pipeline");
        pipeline.spawn(writeLater(channel, 99));
        QTRY_VERIFY(done);
        QCOMPARE(value, 99);
        QCOMPARE(resumedOn, gui);
    }

    void errorsPassThroughTheConversion()
    {
        QtExecutor executor(this);
        Channel<int> channel("ended", ChannelOptions{4, FullMode::Wait, false});
        channel.complete();
        std::string error;
        auto consumer = [&]() -> QCoro::Task<void> {
            try {
                static_cast<void>(co_await asTask(channel.read()));
            } catch (const ChannelClosed &e) {
                error = e.what();
            }
        };
        QCoro::waitFor(consumer());
        QVERIFY2(error.find("'ended' is completed") != std::string::npos, error.c_str());
    }
};

QTEST_GUILESS_MAIN(AsTaskTest)
#include "as_task_test.moc"
