#include <QTest>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <deque>
#include <mutex>
#include <optional>
#include <span>
#include <thread>
#include <utility>

#include <waferscope/runtime/frame_pool.h>
#include <waferscope/runtime/job.h>
#include <waferscope/runtime/stats_registry.h>
#include <waferscope/runtime/sync_wait.h>
#include <waferscope/runtime/thread_executor.h>
#include <waferscope/testing/watchdog.h>

using namespace waferscope::runtime;
using waferscope::testing::Watchdog;

namespace {

constexpr std::uint64_t kProducerTag = 0xA000'0000;
constexpr std::uint64_t kConsumerTag = 0xB000'0000;
constexpr std::uint64_t kExecutorTag = 0xE000'0000;

void fill(const FrameLease &lease, std::uint64_t tag)
{
    const std::span<std::byte> bytes = lease.bytes();
    for (std::size_t offset = 0; offset + sizeof tag <= bytes.size(); offset += sizeof tag) {
        std::memcpy(bytes.data() + offset, &tag, sizeof tag);
    }
}

bool isFilledWith(const FrameLease &lease, std::uint64_t tag)
{
    const std::span<std::byte> bytes = lease.bytes();
    std::uint64_t first = 0;
    std::uint64_t last = 0;
    std::memcpy(&first, bytes.data(), sizeof first);
    std::memcpy(&last, bytes.data() + bytes.size() - sizeof last, sizeof last);
    return first == tag && last == tag;
}

/// Fills the frame with `owner` and reads it back: a second owner of the same frame at the same
/// time would show as a mismatch (and as a data race under TSan).
bool holdsAlone(const FrameLease &lease, std::uint64_t owner)
{
    fill(lease, owner);
    std::atomic_signal_fence(std::memory_order_seq_cst); // read the frame again, not the registers
    return isFilledWith(lease, owner);
}

/// Leases handed from one thread to another, as acquisition hands frames to detection.
class LeaseQueue
{
public:
    void push(FrameLease lease)
    {
        {
            const std::lock_guard lock(m_mutex);
            m_leases.push_back(std::move(lease));
        }
        m_condition.notify_one();
    }

    void close()
    {
        {
            const std::lock_guard lock(m_mutex);
            m_isClosed = true;
        }
        m_condition.notify_one();
    }

    /// Everything queued; with `wait`, first blocks until something is queued or the queue is closed.
    std::deque<FrameLease> takeAll(bool wait)
    {
        std::unique_lock lock(m_mutex);
        if (wait) {
            m_condition.wait(lock, [this] { return !m_leases.empty() || m_isClosed; });
        }
        return std::exchange(m_leases, {});
    }

    [[nodiscard]] bool isClosed()
    {
        const std::lock_guard lock(m_mutex);
        return m_isClosed;
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_condition;
    std::deque<FrameLease> m_leases;
    bool m_isClosed = false;
};

Job waiterLoop(FramePool &pool, int rents, ThreadExecutor &executor, std::atomic<int> &wrongThread,
               std::atomic<int> &sharedFrames)
{
    for (int i = 0; i < rents; ++i) {
        const FrameLease lease = co_await pool.rent();
        if (!executor.isRunningOnThisThread()) {
            wrongThread.fetch_add(1, std::memory_order_relaxed);
        }
        if (!holdsAlone(lease, kExecutorTag + static_cast<std::uint64_t>(i))) {
            sharedFrames.fetch_add(1, std::memory_order_relaxed);
        }
    }
}

} // namespace

class FramePoolStressTest : public QObject
{
    Q_OBJECT

private slots:
    void twoThreadsAndAnExecutorShareThePoolWithoutLosingFrames()
    {
        // A producer rents (waiting when both frames are out) and hands each lease to a consumer
        // thread, which returns it after checking it and also rents frames of its own with
        // tryRent(); a Job on a ThreadExecutor rents too. The producer outrunning the consumer
        // is what makes it wait, whatever the scheduling.
        constexpr int kRentsPerThread = 100'000;
        constexpr int kExecutorRents = 20'000;
        const Watchdog watchdog("twoThreadsAndAnExecutorShareThePoolWithoutLosingFrames", std::chrono::seconds(120));
        StatsRegistry stats;
        FramePool pool{"stress", {.frameCount = 2, .frameBytes = 4096}, &stats};
        std::atomic<int> wrongThread{0};
        std::atomic<int> sharedFrames{0};
        int handedOver = 0;
        int misdelivered = 0;
        {
            ThreadExecutor executor("frame-pool-waiter");
            executor.spawn(waiterLoop(pool, kExecutorRents, executor, wrongThread, sharedFrames));
            LeaseQueue queue;

            std::thread producer([&] {
                for (int i = 0; i < kRentsPerThread; ++i) {
                    FrameLease lease = syncWait(pool.rent());
                    fill(lease, kProducerTag + static_cast<std::uint64_t>(i));
                    queue.push(std::move(lease));
                }
                queue.close();
            });
            std::thread consumer([&] {
                int own = 0;
                for (;;) {
                    const bool isOwnDone = own == kRentsPerThread;
                    std::deque<FrameLease> handed = queue.takeAll(isOwnDone);
                    if (handed.empty() && isOwnDone && queue.isClosed()) {
                        break;
                    }
                    for (const FrameLease &lease : handed) {
                        if (!isFilledWith(lease, kProducerTag + static_cast<std::uint64_t>(handedOver))) {
                            ++misdelivered;
                        }
                        ++handedOver;
                    }
                    handed.clear(); // returned from this thread, not the one that rented them
                    if (!isOwnDone) {
                        if (const std::optional<FrameLease> lease = pool.tryRent()) {
                            if (!holdsAlone(*lease, kConsumerTag + static_cast<std::uint64_t>(own))) {
                                sharedFrames.fetch_add(1, std::memory_order_relaxed);
                            }
                            ++own;
                        }
                    }
                }
            });
            producer.join();
            consumer.join();
            executor.stop(); // runs the waiter's loop to its end
            QCOMPARE(executor.failedJobs(), 0u);
        }
        QCOMPARE(handedOver, kRentsPerThread);
        QCOMPARE(misdelivered, 0);
        QCOMPARE(wrongThread.load(), 0);
        QCOMPARE(sharedFrames.load(), 0);
        const StatsEntry entry = stats.find("stress");
        QCOMPARE(pool.inUse(), 0u);
        QCOMPARE(entry.value("in_use"), 0);
        QCOMPARE(entry.value("high_water"), 2);
        QCOMPARE(entry.value("rents"), 2 * kRentsPerThread + kExecutorRents);
        QCOMPARE(entry.value("returns"), entry.value("rents"));
        qInfo("waits: %lld, try_rent_failures: %lld", static_cast<long long>(entry.value("waits")),
              static_cast<long long>(entry.value("try_rent_failures")));
        // Everything taken was returned: every frame is free again.
        const std::optional<FrameLease> first = pool.tryRent();
        const std::optional<FrameLease> second = pool.tryRent();
        QVERIFY(first && second);
    }
};

QTEST_GUILESS_MAIN(FramePoolStressTest)
#include "frame_pool_stress_test.moc"
