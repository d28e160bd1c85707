// Lifecycle of the pool: construction allocates every buffer in one 64-byte-aligned block and
// threads them all onto the free list. A rent takes the top of the free list (a lease, frame state
// Leased); a lease may detach into a ticket (Detached) and be adopted back (Leased). A return
// poisons the frame in Debug builds, bumps its generation and either pushes it back onto the free
// list (Free) or, when a rent() is waiting, hands it to the oldest waiter without ever freeing it.
// Waiting rents are RentOperations: taken from the spare list (or allocated when it is empty),
// queued FIFO, completed by the returner outside the mutex, and put back on the spare list by
// whoever is last to touch them: the consumer once it has taken the lease; or, when its ValueTask
// was dropped, the returner or the abandoner (whichever comes second), after the undelivered lease
// has gone back; or the abandoner alone when no returner had reached the operation yet.
// The destructor checks that every frame came back, then frees the block and the operations.

#include <waferscope/runtime/frame_pool.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <mutex>
#include <new>
#include <stdexcept>
#include <utility>

#include <waferscope/runtime/counter.h>
#include <waferscope/runtime/errors.h>
#include <waferscope/runtime/source_core.h>

namespace waferscope::runtime {

namespace {

constexpr std::size_t kFrameAlignment = 64;
constexpr unsigned char kPoison = 0xDD;

std::uint64_t nextPoolSerial() noexcept
{
    static std::atomic<std::uint64_t> next{1};
    return next.fetch_add(1, std::memory_order_relaxed);
}

[[noreturn]] void abortCorrupted(const std::string &pool, std::uint32_t index, std::uint64_t generation,
                                 const char *what) noexcept
{
    std::fprintf(stderr, "FramePool '%s': frame %u (generation %llu) %s\n", pool.c_str(), index,
                 static_cast<unsigned long long>(generation), what);
    std::abort();
}

} // namespace

/// One waiting rent(): the pooled source its ValueTask points at.
/// States: spare → queued (m_isQueued) → handed a frame by a returner → spare again once the lease
/// is taken or discarded; or queued → spare directly when abandoned before any hand-off.
/// Threads: the consumer (status/suspend/result/abandon) and the one returner that dequeued it may
/// run concurrently; the queue and spare links change only under the pool mutex.
class FramePool::RentOperation final : public ValueTaskSource<FrameLease>
{
public:
    explicit RentOperation(FramePool &pool) noexcept
        : m_pool(pool)
    {
    }

    [[nodiscard]] SourceStatus status(Token token) const override { return m_core.status(token); }

    [[nodiscard]] bool suspendUntilCompleted(Continuation &continuation, Token token) override
    {
        return m_core.suspendUntilCompleted(continuation, token);
    }

    FrameLease result(Token token) override
    {
        static_cast<void>(m_core.status(token)); // validates the token before anything is torn down
        m_stopCallback.reset(); // waits for a cancellation running on another thread
        struct Recycle {
            RentOperation *operation;
            ~Recycle() { operation->m_pool.recycle(*operation); }
        } recycle{this}; // recycled even when the result is an error
        return m_core.result(token);
    }

    void abandon(Token token) noexcept override
    {
        if (token == m_core.version()) {
            m_stopCallback.reset();
            m_pool.abandonRent(*this);
        }
    }

private:
    friend class FramePool;

    struct Cancel {
        RentOperation *operation;
        void operator()() const noexcept { operation->m_pool.cancelRent(*operation); }
    };

    /// Precondition: under the pool mutex, on a spare operation.
    void prepare(TimePoint now) noexcept
    {
        m_core.reset();
        m_isQueued = true;
        m_enqueuedAt = now;
        m_next = nullptr;
    }

    FramePool &m_pool;
    SourceCore<FrameLease> m_core;
    std::optional<std::stop_callback<Cancel>> m_stopCallback; // consumer side only
    // Under the pool mutex:
    bool m_isQueued = false;
    TimePoint m_enqueuedAt{};
    RentOperation *m_next = nullptr;      // waiter queue or spare list
    RentOperation *m_nextOwned = nullptr; // every operation the pool has allocated
};

struct FramePool::Impl {
    enum class FrameState : std::uint8_t {
        Free,     // on the free list
        Leased,   // owned by one FrameLease (or by a RentOperation's result, on its way to a waiter)
        Detached, // owned by one FrameTicket
    };

    struct Slot {
        /// Written under m_mutex; read without it by views, hence atomic.
        std::atomic<std::uint64_t> generation{1};
        FrameState state = FrameState::Free;
        std::uint32_t nextFree = 0;
    };

    static constexpr std::uint32_t kNoFrame = std::numeric_limits<std::uint32_t>::max();

    Impl(const std::string &name, FramePoolOptions options)
        : m_frameBytes((options.frameBytes + kFrameAlignment - 1) / kFrameAlignment * kFrameAlignment)
        , m_capacity(static_cast<std::uint32_t>(options.frameCount))
        , m_poison(options.poisonReturnedFrames)
    {
        if (options.frameCount == 0 || options.frameBytes == 0) {
            throw std::invalid_argument("FramePool '" + name + "' needs at least one frame of at least one byte");
        }
        if (options.frameCount >= kNoFrame ||
            options.frameBytes > std::numeric_limits<std::size_t>::max() / options.frameCount - kFrameAlignment) {
            throw std::invalid_argument("FramePool '" + name + "' is too large");
        }
        m_slots = std::make_unique<Slot[]>(m_capacity);
        // Made once, so a cancelled wait allocates nothing to fail.
        m_rentCancelled = std::make_exception_ptr(OperationCancelled("rent from FramePool '" + name + "' cancelled"));
        m_buffers = static_cast<std::byte *>(
            ::operator new(m_frameBytes * m_capacity, std::align_val_t{kFrameAlignment}));
        for (std::uint32_t i = 0; i < m_capacity; ++i) {
            m_slots[i].nextFree = i + 1 < m_capacity ? i + 1 : kNoFrame;
        }
        if (m_poison) {
            std::memset(m_buffers, kPoison, m_frameBytes * m_capacity);
        }
        m_freeHead = 0;
    }

    ~Impl()
    {
        while (RentOperation *operation = m_owned) {
            m_owned = operation->m_nextOwned;
            delete operation;
        }
        ::operator delete(m_buffers, std::align_val_t{kFrameAlignment});
    }

    Impl(const Impl &) = delete;
    Impl &operator=(const Impl &) = delete;

    /// Precondition: m_mutex held. Takes a free frame as Leased, or returns kNoFrame.
    std::uint32_t takeFreeFrameLocked() noexcept
    {
        const std::uint32_t index = m_freeHead;
        if (index == kNoFrame) {
            return kNoFrame;
        }
        Slot &slot = m_slots[index];
        m_freeHead = slot.nextFree;
        slot.state = FrameState::Leased;
        m_inUseGauge.set(static_cast<std::int64_t>(++m_inUse));
        m_rents.add();
        return index;
    }

    /// Precondition: m_mutex held, frame `index` is not Free.
    void pushFreeFrameLocked(std::uint32_t index) noexcept
    {
        Slot &slot = m_slots[index];
        slot.state = FrameState::Free;
        slot.nextFree = m_freeHead;
        m_freeHead = index;
        m_inUseGauge.set(static_cast<std::int64_t>(--m_inUse));
    }

    /// Precondition: m_mutex held.
    RentOperation *popSpareLocked() noexcept
    {
        RentOperation *operation = m_spare;
        if (operation != nullptr) {
            m_spare = operation->m_next;
        }
        return operation;
    }

    /// Precondition: m_mutex held, `operation` is in no list but m_owned.
    void pushSpareLocked(RentOperation &operation) noexcept
    {
        operation.m_next = m_spare;
        m_spare = &operation;
    }

    /// Precondition: m_mutex held; `operation` was just allocated.
    RentOperation &ownLocked(RentOperation *operation) noexcept
    {
        operation->m_nextOwned = m_owned;
        m_owned = operation;
        return *operation;
    }

    /// Precondition: m_mutex held, `operation` prepared.
    void enqueueWaiterLocked(RentOperation &operation) noexcept
    {
        if (m_waitersTail != nullptr) {
            m_waitersTail->m_next = &operation;
        } else {
            m_waitersHead = &operation;
        }
        m_waitersTail = &operation;
    }

    /// Precondition: m_mutex held. The oldest waiter, taken off the queue, or nullptr.
    RentOperation *popWaiterLocked() noexcept
    {
        RentOperation *operation = m_waitersHead;
        if (operation == nullptr) {
            return nullptr;
        }
        m_waitersHead = operation->m_next;
        if (m_waitersHead == nullptr) {
            m_waitersTail = nullptr;
        }
        operation->m_next = nullptr;
        operation->m_isQueued = false;
        return operation;
    }

    /// Precondition: m_mutex held, `operation` queued. Abandonment is rare, so a walk is fine.
    void unlinkWaiterLocked(RentOperation &operation) noexcept
    {
        RentOperation *previous = nullptr;
        RentOperation *node = m_waitersHead;
        while (node != &operation) {
            previous = node;
            node = node->m_next;
        }
        (previous != nullptr ? previous->m_next : m_waitersHead) = operation.m_next;
        if (m_waitersTail == &operation) {
            m_waitersTail = previous;
        }
        operation.m_next = nullptr;
        operation.m_isQueued = false;
    }

    const std::size_t m_frameBytes;
    const std::uint32_t m_capacity;
    const bool m_poison;
    std::byte *m_buffers = nullptr;
    std::unique_ptr<Slot[]> m_slots;

    mutable std::mutex m_mutex;
    // Under m_mutex:
    std::uint32_t m_freeHead = kNoFrame;
    std::size_t m_inUse = 0;
    RentOperation *m_waitersHead = nullptr;
    RentOperation *m_waitersTail = nullptr;
    RentOperation *m_spare = nullptr;
    RentOperation *m_owned = nullptr;
    std::exception_ptr m_rentCancelled;

    // Set under m_mutex, read by snapshots without it.
    Gauge m_inUseGauge;
    Counter m_rents;
    Counter m_waits;
    Counter m_waitNsTotal;
    Counter m_tryRentFailures;
    Counter m_returns;
};

// --- FrameView -----------------------------------------------------------------------------------

std::span<const std::byte> FrameView::bytes() const
{
    if (m_pool == nullptr) {
        throw MisuseError("FrameView::bytes() on an empty view (default-constructed, or taken from an empty lease)");
    }
    return m_pool->viewedFrame(m_index, m_generation);
}

bool FrameView::isValid() const noexcept
{
    return m_pool != nullptr && m_pool->isCurrent(m_index, m_generation);
}

// --- FrameLease ----------------------------------------------------------------------------------

FrameLease::FrameLease(FrameLease &&other) noexcept
    : m_pool(std::exchange(other.m_pool, nullptr))
    , m_index(other.m_index)
    , m_generation(other.m_generation)
{
}

FrameLease &FrameLease::operator=(FrameLease &&other) noexcept
{
    if (this != &other) {
        reset();
        m_pool = std::exchange(other.m_pool, nullptr);
        m_index = other.m_index;
        m_generation = other.m_generation;
    }
    return *this;
}

FrameLease::~FrameLease()
{
    reset();
}

std::span<std::byte> FrameLease::bytes() const noexcept
{
    return m_pool != nullptr ? m_pool->frame(m_index) : std::span<std::byte>{};
}

std::size_t FrameLease::size() const noexcept
{
    return m_pool != nullptr ? m_pool->frameBytes() : 0;
}

void FrameLease::reset() noexcept
{
    if (FramePool *pool = std::exchange(m_pool, nullptr)) {
        pool->returnFrame(m_index, m_generation);
    }
}

FrameTicket FrameLease::detach() noexcept
{
    FramePool *pool = std::exchange(m_pool, nullptr);
    if (pool == nullptr) {
        return FrameTicket{}; // pool 0 and generation 0 are never valid: giveBack() and adopt() refuse it
    }
    pool->detachFrame(m_index, m_generation);
    return FrameTicket{m_index, m_generation, pool->m_serial};
}

// --- FramePool -----------------------------------------------------------------------------------

FramePool::FramePool(std::string name, FramePoolOptions options, StatsRegistry *stats)
    : m_name(std::move(name))
    , m_serial(nextPoolSerial())
    , m_impl(std::make_unique<Impl>(m_name, options))
    , m_registration(registerStats(stats, "frame_pool", m_name, *this))
{
}

FramePool::~FramePool()
{
    std::size_t rented = 0;
    {
        const std::lock_guard lock(m_impl->m_mutex);
        rented = m_impl->m_inUse;
    }
    if (rented != 0) {
        // Invariant: all frames returned. A lease outliving its pool would write into freed memory.
        std::fprintf(stderr, "FramePool '%s' destroyed with %zu frames still rented\n", m_name.c_str(), rented);
        std::abort();
    }
}

std::optional<FrameLease> FramePool::tryRent()
{
    std::uint32_t index = Impl::kNoFrame;
    std::uint64_t generation = 0;
    {
        const std::lock_guard lock(m_impl->m_mutex);
        index = m_impl->takeFreeFrameLocked();
        if (index != Impl::kNoFrame) {
            generation = m_impl->m_slots[index].generation.load(std::memory_order_relaxed);
        }
    }
    if (index == Impl::kNoFrame) {
        m_impl->m_tryRentFailures.add();
        return std::nullopt;
    }
    checkPoison(index, generation);
    return FrameLease{this, index, generation};
}

ValueTask<FrameLease> FramePool::rent(std::stop_token stop)
{
    Impl &impl = *m_impl;
    std::unique_lock lock(impl.m_mutex);
    std::uint32_t index = impl.takeFreeFrameLocked();
    RentOperation *operation = nullptr;
    if (index == Impl::kNoFrame && stop.stop_requested()) {
        lock.unlock();
        return ValueTask<FrameLease>::fromException(impl.m_rentCancelled);
    }
    if (index == Impl::kNoFrame) {
        operation = impl.popSpareLocked();
        if (operation == nullptr) {
            // Only while the number of simultaneous waiters grows; not under the mutex.
            lock.unlock();
            auto fresh = std::make_unique<RentOperation>(*this);
            lock.lock();
            operation = &impl.ownLocked(fresh.release());
            index = impl.takeFreeFrameLocked(); // a frame may have come back meanwhile
            if (index != Impl::kNoFrame) {
                impl.pushSpareLocked(*operation);
                operation = nullptr;
            }
        }
    }
    if (operation == nullptr) {
        const std::uint64_t generation = impl.m_slots[index].generation.load(std::memory_order_relaxed);
        lock.unlock();
        checkPoison(index, generation);
        return ValueTask<FrameLease>::fromResult(FrameLease{this, index, generation});
    }
    operation->prepare(Clock::now());
    impl.enqueueWaiterLocked(*operation);
    impl.m_waits.add();
    const Token token = operation->m_core.version();
    lock.unlock();
    if (stop.stop_possible()) {
        // Runs cancelRent() at once when a stop was requested in between.
        operation->m_stopCallback.emplace(std::move(stop), RentOperation::Cancel{operation});
    }
    return ValueTask<FrameLease>::fromSource(*operation, token);
}

void FramePool::giveBack(FrameTicket ticket)
{
    FrameLease lease = claimDetached(ticket, "giveBack()");
    lease.reset();
}

FrameLease FramePool::adopt(FrameTicket ticket)
{
    return claimDetached(ticket, "adopt()");
}

std::size_t FramePool::capacity() const noexcept
{
    return m_impl->m_capacity;
}

std::size_t FramePool::frameBytes() const noexcept
{
    return m_impl->m_frameBytes;
}

std::size_t FramePool::inUse() const noexcept
{
    return static_cast<std::size_t>(m_impl->m_inUseGauge.value());
}

std::size_t FramePool::highWater() const noexcept
{
    return static_cast<std::size_t>(m_impl->m_inUseGauge.highWater());
}

std::uint64_t FramePool::waits() const noexcept
{
    return m_impl->m_waits.value();
}

std::uint64_t FramePool::tryRentFailures() const noexcept
{
    return m_impl->m_tryRentFailures.value();
}

void FramePool::collect(MetricSink &sink) const
{
    sink.add("capacity", static_cast<std::uint64_t>(m_impl->m_capacity));
    sink.add("in_use", m_impl->m_inUseGauge.value());
    sink.add("high_water", m_impl->m_inUseGauge.highWater());
    sink.add("rents", m_impl->m_rents.value());
    sink.add("waits", m_impl->m_waits.value());
    sink.add("wait_ns_total", m_impl->m_waitNsTotal.value());
    sink.add("try_rent_failures", m_impl->m_tryRentFailures.value());
    sink.add("returns", m_impl->m_returns.value());
}

void FramePool::returnFrame(std::uint32_t index, std::uint64_t generation) noexcept
{
    Impl &impl = *m_impl;
    if (impl.m_poison) {
        // Before the mutex: the lease still owns the frame, and a poisoned hand-off is what we want.
        std::memset(frame(index).data(), kPoison, impl.m_frameBytes);
    }
    const std::uint64_t next = generation + 1;
    RentOperation *waiter = nullptr;
    {
        const std::lock_guard lock(impl.m_mutex);
        Impl::Slot &slot = impl.m_slots[index];
        if (slot.state != Impl::FrameState::Leased || slot.generation.load(std::memory_order_relaxed) != generation) {
            abortCorrupted(m_name, index, generation, "returned by a lease that does not own it");
        }
        // release: a view that reads the new generation (acquire) also sees the poisoned bytes.
        slot.generation.store(next, std::memory_order_release);
        waiter = impl.popWaiterLocked();
        if (waiter == nullptr) {
            impl.pushFreeFrameLocked(index);
        } else {
            const auto waited = Clock::now() - waiter->m_enqueuedAt;
            impl.m_waitNsTotal.add(
                static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(waited).count()));
            impl.m_rents.add();
        }
    }
    impl.m_returns.add();
    if (waiter != nullptr) {
        handOff(*waiter, index, next);
    }
}

void FramePool::handOff(RentOperation &operation, std::uint32_t index, std::uint64_t generation) noexcept
{
    // This returner dequeued the operation, so it is its only completer and is never refused. The
    // waiter may resume inline in here (it has no executor), which is why the mutex is not held.
    // Completed means the consumer owns the operation now and may already have recycled it.
    checkPoison(index, generation);
    if (operation.m_core.trySetResult(operation.m_core.version(), FrameLease{this, index, generation}) == Completion::Abandoned) {
        operation.m_core.discardResult(); // the undelivered lease: its frame goes back
        recycle(operation);
    }
}

void FramePool::recycle(RentOperation &operation) noexcept
{
    const std::lock_guard lock(m_impl->m_mutex);
    m_impl->pushSpareLocked(operation);
}

void FramePool::abandonRent(RentOperation &operation) noexcept
{
    {
        const std::lock_guard lock(m_impl->m_mutex);
        if (operation.m_isQueued) {
            // No returner has reached it: nothing was handed over, recycle it at once.
            m_impl->unlinkWaiterLocked(operation);
            m_impl->pushSpareLocked(operation);
            return;
        }
    }
    // A returner dequeued it. If the hand-off is still in flight, that returner recycles it
    // (Completion::Abandoned); if it is done, the lease is ours to send back.
    if (operation.m_core.abandon()) {
        operation.m_core.discardResult();
        recycle(operation);
    }
}

void FramePool::cancelRent(RentOperation &operation) noexcept
{
    Token token = 0;
    {
        const std::lock_guard lock(m_impl->m_mutex);
        if (!operation.m_isQueued) {
            return; // a returner handed it a frame first
        }
        m_impl->unlinkWaiterLocked(operation);
        token = operation.m_core.version();
    }
    // Dequeued here, so this is its only completer. The consumer (result() or abandon()) removes
    // the stop callback, waiting for this call, before it recycles the operation.
    static_cast<void>(operation.m_core.trySetException(token, m_impl->m_rentCancelled));
}

void FramePool::detachFrame(std::uint32_t index, std::uint64_t generation) noexcept
{
    const std::lock_guard lock(m_impl->m_mutex);
    Impl::Slot &slot = m_impl->m_slots[index];
    if (slot.state != Impl::FrameState::Leased || slot.generation.load(std::memory_order_relaxed) != generation) {
        abortCorrupted(m_name, index, generation, "detached by a lease that does not own it");
    }
    slot.state = Impl::FrameState::Detached;
}

FrameLease FramePool::claimDetached(FrameTicket ticket, const char *verb)
{
    Impl &impl = *m_impl;
    if (ticket.pool != m_serial) {
        throw MisuseError("FramePool '" + m_name + "': " + verb + " of frame " + std::to_string(ticket.index) +
                          " generation " + std::to_string(ticket.generation) + " refused: " +
                          (ticket.pool == 0 ? std::string("the ticket is empty (detached from an empty lease, or made by hand)")
                                            : std::string("the ticket belongs to another pool")) +
                          "; nothing was changed");
    }
    if (ticket.index >= impl.m_capacity) {
        throw MisuseError("FramePool '" + m_name + "': " + verb + " of frame " + std::to_string(ticket.index) +
                          " refused: the pool's frames are numbered 0 to " + std::to_string(impl.m_capacity - 1));
    }
    Impl::FrameState state = Impl::FrameState::Free;
    std::uint64_t current = 0;
    {
        const std::lock_guard lock(impl.m_mutex);
        Impl::Slot &slot = impl.m_slots[ticket.index];
        state = slot.state;
        current = slot.generation.load(std::memory_order_relaxed);
        if (state == Impl::FrameState::Detached && current == ticket.generation) {
            slot.state = Impl::FrameState::Leased;
            return FrameLease{this, ticket.index, ticket.generation};
        }
    }
    const char *now = state == Impl::FrameState::Free     ? "free"
                      : state == Impl::FrameState::Leased ? "held by a lease"
                                                          : "detached";
    throw MisuseError("FramePool '" + m_name + "': " + verb + " of frame " + std::to_string(ticket.index) +
                      " generation " + std::to_string(ticket.generation) +
                      " refused: that frame was already given back or adopted (it is now " + now +
                      " at generation " + std::to_string(current) +
                      "). A ticket may be given back or adopted once; nothing was changed");
}

void FramePool::checkPoison(std::uint32_t index, std::uint64_t generation) const noexcept
{
    if (!m_impl->m_poison) {
        return;
    }
    const std::span<const std::byte> bytes = frame(index);
    const auto *first = bytes.data();
    const auto *end = first + bytes.size();
    const auto *changed = std::find_if(first, end, [](std::byte b) { return b != std::byte{kPoison}; });
    if (changed != end) {
        std::fprintf(stderr,
                     "FramePool '%s': frame %u (rented at generation %llu) was written after it went back to the "
                     "pool (byte %zu): a span from FrameLease::bytes() is valid only while its lease holds the "
                     "frame\n",
                     m_name.c_str(), index, static_cast<unsigned long long>(generation),
                     static_cast<std::size_t>(changed - first));
        std::abort();
    }
}

std::span<std::byte> FramePool::frame(std::uint32_t index) const noexcept
{
    return {m_impl->m_buffers + static_cast<std::size_t>(index) * m_impl->m_frameBytes, m_impl->m_frameBytes};
}

bool FramePool::isCurrent(std::uint32_t index, std::uint64_t generation) const noexcept
{
    // acquire: pairs with returnFrame()'s release of the next generation.
    return index < m_impl->m_capacity &&
           m_impl->m_slots[index].generation.load(std::memory_order_acquire) == generation;
}

std::span<const std::byte> FramePool::viewedFrame(std::uint32_t index, std::uint64_t generation) const
{
    if (!isCurrent(index, generation)) {
        const std::uint64_t current =
            index < m_impl->m_capacity ? m_impl->m_slots[index].generation.load(std::memory_order_acquire) : 0;
        throw MisuseError("FramePool '" + m_name + "': frame " + std::to_string(index) +
                          " read through a view of generation " + std::to_string(generation) +
                          ", but that frame went back to the pool (it is now at generation " +
                          std::to_string(current) + "); a view is valid only while its lease holds the frame");
    }
    return frame(index);
}

} // namespace waferscope::runtime
