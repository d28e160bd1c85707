#pragma once

/// BatchMarshal<T>: carries items from many producer threads to one consumer in batches — the core
/// of the UI marshal, without Qt. Items wait in one vector; drain() swaps it for an empty one
/// under a short lock and hands the batch to the consumer, so a producer never waits for the
/// consumer's work and the consumer takes the lock once per batch, not once per item.
/// States: open → closed (close()). A closed marshal refuses publishes — publish() throws
///   ChannelClosed, tryPublish() returns false, both counted in closed_rejects — and releases
///   blocked producers the same way; what it accepted before stays pending and drain() delivers it.
/// Full (capacity items pending): OverflowPolicy::Block makes publish() wait until a drain makes
///   room (back-pressure, counted in blocked_publishes and blocked_ns_total); DropNewest drops the
///   item being published and counts it in dropped. tryPublish() never waits: when full it drops
///   the item and counts it, whatever the policy. So published == delivered + dropped + pending.
/// Order: drain() hands items in publish order per producer (one lock orders every publish).
/// Wakes: the publish that makes the pending batch non-empty calls onWake, on the publishing thread
///   and outside the lock; no other publish does until drain() has taken the batch — one wake per
///   drain cycle, however many items arrive.
/// Threads: publish(), tryPublish() and close() from any thread; drain() from one consumer thread
///   at a time — a drain() that overlaps another, or runs inside its own callback, throws
///   MisuseError. A publish() that would block the thread that last drained throws MisuseError
///   instead of deadlocking. The destructor aborts with a message if a producer is still blocked.
/// Allocates: two vectors of `capacity` items at construction (the pending batch, and the one the
///   consumer holds during drain()); nothing per publish or per drain.
///
/// Counters (stats registry kind "marshal"): capacity, published, delivered, dropped, batches
/// (drains that delivered at least one item), wakes, blocked_publishes, blocked_ns_total,
/// blocked_producers, closed_rejects, pending, pending_high_water.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <mutex>
#include <span>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <waferscope/runtime/counter.h>
#include <waferscope/runtime/errors.h>
#include <waferscope/runtime/stats_registry.h>

namespace waferscope::runtime {

/// What publish() does when `capacity` items are already pending.
enum class OverflowPolicy : std::uint8_t {
    Block,      ///< wait until the consumer drains: back-pressure on the producer
    DropNewest, ///< drop the item being published and count it
};

template<typename T>
class BatchMarshal final : private StatsProvider
{
public:
    using WakeHook = std::function<void()>;

    /// `capacity` (at least 1) bounds the items pending between two drains. `onWake` asks the
    /// consumer to drain soon; it must not block and must not throw (a throw terminates, because
    /// the item that triggered it is already accepted and an exception would say it was not).
    BatchMarshal(std::string name, std::size_t capacity, OverflowPolicy policy, WakeHook onWake = {},
                 StatsRegistry *stats = nullptr)
        : m_name(std::move(name))
        , m_capacity(capacity)
        , m_policy(policy)
        , m_onWake(std::move(onWake))
    {
        if (m_capacity == 0) {
            throw MisuseError("marshal '" + m_name + "' needs a capacity of at least one item");
        }
        m_pendingItems.reserve(m_capacity);
        m_batch.reserve(m_capacity);
        m_registration = registerStats(stats, "marshal", m_name, *this);
    }

    BatchMarshal(const BatchMarshal &) = delete;
    BatchMarshal &operator=(const BatchMarshal &) = delete;

    /// Precondition: no producer is blocked in publish() ("no blocked producers"); close() releases
    /// them, and their threads must have left publish() before the marshal goes.
    ~BatchMarshal() override
    {
        const std::lock_guard lock(m_mutex);
        if (const int blocked = m_blockedProducers.load(std::memory_order_relaxed); blocked > 0) {
            std::fprintf(stderr, "BatchMarshal '%s' destroyed with %d producer(s) blocked in publish()\n",
                         m_name.c_str(), blocked);
            std::abort();
        }
    }

    /// Adds `item` to the pending batch. When full: Block waits for a drain, DropNewest drops `item`
    /// (counted). Throws ChannelClosed when the marshal is closed, before or during the wait.
    void publish(T item)
    {
        if (admit(item, m_policy == OverflowPolicy::Block) == Outcome::Closed) {
            throw ChannelClosed("marshal '" + m_name + "' is closed: the item was not published");
        }
    }

    /// Adds `item` without waiting. Returns false when it was dropped because the batch is full
    /// (counted in dropped) or refused because the marshal is closed (counted in closed_rejects).
    [[nodiscard]] bool tryPublish(T item) { return admit(item, false) == Outcome::Accepted; }

    /// Hands every item pending since the last drain to `fn` as one std::span<T> (the consumer
    /// may move items out of it), then clears the batch, keeping its capacity. `fn` is not called
    /// when nothing is pending. If `fn` throws, the batch still counts as delivered and is
    /// cleared, and the exception propagates. Returns how many items were handed over.
    template<typename F>
    std::size_t drain(F &&fn)
    {
        // acquire/release pair with the previous drain's release below: a consumer that moves to
        // another thread sees the batch vector as the last drain left it (empty).
        if (m_isDraining.exchange(true, std::memory_order_acquire)) {
            throw MisuseError("marshal '" + m_name +
                              "': drain() called while another drain() is running (two consumers, or a "
                              "drain() from inside the drain callback)");
        }
        const DrainScope scope(*this);
        bool hasBlockedProducers = false;
        {
            const std::lock_guard lock(m_mutex);
            m_consumer = std::this_thread::get_id();
            m_pendingItems.swap(m_batch);
            // Cleared together with the swap, under the lock, so "no wake outstanding" always means
            // "nothing pending": the next publish after this point wakes the consumer again.
            m_isWakeRequested.store(false, std::memory_order_relaxed);
            m_pending.set(0);
            hasBlockedProducers = m_blockedProducers.load(std::memory_order_relaxed) > 0;
        }
        if (hasBlockedProducers) {
            m_roomAvailable.notify_all();
        }
        const std::size_t count = m_batch.size();
        if (count == 0) {
            return 0;
        }
        m_delivered.add(count);
        m_batches.add();
        std::forward<F>(fn)(std::span<T>(m_batch));
        return count;
    }

    /// Refuses further publishes and releases blocked producers with ChannelClosed. Idempotent.
    void close() noexcept
    {
        {
            const std::lock_guard lock(m_mutex);
            m_isClosed.store(true, std::memory_order_relaxed);
        }
        m_roomAvailable.notify_all();
    }

    [[nodiscard]] const std::string &name() const noexcept { return m_name; }
    [[nodiscard]] std::size_t capacity() const noexcept { return m_capacity; }
    [[nodiscard]] OverflowPolicy policy() const noexcept { return m_policy; }
    [[nodiscard]] bool isClosed() const noexcept { return m_isClosed.load(std::memory_order_relaxed); }
    /// True between the publish that asked for a wake and the drain that answers it.
    [[nodiscard]] bool isWakeRequested() const noexcept { return m_isWakeRequested.load(std::memory_order_relaxed); }

    [[nodiscard]] std::int64_t pending() const noexcept { return m_pending.value(); }
    [[nodiscard]] std::int64_t pendingHighWater() const noexcept { return m_pending.highWater(); }
    [[nodiscard]] std::uint64_t published() const noexcept { return m_published.value(); }
    [[nodiscard]] std::uint64_t delivered() const noexcept { return m_delivered.value(); }
    [[nodiscard]] std::uint64_t dropped() const noexcept { return m_dropped.value(); }
    [[nodiscard]] std::uint64_t batches() const noexcept { return m_batches.value(); }
    [[nodiscard]] std::uint64_t wakes() const noexcept { return m_wakes.value(); }
    [[nodiscard]] std::uint64_t blockedPublishes() const noexcept { return m_blockedPublishes.value(); }
    [[nodiscard]] std::chrono::nanoseconds blockedTime() const noexcept
    {
        return std::chrono::nanoseconds(static_cast<std::int64_t>(m_blockedNs.value()));
    }
    /// Producers waiting in publish() right now.
    [[nodiscard]] int blockedProducers() const noexcept { return m_blockedProducers.load(std::memory_order_relaxed); }
    [[nodiscard]] std::uint64_t closedRejects() const noexcept { return m_closedRejects.value(); }

private:
    enum class Outcome : std::uint8_t { Accepted, Dropped, Closed };

    /// Ends a drain on every path, the throwing one included: the batch vector goes back empty
    /// (capacity kept) and the next drain() may start.
    class DrainScope
    {
    public:
        explicit DrainScope(BatchMarshal &marshal) noexcept
            : m_marshal(marshal)
        {
        }
        DrainScope(const DrainScope &) = delete;
        DrainScope &operator=(const DrainScope &) = delete;
        ~DrainScope()
        {
            m_marshal.m_batch.clear();
            m_marshal.m_isDraining.store(false, std::memory_order_release);
        }

    private:
        BatchMarshal &m_marshal;
    };

    /// Moves `item` into the pending batch, or leaves it to be destroyed by the caller when it is
    /// dropped or refused. Waits for room only when `mayWait`.
    Outcome admit(T &item, bool mayWait)
    {
        bool mustWake = false;
        {
            std::unique_lock lock(m_mutex);
            if (m_isClosed.load(std::memory_order_relaxed)) {
                m_closedRejects.add();
                return Outcome::Closed;
            }
            if (m_pendingItems.size() >= m_capacity) {
                if (!mayWait) {
                    m_published.add();
                    m_dropped.add();
                    return Outcome::Dropped;
                }
                waitForRoom(lock);
                if (m_isClosed.load(std::memory_order_relaxed)) {
                    m_closedRejects.add();
                    return Outcome::Closed;
                }
            }
            m_pendingItems.push_back(std::move(item));
            m_published.add();
            m_pending.set(static_cast<std::int64_t>(m_pendingItems.size()));
            if (!m_isWakeRequested.load(std::memory_order_relaxed)) {
                m_isWakeRequested.store(true, std::memory_order_relaxed);
                m_wakes.add();
                mustWake = true;
            }
        }
        if (mustWake) {
            callWake();
        }
        return Outcome::Accepted;
    }

    /// Precondition: `lock` holds m_mutex and the batch is full. Returns with the lock held, once
    /// there is room or the marshal is closed.
    void waitForRoom(std::unique_lock<std::mutex> &lock)
    {
        if (m_consumer == std::this_thread::get_id()) {
            throw MisuseError("marshal '" + m_name +
                              "' is full and publish() was called on its consumer's thread: blocking would "
                              "deadlock, since only this thread drains");
        }
        m_blockedProducers.fetch_add(1, std::memory_order_relaxed);
        m_blockedPublishes.add();
        const auto start = std::chrono::steady_clock::now();
        m_roomAvailable.wait(lock, [this] {
            return m_isClosed.load(std::memory_order_relaxed) || m_pendingItems.size() < m_capacity;
        });
        const auto waited = std::chrono::steady_clock::now() - start;
        m_blockedNs.add(static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(waited).count()));
        m_blockedProducers.fetch_sub(1, std::memory_order_relaxed);
    }

    void callWake() noexcept
    {
        if (m_onWake) {
            m_onWake();
        }
    }

    void collect(MetricSink &sink) const override
    {
        sink.add("capacity", static_cast<std::uint64_t>(m_capacity));
        sink.add("published", m_published.value());
        sink.add("delivered", m_delivered.value());
        sink.add("dropped", m_dropped.value());
        sink.add("batches", m_batches.value());
        sink.add("wakes", m_wakes.value());
        sink.add("blocked_publishes", m_blockedPublishes.value());
        sink.add("blocked_ns_total", m_blockedNs.value());
        sink.add("blocked_producers", static_cast<std::int64_t>(blockedProducers()));
        sink.add("closed_rejects", m_closedRejects.value());
        sink.add("pending", m_pending.value());
        sink.add("pending_high_water", m_pending.highWater());
    }

    const std::string m_name;
    const std::size_t m_capacity;
    const OverflowPolicy m_policy;
    const WakeHook m_onWake;

    std::mutex m_mutex;
    std::condition_variable m_roomAvailable;
    std::vector<T> m_pendingItems;             // guarded by m_mutex; producers fill it
    std::vector<T> m_batch;                    // the draining consumer's, while m_isDraining
    std::thread::id m_consumer;                // guarded by m_mutex; the thread that last drained
    // Written under m_mutex, so relaxed suffices there; atomic only so queries and snapshots can
    // read them without the lock.
    std::atomic<bool> m_isClosed{false};
    std::atomic<bool> m_isWakeRequested{false};
    std::atomic<int> m_blockedProducers{0};
    std::atomic<bool> m_isDraining{false};

    Counter m_published;
    Counter m_delivered;
    Counter m_dropped;
    Counter m_batches;
    Counter m_wakes;
    Counter m_blockedPublishes;
    Counter m_blockedNs;
    Counter m_closedRejects;
    Gauge m_pending;                           // set under m_mutex: one writer at a time

    StatsRegistration m_registration;          // last: unregistered before the counters go
};

} // namespace waferscope::runtime
