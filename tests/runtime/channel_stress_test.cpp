#include <QTest>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <latch>
#include <string>
#include <vector>

#include <thread>

#include <waferscope/runtime/channel.h>
#include <waferscope/runtime/thread_executor.h>
#include <waferscope/testing/watchdog.h>

using namespace waferscope::runtime;
using waferscope::testing::Watchdog;

namespace {

constexpr int kProducers = 3;

/// An item says who wrote it and its place in that writer's sequence.
struct Item {
    std::uint32_t producer;
    std::uint32_t sequence;
};

struct Tally {
    std::atomic<std::uint64_t> dropped[kProducers]{};
    std::uint64_t received[kProducers]{};
    std::int64_t lastSequence[kProducers]{-1, -1, -1};
    std::uint64_t outOfOrder = 0;
    std::string error;
};

std::uint64_t itemCount()
{
    // 10^6 by default; WAFERSCOPE_STRESS_ITEMS overrides it for longer soaks.
    const char *env = std::getenv("WAFERSCOPE_STRESS_ITEMS");
    return env != nullptr ? std::strtoull(env, nullptr, 10) : 1'000'000;
}

Job produce(Channel<Item> &channel, std::uint32_t producer, std::uint32_t count, std::atomic<int> &running)
{
    for (std::uint32_t s = 0; s < count; ++s) {
        const Item item{producer, s}; // named: see tools/check_co_await_temporaries.py
        co_await channel.write(item);
    }
    if (running.fetch_sub(1, std::memory_order_acq_rel) == 1) {
        channel.complete();
    }
}

Job consume(Channel<Item> &channel, Tally &tally, std::latch &done)
{
    try {
        for (;;) {
            const Item item = co_await channel.read();
            auto &last = tally.lastSequence[item.producer];
            if (static_cast<std::int64_t>(item.sequence) <= last) {
                ++tally.outOfOrder;
            }
            last = item.sequence;
            ++tally.received[item.producer];
        }
    } catch (const ChannelClosed &) {
        // the end
    } catch (const std::exception &e) {
        tally.error = e.what();
    }
    done.count_down();
}

void runMode(FullMode mode)
{
    const std::uint64_t total = itemCount();
    const auto perProducer = static_cast<std::uint32_t>(total / kProducers + 1);
    Tally tally;
    ChannelOptions options;
    options.capacity = 256;
    options.fullMode = mode;
    StatsRegistry registry;
    Channel<Item> channel("stress", options, &registry,
                          [&tally](Item &&item, DropReason) { tally.dropped[item.producer].fetch_add(1); });
    std::latch done(1);
    std::atomic<int> running{kProducers};
    {
        ThreadExecutor reader("reader", &registry);
        ThreadExecutor writerA("writer-a", &registry);
        ThreadExecutor writerB("writer-b", &registry);
        reader.spawn(consume(channel, tally, done));
        writerA.spawn(produce(channel, 0, perProducer, running));
        writerB.spawn(produce(channel, 1, perProducer, running));
        writerB.spawn(produce(channel, 2, perProducer, running)); // two writers share one thread
        // The UI thread's view: snapshots while the pipeline runs, never stopping it.
        std::int64_t lastRead = 0;
        while (!done.try_wait()) {
            const auto entries = registry.snapshot();
            QCOMPARE(entries.size(), 4u);
            const std::int64_t read = registry.find("stress").value("items_read");
            QVERIFY(read >= lastRead); // counters only grow
            lastRead = read;
            std::this_thread::yield();
        }
    }
    QVERIFY2(tally.error.empty(), tally.error.c_str());
    QCOMPARE(tally.outOfOrder, 0u);
    std::uint64_t droppedTotal = 0;
    for (int p = 0; p < kProducers; ++p) {
        const std::uint64_t dropped = tally.dropped[p].load();
        droppedTotal += dropped;
        QCOMPARE(tally.received[p] + dropped, static_cast<std::uint64_t>(perProducer));
    }
    const std::uint64_t countedDrops = channel.dropped(DropReason::Oldest) + channel.dropped(DropReason::Newest) +
                                       channel.dropped(DropReason::Write);
    QCOMPARE(countedDrops, droppedTotal);
    if (mode == FullMode::Wait) {
        QCOMPARE(droppedTotal, 0u);
    }
    QCOMPARE(channel.itemsRead(), static_cast<std::uint64_t>(perProducer) * kProducers - droppedTotal);
}

} // namespace

class ChannelStressTest : public QObject
{
    Q_OBJECT

private slots:
    void waitModeLosesAndDuplicatesNothingAndKeepsPerProducerOrder()
    {
        const Watchdog watchdog("wait mode stress", std::chrono::minutes(4));
        runMode(FullMode::Wait);
    }
    void dropOldestAccountsForEveryItem()
    {
        const Watchdog watchdog("drop-oldest stress", std::chrono::minutes(4));
        runMode(FullMode::DropOldest);
    }
    void dropNewestAccountsForEveryItem()
    {
        const Watchdog watchdog("drop-newest stress", std::chrono::minutes(4));
        runMode(FullMode::DropNewest);
    }
    void dropWriteAccountsForEveryItem()
    {
        const Watchdog watchdog("drop-write stress", std::chrono::minutes(4));
        runMode(FullMode::DropWrite);
    }
};

QTEST_GUILESS_MAIN(ChannelStressTest)
#include "channel_stress_test.moc"
