#include <QTest>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <stop_token>
#include <string>
#include <vector>

#include <waferscope/runtime/channel.h>
#include <waferscope/runtime/runtime_stats.h>
#include <waferscope/runtime/stats_registry.h>
#include <waferscope/runtime/sync_wait.h>
#include <waferscope/testing/allocation_counter.h>
#include <waferscope/testing/child_process.h>
#include <waferscope/testing/counted.h>
#include <waferscope/testing/manual_executor.h>

using namespace waferscope::runtime;
using waferscope::testing::AllocationScope;
using waferscope::testing::countsMalloc;
using waferscope::testing::Counted;
using waferscope::testing::ManualExecutor;
using waferscope::testing::runInChild;

namespace {

struct ReadResult {
    std::vector<int> values;
    std::string error;
    bool done = false;
};

/// Reads `count` items (or until an error) into `out`.
Job readInto(Channel<int> &channel, int count, ReadResult &out, std::stop_token stop = {})
{
    try {
        for (int i = 0; i < count; ++i) {
            out.values.push_back(co_await channel.read(stop));
        }
    } catch (const std::exception &e) {
        out.error = e.what();
    }
    out.done = true;
}

Job writeAll(Channel<int> &channel, std::vector<int> values, std::string &error, bool &done, std::stop_token stop = {})
{
    try {
        for (int v : values) {
            co_await channel.write(v, stop);
        }
    } catch (const std::exception &e) {
        error = e.what();
    }
    done = true;
}

ChannelOptions options(std::size_t capacity, FullMode mode = FullMode::Wait)
{
    ChannelOptions o;
    o.capacity = capacity;
    o.fullMode = mode;
    return o;
}

/// A channel built in storage the test owns, so that after destroying it the test can overwrite
/// its bytes: whatever still touches the channel then reads garbage and fails visibly.
class PoisonedAfterDestruction
{
public:
    explicit PoisonedAfterDestruction(const std::string &name, ChannelOptions o)
        : m_channel(new (m_storage) Channel<int>(name, o))
    {
    }
    ~PoisonedAfterDestruction() { destroy(); }
    PoisonedAfterDestruction(const PoisonedAfterDestruction &) = delete;
    PoisonedAfterDestruction &operator=(const PoisonedAfterDestruction &) = delete;

    Channel<int> &operator*() const noexcept { return *m_channel; }
    Channel<int> *operator->() const noexcept { return m_channel; }
    void destroy()
    {
        if (m_channel != nullptr) {
            std::exchange(m_channel, nullptr)->~Channel();
            std::memset(m_storage, 0xA5, sizeof m_storage);
        }
    }

private:
    alignas(Channel<int>) unsigned char m_storage[sizeof(Channel<int>)];
    Channel<int> *m_channel;
};

} // namespace

class ChannelTest : public QObject
{
    Q_OBJECT

private slots:
    void zeroCapacityIsRejectedWithItsName()
    {
        try {
            Channel<int> channel("frames", options(0));
            QFAIL("capacity 0 must be refused");
        } catch (const std::invalid_argument &e) {
            QVERIFY2(std::string(e.what()).find("'frames'") != std::string::npos, e.what());
        }
    }

    void tryWriteThenTryReadKeepsOrder()
    {
        Channel<int> channel("c", options(4));
        for (int i = 1; i <= 4; ++i) {
            QVERIFY(channel.tryWrite(i));
        }
        QVERIFY(!channel.tryWrite(5)); // full, Wait mode
        for (int i = 1; i <= 4; ++i) {
            QCOMPARE(channel.tryRead().value(), i);
        }
        QVERIFY(!channel.tryRead().has_value());
    }

    void failedTryWriteLeavesTheItemWithTheCaller()
    {
        Channel<std::string> channel("c", options(1));
        QVERIFY(channel.tryWrite(std::string("first")));
        std::string second = "second";
        QVERIFY(!channel.tryWrite(std::move(second)));
        QCOMPARE(second, std::string("second")); // NOLINT(bugprone-use-after-move): not moved on failure
    }

    void readCompletesSynchronouslyWhenAnItemIsThere()
    {
        Channel<int> channel("c", options(2));
        QVERIFY(channel.tryWrite(9));
        auto task = channel.read();
        QVERIFY(task.isCompletedSuccessfully());
        QCOMPARE(syncWait(std::move(task)), 9);
        QCOMPARE(channel.suspendedReads(), 0u);
    }

    void readSuspendsUntilWriteAndResumesOnTheReadersExecutor()
    {
        ManualExecutor executor;
        Channel<int> channel("c", options(2));
        ReadResult result;
        executor.spawn(readInto(channel, 1, result));
        executor.runReady();
        QVERIFY(!result.done);
        QVERIFY(channel.tryWrite(5));
        QVERIFY(!result.done); // not resumed inside tryWrite
        executor.runReady();
        QVERIFY(result.done);
        QCOMPARE(result.values, std::vector<int>{5});
        QCOMPARE(channel.suspendedReads(), 1u);
    }

    void resumeInlineResumesTheReaderInsideTheWrite()
    {
        ManualExecutor executor;
        ChannelOptions o = options(2);
        o.resumeInline = true;
        Channel<int> channel("c", o);
        ReadResult result;
        executor.spawn(readInto(channel, 1, result));
        executor.runReady();
        QVERIFY(channel.tryWrite(5));
        QVERIFY(result.done); // resumed on this thread, inside tryWrite
        QCOMPARE(result.values, std::vector<int>{5});
    }

    void writeWaitsWhenFullUntilTheReaderMakesRoom()
    {
        ManualExecutor executor;
        Channel<int> channel("c", options(1));
        std::string error;
        bool done = false;
        executor.spawn(writeAll(channel, {1, 2, 3}, error, done));
        executor.runReady();
        QVERIFY(!done);
        QCOMPARE(channel.size(), 1u);
        QCOMPARE(channel.tryRead().value(), 1);
        executor.runReady();
        QCOMPARE(channel.tryRead().value(), 2);
        executor.runReady();
        QVERIFY(done);
        QCOMPARE(channel.tryRead().value(), 3);
        QVERIFY(error.empty());
        QCOMPARE(channel.suspendedWrites(), 2u);
    }

    void blockedWritersAreAdmittedInArrivalOrder()
    {
        ManualExecutor executor;
        Channel<int> channel("c", options(1));
        std::string e1, e2, e3;
        bool d1 = false, d2 = false, d3 = false;
        QVERIFY(channel.tryWrite(0));
        executor.spawn(writeAll(channel, {1}, e1, d1));
        executor.spawn(writeAll(channel, {2}, e2, d2));
        executor.spawn(writeAll(channel, {3}, e3, d3));
        executor.runReady();
        std::vector<int> seen;
        for (int i = 0; i < 4; ++i) {
            seen.push_back(channel.tryRead().value());
            executor.runReady();
        }
        QCOMPARE(seen, (std::vector<int>{0, 1, 2, 3}));
        QVERIFY(d1 && d2 && d3);
    }

    void dropOldestKeepsTheNewestAndCountsTheDrop()
    {
        std::vector<std::pair<int, DropReason>> dropped;
        Channel<int> channel("c", options(2, FullMode::DropOldest), nullptr,
                             [&dropped](int &&item, DropReason reason) { dropped.emplace_back(item, reason); });
        for (int i = 1; i <= 4; ++i) {
            QVERIFY(channel.tryWrite(i));
        }
        QCOMPARE(channel.tryRead().value(), 3);
        QCOMPARE(channel.tryRead().value(), 4);
        QCOMPARE(dropped.size(), 2u);
        QCOMPARE(dropped[0].first, 1);
        QCOMPARE(dropped[1].first, 2);
        QVERIFY(dropped[0].second == DropReason::Oldest);
        QCOMPARE(channel.dropped(DropReason::Oldest), 2u);
    }

    void dropNewestReplacesTheNewestBufferedItem()
    {
        std::vector<int> dropped;
        Channel<int> channel("c", options(2, FullMode::DropNewest), nullptr,
                             [&dropped](int &&item, DropReason) { dropped.push_back(item); });
        for (int i = 1; i <= 4; ++i) {
            QVERIFY(channel.tryWrite(i));
        }
        QCOMPARE(channel.tryRead().value(), 1);
        QCOMPARE(channel.tryRead().value(), 4);
        QCOMPARE(dropped, (std::vector<int>{2, 3}));
        QCOMPARE(channel.dropped(DropReason::Newest), 2u);
    }

    void dropWriteRefusesTheNewItemAndCountsIt()
    {
        std::vector<int> dropped;
        Channel<int> channel("c", options(2, FullMode::DropWrite), nullptr,
                             [&dropped](int &&item, DropReason) { dropped.push_back(item); });
        for (int i = 1; i <= 4; ++i) {
            syncWait(channel.write(i));
        }
        QCOMPARE(channel.tryRead().value(), 1);
        QCOMPARE(channel.tryRead().value(), 2);
        QCOMPARE(dropped, (std::vector<int>{3, 4}));
        QCOMPARE(channel.dropped(DropReason::Write), 2u);
    }

    void completedChannelDrainsThenReadSeesTheEnd()
    {
        Channel<int> channel("frames", options(4));
        QVERIFY(channel.tryWrite(1));
        QVERIFY(channel.complete());
        QVERIFY(!channel.complete()); // once
        QCOMPARE(syncWait(channel.read()), 1);
        try {
            static_cast<void>(syncWait(channel.read()));
            QFAIL("read after the end must fail");
        } catch (const ChannelClosed &e) {
            QVERIFY2(std::string(e.what()).find("'frames' is completed") != std::string::npos, e.what());
        }
    }

    void readAfterCompletionThrowsClearErrorAndNoStaleValue()
    {
        Channel<int> channel("c", options(4));
        QVERIFY(channel.tryWrite(41));
        QCOMPARE(channel.tryRead().value(), 41);
        channel.complete();
        auto task = channel.read();
        QVERIFY(task.isCompleted());
        QVERIFY(!task.isCompletedSuccessfully());
        QVERIFY_THROWS_EXCEPTION(ChannelClosed, syncWait(std::move(task)));
    }

    void completeWithErrorReachesTheWaitingReader()
    {
        ManualExecutor executor;
        Channel<int> channel("c", options(4));
        ReadResult result;
        executor.spawn(readInto(channel, 1, result));
        executor.runReady();
        channel.complete(std::make_exception_ptr(std::runtime_error("camera disconnected")));
        executor.runReady();
        QVERIFY(result.done);
        QCOMPARE(result.error, std::string("camera disconnected"));
    }

    void writeAfterCompletionFailsAndCountsTheItem()
    {
        Channel<int> channel("c", options(4));
        channel.complete();
        QVERIFY(!channel.tryWrite(1));
        QVERIFY_THROWS_EXCEPTION(ChannelClosed, syncWait(channel.write(2)));
        QCOMPARE(channel.dropped(DropReason::Closed), 1u);
    }

    void completeFailsBlockedWritersAndCountsTheirItems()
    {
        ManualExecutor executor;
        Channel<int> channel("c", options(1));
        std::string error;
        bool done = false;
        QVERIFY(channel.tryWrite(0));
        executor.spawn(writeAll(channel, {1}, error, done));
        executor.runReady();
        channel.complete();
        executor.runReady();
        QVERIFY(done);
        QVERIFY2(error.find("completed") != std::string::npos, error.c_str());
        QCOMPARE(channel.dropped(DropReason::Closed), 1u);
        QCOMPARE(syncWait(channel.read()), 0); // the buffered item still drains
    }

    void secondPendingReadIsAMisuse()
    {
        Channel<int> channel("c", options(1));
        auto first = channel.read();
        QVERIFY_THROWS_EXCEPTION(MisuseError, static_cast<void>(channel.read()));
        QVERIFY(channel.tryWrite(3));
        QCOMPARE(syncWait(std::move(first)), 3);
    }

    void stopTokenCancelsAWaitingRead()
    {
        ManualExecutor executor;
        Channel<int> channel("c", options(1));
        std::stop_source stop;
        ReadResult result;
        executor.spawn(readInto(channel, 1, result, stop.get_token()));
        executor.runReady();
        stop.request_stop();
        executor.runReady();
        QVERIFY(result.done);
        QVERIFY2(result.error.find("cancelled") != std::string::npos, result.error.c_str());
        // The channel is usable afterwards: a new read gets the next item.
        QVERIFY(channel.tryWrite(8));
        QCOMPARE(syncWait(channel.read()), 8);
    }

    void stopTokenCancelsABlockedWriteAndCountsItsItem()
    {
        ManualExecutor executor;
        Channel<int> channel("c", options(1));
        std::stop_source stop;
        std::string error;
        bool done = false;
        QVERIFY(channel.tryWrite(0));
        executor.spawn(writeAll(channel, {1}, error, done, stop.get_token()));
        executor.runReady();
        stop.request_stop();
        executor.runReady();
        QVERIFY(done);
        QVERIFY2(error.find("cancelled") != std::string::npos, error.c_str());
        QCOMPARE(channel.dropped(DropReason::Cancelled), 1u);
        QCOMPARE(channel.tryRead().value(), 0);
        QVERIFY(!channel.tryRead().has_value()); // the cancelled item was not written
    }

    void alreadyStoppedTokenFailsAtOnce()
    {
        Channel<int> channel("c", options(1));
        std::stop_source stop;
        stop.request_stop();
        QVERIFY_THROWS_EXCEPTION(OperationCancelled, syncWait(channel.read(stop.get_token())));
    }

    void abandonedPendingReadLosesNoItem()
    {
        Channel<int> channel("c", options(2));
        {
            auto dropped = channel.read(); // never awaited
        }
        QVERIFY(channel.tryWrite(6));
        QCOMPARE(syncWait(channel.read()), 6);
    }

    void abandonedCompletedReadCountsItsItemAsDropped()
    {
        std::vector<int> dropped;
        Channel<int> channel("c", options(2), nullptr, [&dropped](int &&item, DropReason reason) {
            QVERIFY(reason == DropReason::Abandoned);
            dropped.push_back(item);
        });
        {
            auto pending = channel.read();
            QVERIFY(channel.tryWrite(6)); // handed to the pending read, which is then dropped
        }
        QCOMPARE(dropped, std::vector<int>{6});
        QCOMPARE(channel.dropped(DropReason::Abandoned), 1u);
    }

    void readerOfTheLastItemMayDestroyTheChannelBeforeItsWaitingWriterResumes()
    {
        const auto outcome = runInChild([] {
            ManualExecutor executor;
            PoisonedAfterDestruction channel("handoff", options(1));
            std::string error;
            bool done = false;
            if (!channel->tryWrite(1)) {
                return 2;
            }
            executor.spawn(writeAll(*channel, {2}, error, done));
            executor.runReady(); // the writer waits for room
            const std::optional<int> first = channel->tryRead();  // admits the writer's item
            const std::optional<int> second = channel->tryRead(); // the last item
            channel.destroy(); // allowed: the reader of the last item is done with the channel
            executor.runReady(); // the writer resumes and finishes its write
            return first == 1 && second == 2 && done && error.empty() ? 0 : 3;
        });
        QVERIFY2(outcome.exitedCleanly(), outcome.describe().c_str());
    }

    void aWriteReleasedButNotYetAwaitedCompletesAfterItsChannelIsGone()
    {
        const auto outcome = runInChild([] {
            PoisonedAfterDestruction channel("released", options(1));
            if (!channel->tryWrite(1)) {
                return 2;
            }
            ValueTask<void> write = channel->write(2); // waits for room
            if (write.isCompleted()) {
                return 3;
            }
            const std::optional<int> first = channel->tryRead();
            const std::optional<int> second = channel->tryRead();
            channel.destroy();
            syncWait(std::move(write));
            return first == 1 && second == 2 ? 0 : 4;
        });
        QVERIFY2(outcome.exitedCleanly(), outcome.describe().c_str());
    }

    void destroyingTheChannelWhileACompletedReadIsNotYetAwaitedAborts()
    {
        const auto outcome = runInChild([] {
            auto channel = std::make_unique<Channel<int>>("orphaned", options(2));
            ValueTask<int> read = channel->read(); // waits
            if (!channel->tryWrite(4)) {           // completes the read
                return 2;
            }
            channel.reset(); // the read still points into the channel
            return 0;
        });
        QVERIFY2(outcome.aborted, outcome.describe().c_str());
        QVERIFY2(outcome.errors.find("channel 'orphaned' destroyed while a read it returned is not yet awaited") !=
                     std::string::npos,
                 outcome.errors.c_str());
    }

    void droppedReadThatCompletedAtOnceCountsItsItemAsDroppedNotRead()
    {
        std::vector<std::pair<int, DropReason>> dropped;
        Channel<int> channel("c", options(2), nullptr,
                             [&dropped](int &&item, DropReason reason) { dropped.emplace_back(item, reason); });
        QVERIFY(channel.tryWrite(5));
        {
            auto read = channel.read(); // completes at once, then is dropped unawaited
            QVERIFY(read.isCompletedSuccessfully());
        }
        QCOMPARE(dropped.size(), 1u);
        QCOMPARE(dropped[0].first, 5);
        QVERIFY(dropped[0].second == DropReason::Abandoned);
        QCOMPARE(channel.dropped(DropReason::Abandoned), 1u);
        QCOMPARE(channel.itemsRead(), 0u);
        {
            auto pending = channel.read();
            QVERIFY(channel.tryWrite(6)); // handed to the pending read, which is then dropped
        }
        QCOMPARE(channel.dropped(DropReason::Abandoned), 2u);
        QCOMPARE(channel.itemsRead(), 0u); // an abandoned item is not a read item
        QVERIFY(channel.tryWrite(7));
        QCOMPARE(syncWait(channel.read()), 7);
        QCOMPARE(channel.itemsRead(), 1u);
    }

    void itemDroppedCallbackThatThrowsIsCaughtCountedAndReported()
    {
        const std::uint64_t before = RuntimeStats::dropCallbackFailures();
        StatsRegistry registry;
        Channel<int> channel("strict", options(1, FullMode::DropWrite), &registry,
                             [](int &&, DropReason) { throw std::runtime_error("callback refuses"); });
        QVERIFY(channel.tryWrite(1));
        QVERIFY(channel.tryWrite(2)); // dropped; the callback throws
        QVERIFY(channel.tryWrite(3));
        QCOMPARE(channel.dropped(DropReason::Write), 2u);
        QCOMPARE(channel.dropCallbackFailures(), 2u);
        QCOMPARE(RuntimeStats::dropCallbackFailures(), before + 2);
        QCOMPARE(registry.find("strict").value("drop_callback_failures"), 2);
        QCOMPARE(channel.tryRead().value(), 1); // the channel goes on
    }

    void allocationsOfAFailedWaitAreVisibleToTheAllocationCounter()
    {
        {
            const AllocationScope direct;
            void *volatile block = std::malloc(32);
            std::free(block);
            QCOMPARE(direct.thread(), countsMalloc() ? 1u : 0u);
        }
        Channel<int> channel("c", options(1));
        std::stop_source stop;
        stop.request_stop();
        const auto failOnce = [&channel, &stop] {
            try {
                static_cast<void>(syncWait(channel.read(stop.get_token())));
                return false;
            } catch (const OperationCancelled &) {
                return true;
            }
        };
        QVERIFY(failOnce()); // warms the frame pool
        const AllocationScope scope;
        QVERIFY(failOnce());
        // The channel's error is made once, at construction; what remains is libstdc++'s
        // std::rethrow_exception, which mallocs a dependent exception per rethrow.
        if (countsMalloc()) {
            QVERIFY2(scope.thread() >= 1, "a rethrow's malloc must be counted");
        } else {
            QCOMPARE(scope.thread(), 0u); // sanitizer builds: operator new only, and there is none
        }
    }

    void itemsAreDestroyedExactlyOnce()
    {
        Counted::reset();
        {
            Channel<Counted> channel("c", options(2, FullMode::DropOldest));
            for (int i = 0; i < 5; ++i) {
                QVERIFY(channel.tryWrite(Counted(i)));
            }
            QCOMPARE(channel.tryRead()->value, 3);
        }
        QCOMPARE(Counted::alive.load(), 0);
        QCOMPARE(Counted::copies.load(), 0);
    }

    void statsSnapshotShowsCountersByName()
    {
        StatsRegistry registry;
        {
            Channel<int> channel("defects", options(2, FullMode::DropWrite), &registry);
            QVERIFY(channel.tryWrite(1));
            QVERIFY(channel.tryWrite(2));
            QVERIFY(channel.tryWrite(3));
            QCOMPARE(channel.tryRead().value(), 1);
            const StatsEntry entry = registry.find("defects");
            QCOMPARE(entry.kind, std::string("channel"));
            QCOMPARE(entry.value("capacity"), 2);
            QCOMPARE(entry.value("items_written"), 2);
            QCOMPARE(entry.value("items_read"), 1);
            QCOMPARE(entry.value("dropped_write"), 1);
            QCOMPARE(entry.value("high_water"), 2);
            QCOMPARE(entry.value("depth"), 1);
        }
        QVERIFY(registry.snapshot().empty());
    }

    void steadyStateOperationsAllocateNothing()
    {
        ManualExecutor executor;
        Channel<int> channel("c", options(1));
        std::stop_source stop;
        // Warm-up: one blocked writer operation and the frame pool for these coroutines.
        ReadResult warm;
        std::string error;
        bool done = false;
        executor.spawn(writeAll(channel, {1, 2}, error, done, stop.get_token()));
        executor.spawn(readInto(channel, 2, warm, stop.get_token()));
        executor.runReady();
        executor.runReady();
        QVERIFY(done && warm.done);

        std::vector<int> values(1000, 7);
        ReadResult result;
        result.values.reserve(1000);
        bool writerDone = false;
        {
            const AllocationScope scope;
            for (int i = 0; i < 1000; ++i) { // synchronous paths
                QVERIFY(channel.tryWrite(i));
                QCOMPARE(channel.tryRead().value(), i);
                QVERIFY(channel.write(i).isCompletedSuccessfully());
                QCOMPARE(syncWait(channel.read(stop.get_token())), i);
            }
            QCOMPARE(scope.thread(), 0u);
        }
        // Suspending paths: reader and writer take turns blocking on a capacity-1 channel.
        executor.spawn(writeAll(channel, {}, error, writerDone)); // warm this frame size too
        executor.runReady();
        std::vector<int> big(200, 3);
        bool bigDone = false;
        ReadResult bigRead;
        bigRead.values.reserve(200);
        const AllocationScope scope;
        executor.spawn(readInto(channel, 200, bigRead, stop.get_token()));
        executor.spawn(writeAll(channel, std::move(big), error, bigDone, stop.get_token()));
        while (executor.runReady() > 0) {
        }
        QVERIFY(bigDone && bigRead.done);
        QCOMPARE(bigRead.values.size(), 200u);
        QVERIFY(channel.suspendedReads() + channel.suspendedWrites() > 100);
        // writeAll's by-value vector argument is the only allocation (its copy into the frame is
        // a move; the vector was built before the scope) — so nothing at all is expected.
        QCOMPARE(scope.thread(), 0u);
    }
};

QTEST_GUILESS_MAIN(ChannelTest)
#include "channel_test.moc"
