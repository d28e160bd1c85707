#include <QTest>

#include <array>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <span>
#include <thread>
#include <vector>

#include <waferscope/runtime/batch_marshal.h>
#include <waferscope/testing/watchdog.h>

using namespace waferscope::runtime;
using waferscope::testing::Watchdog;

namespace {

constexpr int kProducers = 4;
constexpr std::uint32_t kItemsPerProducer = 250'000;
constexpr std::size_t kCapacity = 1024;

struct Item {
    std::uint32_t producer;
    std::uint32_t sequence;
};

/// The consumer's side of the wake hook: a latch it sleeps on between batches. The stress relies
/// on the wake protocol alone to learn that items are pending, so a lost wake hangs the consumer
/// and the watchdog reports it.
class WakeLatch
{
public:
    void signal()
    {
        {
            const std::lock_guard lock(m_mutex);
            m_isSignalled = true;
        }
        m_condition.notify_one();
    }
    void wait()
    {
        std::unique_lock lock(m_mutex);
        m_condition.wait(lock, [this] { return m_isSignalled; });
        m_isSignalled = false;
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_condition;
    bool m_isSignalled = false;
};

} // namespace

class BatchMarshalStressTest : public QObject
{
    Q_OBJECT

private slots:
    void multiProducerStressLosesNothing()
    {
        const Watchdog watchdog("multiProducerStressLosesNothing", std::chrono::minutes(5));
        WakeLatch latch;
        BatchMarshal<Item> marshal("stress-block", kCapacity, OverflowPolicy::Block, [&] { latch.signal(); });

        std::vector<std::thread> producers;
        producers.reserve(kProducers);
        for (int p = 0; p < kProducers; ++p) {
            producers.emplace_back([&marshal, p] {
                for (std::uint32_t s = 0; s < kItemsPerProducer; ++s) {
                    marshal.publish(Item{static_cast<std::uint32_t>(p), s});
                }
            });
        }

        std::array<std::uint32_t, kProducers> next{};
        std::uint64_t received = 0;
        std::uint64_t drains = 0;
        bool isOrderKept = true;
        const std::uint64_t total = std::uint64_t{kProducers} * kItemsPerProducer;
        while (received < total) {
            latch.wait();
            ++drains;
            received += marshal.drain([&](std::span<Item> batch) {
                for (const Item &item : batch) {
                    isOrderKept = isOrderKept && item.sequence == next[item.producer];
                    ++next[item.producer];
                }
            });
        }
        for (std::thread &t : producers) {
            t.join();
        }

        QVERIFY(isOrderKept);
        for (const std::uint32_t n : next) {
            QCOMPARE(n, kItemsPerProducer);
        }
        QCOMPARE(marshal.published(), total);
        QCOMPARE(marshal.delivered(), total);
        QCOMPARE(marshal.dropped(), 0u);
        QCOMPARE(marshal.pending(), 0);
        QVERIFY(marshal.pendingHighWater() <= static_cast<std::int64_t>(kCapacity));
        QVERIFY(marshal.wakes() <= drains + 1);
        qInfo("drains %llu, wakes %llu, blocked publishes %llu", static_cast<unsigned long long>(drains),
              static_cast<unsigned long long>(marshal.wakes()),
              static_cast<unsigned long long>(marshal.blockedPublishes()));
    }

    void dropNewestStressAccountsForEveryItem()
    {
        const Watchdog watchdog("dropNewestStressAccountsForEveryItem", std::chrono::minutes(5));
        WakeLatch latch;
        BatchMarshal<Item> marshal("stress-drop", kCapacity, OverflowPolicy::DropNewest, [&] { latch.signal(); });

        std::array<std::uint64_t, kProducers> droppedBy{};
        std::vector<std::thread> producers;
        producers.reserve(kProducers);
        for (int p = 0; p < kProducers; ++p) {
            producers.emplace_back([&marshal, &droppedBy, p] {
                for (std::uint32_t s = 0; s < kItemsPerProducer; ++s) {
                    if (!marshal.tryPublish(Item{static_cast<std::uint32_t>(p), s})) {
                        ++droppedBy[static_cast<std::size_t>(p)];
                    }
                }
            });
        }

        // Dropped items leave gaps, so order shows as strictly increasing sequences per producer.
        std::array<std::int64_t, kProducers> last{-1, -1, -1, -1};
        std::array<std::uint64_t, kProducers> deliveredBy{};
        bool isOrderKept = true;
        const auto consume = [&](std::span<Item> batch) {
            for (const Item &item : batch) {
                isOrderKept = isOrderKept && static_cast<std::int64_t>(item.sequence) > last[item.producer];
                last[item.producer] = item.sequence;
                ++deliveredBy[item.producer];
            }
        };
        const std::uint64_t total = std::uint64_t{kProducers} * kItemsPerProducer;
        while (marshal.delivered() + marshal.dropped() < total) {
            latch.wait();
            static_cast<void>(marshal.drain(consume));
        }
        for (std::thread &t : producers) {
            t.join();
        }
        static_cast<void>(marshal.drain(consume));

        QVERIFY(isOrderKept);
        for (std::size_t p = 0; p < kProducers; ++p) {
            QCOMPARE(deliveredBy[p] + droppedBy[p], std::uint64_t{kItemsPerProducer});
        }
        QCOMPARE(marshal.published(), total);
        QCOMPARE(marshal.published(), marshal.delivered() + marshal.dropped());
        QCOMPARE(marshal.pending(), 0);
    }
};

QTEST_GUILESS_MAIN(BatchMarshalStressTest)
#include "batch_marshal_stress_test.moc"
