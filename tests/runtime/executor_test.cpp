#include <QTest>

#include <atomic>
#include <latch>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <waferscope/runtime/channel.h>
#include <waferscope/runtime/sleep_operation.h>
#include <waferscope/runtime/sync_wait.h>
#include <waferscope/runtime/thread_executor.h>
#include <waferscope/runtime/ticker.h>
#include <waferscope/testing/allocation_counter.h>
#include <waferscope/testing/manual_executor.h>
#include <waferscope/testing/watchdog.h>

using namespace std::chrono_literals;
using namespace waferscope::runtime;
using waferscope::testing::AllocationScope;
using waferscope::testing::ManualExecutor;
using waferscope::testing::Watchdog;

namespace {

Job recordThread(std::thread::id &where, Executor *&executor, std::latch &done)
{
    where = std::this_thread::get_id();
    executor = Executor::current();
    done.count_down();
    co_return;
}

Job hopTo(Executor &target, std::thread::id &after, std::latch &done)
{
    co_await schedule(target);
    after = std::this_thread::get_id();
    done.count_down();
}

Job sleeper(Clock::duration duration, std::vector<std::string> &log, std::string name)
{
    try {
        co_await sleepFor(duration);
        log.push_back(name);
    } catch (const OperationCancelled &e) {
        log.push_back(name + " cancelled: " + e.what());
    }
}

Job stoppableSleeper(Clock::duration duration, std::stop_token stop, std::vector<std::string> &log, std::string name)
{
    try {
        co_await sleepFor(duration, std::move(stop));
        log.push_back(name);
    } catch (const OperationCancelled &e) {
        log.push_back(name + " cancelled: " + e.what());
    }
}

Job tickUntilStopped(Ticker &ticker, std::stop_token stop, std::string &error, std::atomic<bool> &done)
{
    try {
        for (int i = 0; i < 1000; ++i) {
            static_cast<void>(co_await ticker.next(stop));
        }
    } catch (const OperationCancelled &e) {
        error = e.what();
    }
    done.store(true, std::memory_order_release);
}

Job tickLoop(Ticker &ticker, int count, std::vector<std::uint64_t> &elapsed, Clock::duration work = {})
{
    for (int i = 0; i < count; ++i) {
        elapsed.push_back(co_await ticker.next());
        if (work > Clock::duration::zero() && i == 0) {
            co_await sleepFor(work); // one slow iteration
        }
    }
}

Job failing()
{
    throw std::runtime_error("stage crashed");
    co_return;
}

Job sleepOnThreadExecutor(std::string &outcome, std::latch &started)
{
    started.count_down();
    try {
        co_await sleepFor(1h);
        outcome = "slept";
    } catch (const OperationCancelled &e) {
        outcome = e.what();
    }
}

} // namespace

class ExecutorTest : public QObject
{
    Q_OBJECT

private slots:
    void spawnedJobRunsOnTheExecutorsThreadWithItAsCurrent()
    {
        const Watchdog watchdog("spawn");
        ThreadExecutor executor("stage");
        std::thread::id where;
        Executor *current = nullptr;
        std::latch done(1);
        executor.spawn(recordThread(where, current, done));
        done.wait();
        QVERIFY(where != std::this_thread::get_id());
        QCOMPARE(current, static_cast<Executor *>(&executor));
        QCOMPARE(Executor::current(), static_cast<Executor *>(nullptr));
    }

    void scheduleMovesACoroutineToAnotherExecutor()
    {
        const Watchdog watchdog("schedule");
        ThreadExecutor a("a");
        ThreadExecutor b("b");
        std::thread::id bThread;
        Executor *ignored = nullptr;
        std::latch first(1);
        b.spawn(recordThread(bThread, ignored, first));
        first.wait();
        std::thread::id after;
        std::latch done(1);
        a.spawn(hopTo(b, after, done));
        done.wait();
        QVERIFY(after == bThread);
    }

    void sleepsResumeInDeadlineOrderOnTheFakeClock()
    {
        std::vector<std::string> log;
        ManualExecutor executor;
        executor.spawn(sleeper(30ms, log, "c"));
        executor.spawn(sleeper(10ms, log, "a"));
        executor.spawn(sleeper(20ms, log, "b"));
        executor.runReady();
        QCOMPARE(executor.pendingTimers(), 3u);
        executor.advance(15ms);
        QCOMPARE(log, std::vector<std::string>{"a"});
        executor.advance(15ms);
        QCOMPARE(log, (std::vector<std::string>{"a", "b", "c"}));
    }

    void zeroLengthSleepDoesNotSuspend()
    {
        std::vector<std::string> log;
        ManualExecutor executor;
        executor.spawn(sleeper(0ms, log, "now"));
        executor.runReady();
        QCOMPARE(log, std::vector<std::string>{"now"});
        QCOMPARE(executor.pendingTimers(), 0u);
    }

    void tickerIsDriftFreeAndReportsMissedTicks()
    {
        Ticker ticker(5ms);
        std::vector<std::uint64_t> elapsed;
        ManualExecutor executor;
        // Ticks are due at 5, 10, 15, 20, 25 ms. The first iteration works for 17 ms, so the loop
        // asks for its next tick at 22 ms: the ticks at 10, 15 and 20 ms collapse into one.
        executor.spawn(tickLoop(ticker, 3, elapsed, 17ms));
        executor.runReady();
        executor.advance(5ms);
        QCOMPARE(elapsed, std::vector<std::uint64_t>{1});
        executor.advance(17ms);
        QCOMPARE(elapsed, (std::vector<std::uint64_t>{1, 3}));
        QCOMPARE(ticker.missedTicks(), 2u);
        executor.advance(2ms); // 24 ms: the next tick is due at 25 ms, on the grid
        QCOMPARE(elapsed.size(), 2u);
        executor.advance(1ms);
        QCOMPARE(elapsed, (std::vector<std::uint64_t>{1, 3, 1}));
    }

    void shutdownCancelsPendingSleepsWithAClearError()
    {
        std::vector<std::string> log;
        ManualExecutor executor("poller");
        executor.spawn(sleeper(1h, log, "poll"));
        executor.runReady();
        executor.cancelTimers();
        QCOMPARE(log.size(), 1u);
        QVERIFY2(log[0].find("cancelled") != std::string::npos, log[0].c_str());
    }

    void threadExecutorStopEndsSleepsWithOperationCancelled()
    {
        const Watchdog watchdog("stop");
        std::string outcome;
        std::latch started(1);
        {
            ThreadExecutor executor("heartbeat");
            executor.spawn(sleepOnThreadExecutor(outcome, started));
            started.wait();
            executor.stop();
            QCOMPARE(executor.liveJobs(), 0);
        }
        QVERIFY2(outcome.find("executor 'heartbeat' is stopping") != std::string::npos, outcome.c_str());
    }

    void jobFailureReachesTheErrorHandlerAndIsCounted()
    {
        const Watchdog watchdog("job failure");
        std::string reported;
        std::latch failed(1);
        ThreadExecutor executor("detect", nullptr, [&](std::string_view name, std::exception_ptr error) {
            try {
                std::rethrow_exception(error);
            } catch (const std::exception &e) {
                reported = std::string(name) + ": " + e.what();
            }
            failed.count_down();
        });
        executor.spawn(failing());
        failed.wait();
        executor.stop();
        QCOMPARE(reported, std::string("detect: stage crashed"));
        QCOMPARE(executor.failedJobs(), 1u);
    }

    void stopTokenEndsASleepEarlyAndLeavesOtherTimersAlone()
    {
        ManualExecutor executor;
        std::vector<std::string> log;
        std::stop_source stop;
        executor.spawn(stoppableSleeper(std::chrono::hours(10), stop.get_token(), log, "long"));
        executor.spawn(sleeper(10ms, log, "short"));
        executor.runReady();
        QCOMPARE(executor.pendingTimers(), 2u);
        stop.request_stop();
        executor.runReady();
        QCOMPARE(log.size(), 1u);
        QVERIFY2(log[0].find("long cancelled: sleep on executor 'manual' cancelled: its stop token was triggered") == 0,
                 log[0].c_str());
        QCOMPARE(executor.pendingTimers(), 1u);
        executor.advance(10ms);
        QCOMPARE(log.back(), std::string("short"));
        // A token already stopped fails without suspending.
        executor.spawn(stoppableSleeper(1s, stop.get_token(), log, "late"));
        executor.runReady();
        QCOMPARE(log.size(), 3u);
        QVERIFY2(log[2].find("late cancelled") == 0, log[2].c_str());
        QCOMPARE(executor.pendingTimers(), 0u);
    }

    void stopTokenEndsATickerWaitFromAnotherThread()
    {
        const Watchdog watchdog("ticker stop");
        ThreadExecutor executor("ticking");
        Ticker ticker(std::chrono::hours(1));
        std::stop_source stop;
        std::string error;
        std::atomic<bool> done{false};
        executor.spawn(tickUntilStopped(ticker, stop.get_token(), error, done));
        stop.request_stop(); // before or after the wait begins: either way it ends the wait
        while (!done.load(std::memory_order_acquire)) {
            std::this_thread::yield();
        }
        QVERIFY2(error.find("stop token was triggered") != std::string::npos, error.c_str());
        QCOMPARE(ticker.ticks(), 0u);
    }

    void sleepingWithoutAnExecutorIsAMisuse()
    {
        QVERIFY_THROWS_EXCEPTION(MisuseError, static_cast<void>(sleepFor(1ms)));
    }

    void postAndResumeAllocateNothing()
    {
        Ticker ticker(1ms);
        std::vector<std::uint64_t> elapsed;
        elapsed.reserve(1000);
        std::vector<std::string> log;
        log.reserve(8);
        ManualExecutor executor;
        executor.spawn(sleeper(1ms, log, "warm"));
        executor.advance(1ms);
        executor.spawn(tickLoop(ticker, 1000, elapsed));
        executor.runReady();
        const AllocationScope scope;
        for (int i = 0; i < 999; ++i) {
            executor.advance(1ms);
        }
        QCOMPARE(elapsed.size(), 999u);
        QCOMPARE(scope.thread(), 0u);
        executor.advance(1ms);
    }

    void framesAllocatedOnOneThreadAndFreedOnAnotherAreReused()
    {
        const Watchdog watchdog("frame reuse");
        // A producer's ValueTask coroutine frames are destroyed by the consumer thread that takes
        // their results; the shared free list brings them back, so the heap is touched only while
        // the pools warm up.
        // The channel outlives the producer's executor, which may still be inside complete().
        Channel<ValueTask<int>> channel("tasks", ChannelOptions{64, FullMode::Wait, false});
        ThreadExecutor producer("producer");
        constexpr int kRounds = 20'000;
        auto makeTask = [](int v) -> ValueTask<int> { co_return v; };
        struct Produce {
            static Job run(Channel<ValueTask<int>> &ch, int rounds, decltype(makeTask) make)
            {
                for (int i = 0; i < rounds; ++i) {
                    co_await ch.write(make(i));
                }
                ch.complete();
            }
        };
        long long sum = 0;
        const std::uint64_t before = detail::CoroutineAllocator::heapAllocations();
        producer.spawn(Produce::run(channel, kRounds, makeTask));
        for (int i = 0; i < kRounds; ++i) {
            sum += syncWait(syncWait(channel.read()));
        }
        const std::uint64_t grown = detail::CoroutineAllocator::heapAllocations() - before;
        QCOMPARE(sum, static_cast<long long>(kRounds) * (kRounds - 1) / 2);
        QVERIFY2(grown < 2000, std::to_string(grown).c_str());
    }
};

QTEST_GUILESS_MAIN(ExecutorTest)
#include "executor_test.moc"
