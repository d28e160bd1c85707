#include <QCoreApplication>
#include <QProcess>
#include <QTest>

#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <thread>
#include <vector>

#include <waferscope/runtime/batch_marshal.h>
#include <waferscope/runtime/errors.h>
#include <waferscope/runtime/stats_registry.h>
#include <waferscope/testing/allocation_counter.h>
#include <waferscope/testing/counted.h>
#include <waferscope/testing/watchdog.h>

using namespace waferscope::runtime;
using waferscope::testing::AllocationScope;
using waferscope::testing::Counted;
using waferscope::testing::Watchdog;

namespace {

constexpr char kChildVariable[] = "WAFERSCOPE_BATCH_MARSHAL_CHILD";

/// Waits, without sleeping, for a state another thread reaches; the Watchdog around the caller
/// turns a state that never comes into a clear failure.
template<typename Predicate>
void spinUntil(Predicate isReached)
{
    while (!isReached()) {
        std::this_thread::yield();
    }
}

std::vector<int> drainAll(BatchMarshal<int> &marshal)
{
    std::vector<int> items;
    static_cast<void>(marshal.drain([&](std::span<int> batch) { items.assign(batch.begin(), batch.end()); }));
    return items;
}

} // namespace

class BatchMarshalTest : public QObject
{
    Q_OBJECT

private slots:
    void drainDeliversItemsInPublishOrder()
    {
        BatchMarshal<int> marshal("order", 64, OverflowPolicy::DropNewest);
        for (int i = 0; i < 10; ++i) {
            marshal.publish(i);
        }
        QCOMPARE(marshal.pending(), 10);
        const std::vector<int> items = drainAll(marshal);
        QCOMPARE(items, (std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
        QCOMPARE(marshal.pending(), 0);
        QCOMPARE(marshal.delivered(), 10u);
        QCOMPARE(marshal.batches(), 1u);
    }

    void drainWithNothingPendingDoesNotCallTheConsumer()
    {
        BatchMarshal<int> marshal("empty", 4, OverflowPolicy::DropNewest);
        bool isCalled = false;
        QCOMPARE(marshal.drain([&](std::span<int>) { isCalled = true; }), 0u);
        QVERIFY(!isCalled);
        QCOMPARE(marshal.batches(), 0u);
    }

    void consumerMayMoveItemsOutOfTheBatch()
    {
        BatchMarshal<std::vector<int>> marshal("move", 4, OverflowPolicy::DropNewest);
        marshal.publish(std::vector<int>{1, 2, 3});
        std::vector<int> taken;
        static_cast<void>(marshal.drain([&](std::span<std::vector<int>> batch) { taken = std::move(batch[0]); }));
        QCOMPARE(taken, (std::vector<int>{1, 2, 3}));
    }

    void wakeIsRequestedOncePerDrainCycleNotPerItem()
    {
        int wakeCalls = 0;
        BatchMarshal<int> marshal("wake", 10'000, OverflowPolicy::DropNewest, [&] { ++wakeCalls; });
        for (int i = 0; i < 10'000; ++i) {
            marshal.publish(i);
        }
        QCOMPARE(wakeCalls, 1);
        QCOMPARE(marshal.wakes(), 1u);
        QVERIFY(marshal.isWakeRequested());

        QCOMPARE(marshal.drain([](std::span<int>) {}), 10'000u);
        QVERIFY(!marshal.isWakeRequested());
        marshal.publish(1);
        marshal.publish(2);
        QCOMPARE(wakeCalls, 2);
        QCOMPARE(marshal.wakes(), 2u);
    }

    void wakeRunsOnThePublishingThreadOutsideTheLock()
    {
        const Watchdog watchdog("wakeRunsOnThePublishingThreadOutsideTheLock");
        BatchMarshal<int> *self = nullptr;
        std::thread::id wakeThread;
        bool isNestedPublishAccepted = false;
        BatchMarshal<int> marshal("wake-thread", 4, OverflowPolicy::DropNewest, [&] {
            wakeThread = std::this_thread::get_id();
            // Publishing from inside the hook would deadlock on the marshal's mutex if the hook
            // ran under it.
            isNestedPublishAccepted = self->tryPublish(2);
        });
        self = &marshal;
        std::thread producer([&] { marshal.publish(1); });
        const std::thread::id producerId = producer.get_id();
        producer.join();
        QCOMPARE(wakeThread, producerId);
        QVERIFY(isNestedPublishAccepted);
        QCOMPARE(drainAll(marshal), (std::vector<int>{1, 2}));
    }

    void dropNewestCountsEveryDroppedItem()
    {
        Counted::reset();
        {
            BatchMarshal<Counted> marshal("drop", 8, OverflowPolicy::DropNewest);
            for (int i = 0; i < 100; ++i) {
                marshal.publish(Counted(i));
            }
            QCOMPARE(marshal.dropped(), 92u);
            QCOMPARE(marshal.pending(), 8);
            QCOMPARE(marshal.pendingHighWater(), 8);

            std::vector<int> values;
            static_cast<void>(marshal.drain([&](std::span<Counted> batch) {
                for (const Counted &c : batch) {
                    values.push_back(c.value);
                }
            }));
            QCOMPARE(values, (std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7}));
            QCOMPARE(marshal.published(), 100u);
            QCOMPARE(marshal.published(), marshal.delivered() + marshal.dropped());
            QCOMPARE(Counted::alive.load(), 0);
        }
        QCOMPARE(Counted::copies.load(), 0);
    }

    void tryPublishNeverWaitsAndCountsTheDropEvenUnderBlock()
    {
        BatchMarshal<int> marshal("try", 2, OverflowPolicy::Block);
        QVERIFY(marshal.tryPublish(1));
        QVERIFY(marshal.tryPublish(2));
        QVERIFY(!marshal.tryPublish(3));
        QCOMPARE(marshal.dropped(), 1u);
        QCOMPARE(marshal.blockedPublishes(), 0u);
        QCOMPARE(drainAll(marshal), (std::vector<int>{1, 2}));
        QCOMPARE(marshal.published(), marshal.delivered() + marshal.dropped());
    }

    void blockPolicyAppliesBackPressureUntilDrain()
    {
        const Watchdog watchdog("blockPolicyAppliesBackPressureUntilDrain");
        constexpr int kItems = 100;
        constexpr std::size_t kCapacity = 4;
        BatchMarshal<int> marshal("block", kCapacity, OverflowPolicy::Block);
        std::thread producer([&] {
            for (int i = 0; i < kItems; ++i) {
                marshal.publish(i);
            }
        });

        spinUntil([&] { return marshal.blockedProducers() == 1; });
        QCOMPARE(marshal.pending(), static_cast<std::int64_t>(kCapacity));

        std::vector<int> received;
        while (received.size() < static_cast<std::size_t>(kItems)) {
            static_cast<void>(marshal.drain([&](std::span<int> batch) {
                QVERIFY(batch.size() <= kCapacity);
                received.insert(received.end(), batch.begin(), batch.end());
            }));
        }
        producer.join();

        for (int i = 0; i < kItems; ++i) {
            QCOMPARE(received[static_cast<std::size_t>(i)], i);
        }
        QCOMPARE(marshal.dropped(), 0u);
        QCOMPARE(marshal.pendingHighWater(), static_cast<std::int64_t>(kCapacity));
        QVERIFY(marshal.blockedPublishes() >= 1u);
        QVERIFY(marshal.blockedTime().count() > 0);
        QCOMPARE(marshal.blockedProducers(), 0);
    }

    void closeReleasesBlockedProducersWithChannelClosed()
    {
        const Watchdog watchdog("closeReleasesBlockedProducersWithChannelClosed");
        BatchMarshal<int> marshal("close", 1, OverflowPolicy::Block);
        marshal.publish(1);
        std::optional<std::string> producerError;
        std::thread producer([&] {
            try {
                marshal.publish(2);
            } catch (const ChannelClosed &e) {
                producerError = e.what();
            }
        });
        spinUntil([&] { return marshal.blockedProducers() == 1; });
        marshal.close();
        producer.join();

        QVERIFY(producerError.has_value());
        QVERIFY(marshal.isClosed());
        QCOMPARE(marshal.closedRejects(), 1u);
        QVERIFY_THROWS_EXCEPTION(ChannelClosed, marshal.publish(3));
        QVERIFY(!marshal.tryPublish(4));
        QCOMPARE(marshal.closedRejects(), 3u);

        QCOMPARE(drainAll(marshal), std::vector<int>{1});
        QCOMPARE(marshal.published(), 1u);
        QCOMPARE(marshal.dropped(), 0u);
    }

    void blockingPublishOnTheConsumerThreadThrowsMisuseInsteadOfDeadlocking()
    {
        BatchMarshal<int> marshal("self", 1, OverflowPolicy::Block);
        static_cast<void>(marshal.drain([](std::span<int>) {}));
        marshal.publish(1);
        QVERIFY_THROWS_EXCEPTION(MisuseError, marshal.publish(2));
        QCOMPARE(marshal.blockedProducers(), 0);
        QCOMPARE(drainAll(marshal), std::vector<int>{1});
    }

    void drainInsideItsOwnCallbackThrowsMisuse()
    {
        BatchMarshal<int> marshal("reentrant", 4, OverflowPolicy::DropNewest);
        marshal.publish(1);
        bool isMisuseThrown = false;
        static_cast<void>(marshal.drain([&](std::span<int>) {
            try {
                static_cast<void>(marshal.drain([](std::span<int>) {}));
            } catch (const MisuseError &) {
                isMisuseThrown = true;
            }
        }));
        QVERIFY(isMisuseThrown);
        QCOMPARE(marshal.delivered(), 1u);
    }

    void drainOnAnotherThreadWhileADrainRunsThrowsMisuse()
    {
        BatchMarshal<int> marshal("overlap", 4, OverflowPolicy::DropNewest);
        marshal.publish(1);
        bool isMisuseThrown = false;
        static_cast<void>(marshal.drain([&](std::span<int>) {
            std::thread second([&] {
                try {
                    static_cast<void>(marshal.drain([](std::span<int>) {}));
                } catch (const MisuseError &) {
                    isMisuseThrown = true;
                }
            });
            second.join();
        }));
        QVERIFY(isMisuseThrown);
        marshal.publish(2);
        QCOMPARE(drainAll(marshal), std::vector<int>{2});
    }

    void throwingConsumerStillClearsTheBatch()
    {
        BatchMarshal<int> marshal("throwing", 4, OverflowPolicy::DropNewest);
        marshal.publish(1);
        marshal.publish(2);
        QVERIFY_THROWS_EXCEPTION(std::runtime_error,
                                 marshal.drain([](std::span<int>) { throw std::runtime_error("consumer failed"); }));
        QCOMPARE(marshal.delivered(), 2u);
        marshal.publish(3);
        QCOMPARE(drainAll(marshal), std::vector<int>{3});
    }

    void zeroCapacityIsRefused()
    {
        QVERIFY_THROWS_EXCEPTION(MisuseError, BatchMarshal<int>("zero", 0, OverflowPolicy::Block));
    }

    void steadyStatePublishAndDrainAllocateNothing()
    {
        constexpr std::size_t kCapacity = 256;
        int wakeCalls = 0;
        BatchMarshal<int> marshal("steady", kCapacity, OverflowPolicy::DropNewest, [&] { ++wakeCalls; });
        std::int64_t sum = 0;
        const auto consume = [&](std::span<int> batch) {
            for (const int v : batch) {
                sum += v;
            }
        };
        for (std::size_t i = 0; i < kCapacity; ++i) {
            marshal.publish(static_cast<int>(i));
        }
        static_cast<void>(marshal.drain(consume));

        const AllocationScope scope;
        for (int cycle = 0; cycle < 100; ++cycle) {
            for (std::size_t i = 0; i < kCapacity; ++i) {
                marshal.publish(static_cast<int>(i));
            }
            static_cast<void>(marshal.tryPublish(-1)); // full: dropped
            static_cast<void>(marshal.drain(consume));
        }
        QCOMPARE(scope.thread(), 0u);
        QCOMPARE(wakeCalls, 101);
        QCOMPARE(marshal.dropped(), 100u);
        QCOMPARE(sum, 101 * std::int64_t{kCapacity * (kCapacity - 1) / 2});
    }

    void statsSnapshotShowsCounters()
    {
        StatsRegistry stats;
        {
            BatchMarshal<int> marshal("defects-to-ui", 2, OverflowPolicy::DropNewest, {}, &stats);
            marshal.publish(1);
            marshal.publish(2);
            marshal.publish(3);
            static_cast<void>(marshal.drain([](std::span<int>) {}));
            marshal.publish(4);
            marshal.close();
            static_cast<void>(marshal.tryPublish(5));

            const StatsEntry entry = stats.find("defects-to-ui");
            QCOMPARE(entry.kind, std::string("marshal"));
            QCOMPARE(entry.value("capacity"), 2);
            QCOMPARE(entry.value("published"), 4);
            QCOMPARE(entry.value("delivered"), 2);
            QCOMPARE(entry.value("dropped"), 1);
            QCOMPARE(entry.value("batches"), 1);
            QCOMPARE(entry.value("wakes"), 2);
            QCOMPARE(entry.value("blocked_publishes"), 0);
            QCOMPARE(entry.value("blocked_ns_total"), 0);
            QCOMPARE(entry.value("blocked_producers"), 0);
            QCOMPARE(entry.value("closed_rejects"), 1);
            QCOMPARE(entry.value("pending"), 1);
            QCOMPARE(entry.value("pending_high_water"), 2);
        }
        QVERIFY(stats.snapshot().empty());
    }

    void destroyingWithABlockedProducerAbortsWithAMessage()
    {
        QProcess child;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QLatin1String(kChildVariable), QStringLiteral("1"));
        child.setProcessEnvironment(environment);
        child.start(QCoreApplication::applicationFilePath(),
                    {QStringLiteral("childDestroysTheMarshalWhileAProducerIsBlocked")});
        QVERIFY(child.waitForFinished(60'000));
        QCOMPARE(child.exitStatus(), QProcess::CrashExit);
        const QByteArray errors = child.readAllStandardError();
        QVERIFY2(errors.contains("BatchMarshal 'doomed' destroyed with 1 producer(s) blocked in publish()"),
                 errors.constData());
    }

    /// Run only as the child process of the test above.
    void childDestroysTheMarshalWhileAProducerIsBlocked()
    {
        if (qEnvironmentVariableIsEmpty(kChildVariable)) {
            QSKIP("runs only as the child of destroyingWithABlockedProducerAbortsWithAMessage");
        }
        auto *marshal = new BatchMarshal<int>("doomed", 1, OverflowPolicy::Block);
        marshal->publish(1);
        std::thread producer([marshal] { marshal->publish(2); });
        spinUntil([&] { return marshal->blockedProducers() == 1; });
        delete marshal; // aborts; the process never gets past this line
        producer.join();
        QFAIL("the destructor returned with a producer blocked");
    }
};

QTEST_GUILESS_MAIN(BatchMarshalTest)
#include "batch_marshal_test.moc"
