#include <QTest>

#include <atomic>
#include <latch>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include <waferscope/runtime/countdown.h>
#include <waferscope/runtime/job.h>
#include <waferscope/runtime/sync_wait.h>
#include <waferscope/runtime/thread_executor.h>
#include <waferscope/testing/allocation_counter.h>
#include <waferscope/testing/child_process.h>
#include <waferscope/testing/manual_executor.h>

using namespace waferscope::runtime;
using waferscope::testing::AllocationScope;
using waferscope::testing::ManualExecutor;
using waferscope::testing::runInChild;

namespace {

struct Outcome {
    bool done = false;
    std::string error;
};

Job waitFor(Countdown &countdown, Outcome &out, std::stop_token stop = {})
{
    try {
        co_await countdown.wait(std::move(stop));
    } catch (const std::exception &e) {
        out.error = e.what();
    }
    out.done = true;
}

bool contains(const std::string &text, const std::string &part)
{
    return text.find(part) != std::string::npos;
}

} // namespace

class CountdownTest : public QObject
{
    Q_OBJECT

private slots:
    void aCountOfZeroIsRefusedWithItsName()
    {
        try {
            Countdown countdown("flushed", 0);
            QFAIL("a count of 0 must be refused");
        } catch (const std::invalid_argument &e) {
            QVERIFY2(contains(e.what(), "'flushed'"), e.what());
        }
    }

    void theWaitEndsOnlyWithTheLastSignalAndResumesOnTheAwaitersExecutor()
    {
        ManualExecutor executor;
        Countdown countdown("three-parts", 3);
        Outcome out;
        executor.spawn(waitFor(countdown, out));
        executor.runReady();
        countdown.signal();
        countdown.signal();
        executor.runReady();
        QVERIFY(!out.done);
        QCOMPARE(countdown.remaining(), 1u);
        countdown.signal();
        QVERIFY(!out.done); // posted to the awaiter's executor, not resumed inside signal()
        QVERIFY(countdown.isSet());
        executor.runReady();
        QVERIFY(out.done);
        QVERIFY2(out.error.empty(), out.error.c_str());
    }

    void aWaitAfterTheLastSignalCompletesAtOnceWithoutAllocating()
    {
        const auto signalThenWait = [] {
            Countdown countdown("event", 1);
            countdown.signal();
            ValueTask<void> task = countdown.wait();
            const bool isAtOnce = task.isCompletedSuccessfully();
            syncWait(std::move(task));
            return isAtOnce;
        };
        QVERIFY(signalThenWait()); // warms syncWait's per-thread state
        Countdown countdown("event", 1);
        countdown.signal();
        const AllocationScope scope;
        ValueTask<void> task = countdown.wait();
        QVERIFY(task.isCompletedSuccessfully());
        syncWait(std::move(task));
        QCOMPARE(scope.thread(), 0u);
    }

    void theSuspendedPathAllocatesNothing()
    {
        ManualExecutor executor;
        Outcome out;
        Countdown countdown("event", 2);
        std::stop_source stop;
        executor.spawn(waitFor(countdown, out, stop.get_token())); // the job's frame is made here
        const AllocationScope scope;
        executor.runReady();
        countdown.signal();
        countdown.signal();
        executor.runReady();
        QVERIFY(out.done);
        QVERIFY2(out.error.empty(), out.error.c_str());
        QCOMPARE(scope.thread(), 0u);
    }

    void aSignalBeyondTheCountIsRefusedAndChangesNothing()
    {
        Countdown countdown("stager-done", 1);
        countdown.signal();
        try {
            countdown.signal();
            QFAIL("a second signal of a count of 1 must be refused");
        } catch (const MisuseError &e) {
            QVERIFY2(contains(e.what(), "'stager-done'") && contains(e.what(), "signalled twice"), e.what());
        }
        QCOMPARE(countdown.remaining(), 0u);
        syncWait(countdown.wait()); // still completes once
    }

    void aSecondWaitIsRefused()
    {
        Countdown countdown("flushed", 1);
        countdown.signal();
        syncWait(countdown.wait());
        try {
            static_cast<void>(countdown.wait());
            QFAIL("a second wait must be refused");
        } catch (const MisuseError &e) {
            QVERIFY2(contains(e.what(), "'flushed'") && contains(e.what(), "twice"), e.what());
        }
    }

    void aStopEndsASuspendedWaitWithOperationCancelled()
    {
        ManualExecutor executor;
        Countdown countdown("acquisition-done", 1);
        std::stop_source stop;
        Outcome out;
        executor.spawn(waitFor(countdown, out, stop.get_token()));
        executor.runReady();
        QVERIFY(!out.done);
        stop.request_stop();
        executor.runReady();
        QVERIFY(out.done);
        QVERIFY2(contains(out.error, "countdown 'acquisition-done' cancelled"), out.error.c_str());
        countdown.signal(); // a late part is harmless: the wait is over
        QVERIFY(countdown.isSet());
    }

    void aStopAlreadyRequestedFailsTheWaitAtOnceUnlessEveryPartIsDone()
    {
        std::stop_source stop;
        stop.request_stop();
        {
            Countdown countdown("pending", 1);
            ValueTask<void> task = countdown.wait(stop.get_token());
            QVERIFY(task.isCompleted());
            QVERIFY(!task.isCompletedSuccessfully());
            QVERIFY_THROWS_EXCEPTION(OperationCancelled, syncWait(std::move(task)));
        }
        {
            Countdown countdown("done", 1);
            countdown.signal();
            syncWait(countdown.wait(stop.get_token())); // the join is complete: no error
        }
    }

    void aDroppedWaitLeavesTheCountdownSafeToSignalAndDestroy()
    {
        Countdown countdown("dropped", 1);
        {
            ValueTask<void> task = countdown.wait();
        }
        countdown.signal();
        QVERIFY(countdown.isSet());
    }

    void destroyingACountdownWhoseWaitIsNotYetAwaitedAbortsWithItsName()
    {
        const auto outcome = runInChild([] {
            auto *countdown = new Countdown("staging-done", 2);
            static ValueTask<void> task;
            task = countdown->wait();
            delete countdown;
            return 0;
        });
        QVERIFY2(outcome.aborted, outcome.describe().c_str());
        QVERIFY2(contains(outcome.errors, "countdown 'staging-done' destroyed") &&
                     contains(outcome.errors, "2 of 2 signals missing"),
                 outcome.describe().c_str());
    }

    void partsOnOtherThreadsReleaseTheWaiterExactlyOnce()
    {
        constexpr int kRounds = 300;
        constexpr int kParts = 3;
        ThreadExecutor awaiter("awaiter");
        ThreadExecutor partA("part-a");
        ThreadExecutor partB("part-b");
        std::atomic<int> released{0};
        std::atomic<int> failures{0};
        for (int round = 0; round < kRounds; ++round) {
            Countdown countdown("round", kParts);
            std::latch finished(1);
            std::stop_source stop;
            awaiter.spawn([](Countdown &c, std::stop_token s, std::atomic<int> &r, std::atomic<int> &f,
                             std::latch &l) -> Job {
                try {
                    co_await c.wait(std::move(s));
                    r.fetch_add(1);
                } catch (const std::exception &) {
                    f.fetch_add(1);
                }
                l.count_down();
            }(countdown, stop.get_token(), released, failures, finished));
            const auto signalOnce = [](Countdown &c) -> Job {
                c.signal();
                co_return;
            };
            partA.spawn(signalOnce(countdown));
            partB.spawn(signalOnce(countdown));
            countdown.signal(); // the third part, on this thread
            finished.wait();
        }
        QCOMPARE(released.load(), kRounds);
        QCOMPARE(failures.load(), 0);
    }
};

QTEST_GUILESS_MAIN(CountdownTest)
#include "countdown_test.moc"
