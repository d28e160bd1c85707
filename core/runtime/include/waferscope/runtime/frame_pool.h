#pragma once

/// FramePool: N preallocated, 64-byte-aligned image buffers of one size, rented out as FrameLeases
/// (the analogue of .NET's ArrayPool<T>, with ownership and back-pressure).
///
/// Lifecycle of a buffer: free → rented (tryRent()/rent() hands out a FrameLease, generation g)
/// → returned (the lease is destroyed or giveBack()n: generation becomes g+1; with
/// poisonReturnedFrames, the default in Debug builds, the bytes are poisoned with 0xDD) → free
/// again, or handed straight to the oldest waiting rent().
/// A buffer has one owner at a time. Views taken from a lease carry the generation they were taken
/// at; reading through a view after its buffer went back throws MisuseError, and so does returning
/// a buffer twice. Nothing pooled is reachable after it goes back.
/// Spans: FrameLease::bytes() is a plain span, valid only while the lease holds the frame; a span
/// cannot be checked on access. With poisonReturnedFrames every rent checks that the frame is
/// still all poison, and aborts with a message naming the pool, the frame and the first changed
/// byte when something wrote through a span after its frame went back.
/// Tickets carry their pool's identity: a pool refuses another pool's ticket (MisuseError).
/// Threads: tryRent(), rent() and returns from any thread. A suspended rent() resumes on its
/// awaiter's executor (inline on the returning thread when the awaiter has none, as under
/// syncWait()). The pool must outlive every lease ("all frames returned" is checked in the
/// destructor, which aborts with a message otherwise).
/// Allocates: the buffers once, at construction; waiting rents use pooled operations (allocated
/// only while the number of simultaneous waiters grows); nothing per rent or return in steady state.
///
/// Counters (stats registry kind "frame_pool"): capacity, in_use, high_water, rents (leases handed
/// out, hand-offs included), waits (rent()s that had to queue), wait_ns_total (steady-clock time
/// from queuing to hand-off, summed), try_rent_failures (underruns), returns.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <stop_token>
#include <string>

#include <waferscope/runtime/stats_registry.h>
#include <waferscope/runtime/value_task.h>

namespace waferscope::runtime {

class FramePool;

/// A buffer detached from its lease, for handing through code that cannot hold a FrameLease
/// (a driver callback's user pointer, say). Give it back with FramePool::giveBack() or adopt it
/// again with FramePool::adopt(); doing either twice throws MisuseError.
struct FrameTicket {
    std::uint32_t index = 0;
    std::uint64_t generation = 0;
    /// The issuing pool's process-wide serial number; 0 for an empty ticket.
    std::uint64_t pool = 0;
};

/// A read-only view that remembers the generation of the buffer it was taken from.
class FrameView
{
public:
    FrameView() noexcept = default;
    /// The bytes; throws MisuseError when the buffer has gone back to the pool since the view was taken.
    [[nodiscard]] std::span<const std::byte> bytes() const;
    /// True while the buffer is still rented under the same generation.
    [[nodiscard]] bool isValid() const noexcept;

private:
    friend class FrameLease;
    FrameView(const FramePool *pool, std::uint32_t index, std::uint64_t generation) noexcept
        : m_pool(pool)
        , m_index(index)
        , m_generation(generation)
    {
    }
    const FramePool *m_pool = nullptr;
    std::uint32_t m_index = 0;
    std::uint64_t m_generation = 0;
};

/// Ownership of one rented buffer. Move-only; the buffer goes back to its pool when the lease is
/// destroyed or reset().
class FrameLease
{
public:
    FrameLease() noexcept = default;
    FrameLease(FrameLease &&other) noexcept;
    FrameLease &operator=(FrameLease &&other) noexcept;
    FrameLease(const FrameLease &) = delete;
    FrameLease &operator=(const FrameLease &) = delete;
    ~FrameLease();

    [[nodiscard]] bool isValid() const noexcept { return m_pool != nullptr; }
    [[nodiscard]] std::span<std::byte> bytes() const noexcept;
    [[nodiscard]] std::size_t size() const noexcept;
    [[nodiscard]] std::uint32_t index() const noexcept { return m_index; }
    [[nodiscard]] std::uint64_t generation() const noexcept { return m_generation; }
    [[nodiscard]] FrameView view() const noexcept { return FrameView{m_pool, m_index, m_generation}; }

    /// Returns the buffer now; the lease becomes empty.
    void reset() noexcept;
    /// Detaches the buffer from this lease without returning it.
    [[nodiscard]] FrameTicket detach() noexcept;

private:
    friend class FramePool;
    FrameLease(FramePool *pool, std::uint32_t index, std::uint64_t generation) noexcept
        : m_pool(pool)
        , m_index(index)
        , m_generation(generation)
    {
    }
    FramePool *m_pool = nullptr;
    std::uint32_t m_index = 0;
    std::uint64_t m_generation = 0;
};

struct FramePoolOptions {
    std::size_t frameCount = 16;
    /// Rounded up to a multiple of 64, so every buffer starts on a cache line.
    std::size_t frameBytes = 1024 * 1024;
    /// Poison a frame's bytes when it goes back and check them when it is rented again: catches a
    /// write through a span kept past its lease, at the cost of two passes over the frame.
#ifdef NDEBUG
    bool poisonReturnedFrames = false;
#else
    bool poisonReturnedFrames = true;
#endif
};

class FramePool final : private StatsProvider
{
public:
    /// Throws std::invalid_argument when frameCount or frameBytes is 0.
    FramePool(std::string name, FramePoolOptions options, StatsRegistry *stats = nullptr);
    FramePool(const FramePool &) = delete;
    FramePool &operator=(const FramePool &) = delete;
    ~FramePool() override;

    /// A free buffer now, or nullopt when all are rented (counted as an underrun).
    [[nodiscard]] std::optional<FrameLease> tryRent();
    /// A free buffer: completes synchronously when one is free, otherwise waits for a return.
    /// A stop request on `stop` ends the wait with OperationCancelled (a wait that was already
    /// handed a frame keeps it); an already stopped token fails at once when no frame is free.
    [[nodiscard]] ValueTask<FrameLease> rent(std::stop_token stop = {});

    /// Returns a detached buffer. Throws MisuseError if it was already returned or adopted.
    void giveBack(FrameTicket ticket);
    /// Turns a detached buffer back into a lease. Throws MisuseError as giveBack() does.
    [[nodiscard]] FrameLease adopt(FrameTicket ticket);

    [[nodiscard]] const std::string &name() const noexcept { return m_name; }
    [[nodiscard]] std::size_t capacity() const noexcept;
    [[nodiscard]] std::size_t frameBytes() const noexcept;
    [[nodiscard]] std::size_t inUse() const noexcept;
    [[nodiscard]] std::size_t highWater() const noexcept;
    [[nodiscard]] std::uint64_t waits() const noexcept;
    [[nodiscard]] std::uint64_t tryRentFailures() const noexcept;

private:
    friend class FrameLease;
    friend class FrameView;
    class RentOperation;
    struct Impl;

    void collect(MetricSink &sink) const override;

    /// Precondition: a lease owns frame `index` at `generation`.
    void returnFrame(std::uint32_t index, std::uint64_t generation) noexcept;
    /// Precondition: a lease owns frame `index` at `generation`; afterwards a ticket does.
    void detachFrame(std::uint32_t index, std::uint64_t generation) noexcept;
    [[nodiscard]] std::span<std::byte> frame(std::uint32_t index) const noexcept;
    [[nodiscard]] std::span<const std::byte> viewedFrame(std::uint32_t index, std::uint64_t generation) const;
    [[nodiscard]] bool isCurrent(std::uint32_t index, std::uint64_t generation) const noexcept;
    /// Moves a detached frame back under a lease; `verb` names the caller in the error message.
    [[nodiscard]] FrameLease claimDetached(FrameTicket ticket, const char *verb);
    /// Hands a frame taken off the waiter queue to `operation`. Precondition: the pool mutex is not held.
    void handOff(RentOperation &operation, std::uint32_t index, std::uint64_t generation) noexcept;
    /// With poisoning on: aborts when frame `index`, just taken from the pool, is not all poison.
    void checkPoison(std::uint32_t index, std::uint64_t generation) const noexcept;
    /// Puts `operation` back on the spare list. Precondition: nobody will touch it again, it holds
    /// no lease, and the pool mutex is not held.
    void recycle(RentOperation &operation) noexcept;
    /// The ValueTask of a waiting rent was dropped unawaited. Precondition: the pool mutex is not held.
    void abandonRent(RentOperation &operation) noexcept;
    /// The stop token of a waiting rent was triggered: fails it unless a frame reached it first.
    void cancelRent(RentOperation &operation) noexcept;

    std::string m_name;
    std::uint64_t m_serial;
    std::unique_ptr<Impl> m_impl;
    StatsRegistration m_registration;
};

} // namespace waferscope::runtime
