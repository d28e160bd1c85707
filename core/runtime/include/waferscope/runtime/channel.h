#pragma once

/// Channel<T>: a bounded queue between pipeline stages (the analogue of .NET's BoundedChannel<T>).
/// Many writers (or one), one reader.
/// States: open → completed (complete()); a completed channel refuses writes and drains, then
///   read() ends with the completion error (ChannelClosed by default).
/// Full modes: Wait (write() suspends until there is room: back-pressure), DropOldest, DropNewest
///   (the oldest / newest buffered item makes room), DropWrite (the written item is dropped). Every
///   drop is counted by reason and handed to the item-dropped callback: nothing is lost quietly.
/// Two tiers: tryWrite()/tryRead() never wait; write()/read() return ValueTasks that complete
///   synchronously when there is room or an item, and otherwise point at a pooled operation.
/// Cancellation: read() and write() take a std::stop_token; a stop request ends the wait with
///   OperationCancelled. Registering for cancellation allocates nothing (the std::stop_callback lives
///   inside the pooled operation), unlike a cancellable .NET read, which is never pooled.
/// Threads: writes from any thread; reads from one reader at a time (a second pending read throws
///   MisuseError). complete() from any thread.
/// Resumes: a suspended reader or writer resumes on its own executor, never inside the write() or
///   read() that released it — unless ChannelOptions::resumeInline asks for the completing thread.
/// Allocates: nothing per operation. The reader's operation is the channel's own; a blocked
///   writer's operation comes from the channel's free list (allocated only while the number of
///   simultaneously blocked writers grows); the continuation node lives in the awaiting frame.
///
/// Lock: one mutex guards the buffer and the waiter links; completions happen after it is released.
/// Lifetime: a Wait-mode write or a read touches nothing of the channel once its item is visible to
/// the other side, so the side that learns the channel is done with (the reader of the last item)
/// may destroy it. A write that had to wait lives in a block shared by the channel and its pooled
/// write operations (the lock, the operations, a reference count), which outlives the channel
/// until every released write has been awaited or dropped. A read's ValueTask points into the
/// channel until it is awaited or dropped: destroying the channel before that aborts with a
/// message, as destroying it with a waiter does. A drop mode's item-dropped callback, and a
/// cancelled write's, run after the lock is released: the channel must outlive a dropping write.
/// Counting: itemsRead() counts items a reader took (a tryRead(), an awaited read()); an item
/// delivered to a read whose ValueTask was dropped unawaited is counted as dropped (Abandoned).

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <utility>
#include <vector>

#include <waferscope/runtime/counter.h>
#include <waferscope/runtime/errors.h>
#include <waferscope/runtime/runtime_stats.h>
#include <waferscope/runtime/source_core.h>
#include <waferscope/runtime/stats_registry.h>
#include <waferscope/runtime/value_task.h>

namespace waferscope::runtime {

enum class FullMode : std::uint8_t { Wait, DropOldest, DropNewest, DropWrite };

/// Why an item left a channel without being read.
enum class DropReason : std::uint8_t {
    Oldest,    ///< DropOldest made room for a newer item
    Newest,    ///< DropNewest made room for a newer item
    Write,     ///< DropWrite refused the written item
    Closed,    ///< written to (or blocked on) a completed channel
    Cancelled, ///< its blocked write was cancelled
    Abandoned, ///< read by an operation whose ValueTask was dropped unawaited
};

struct ChannelOptions {
    std::size_t capacity = 64;
    FullMode fullMode = FullMode::Wait;
    /// Resume released readers and writers on the completing thread instead of their executors.
    bool resumeInline = false;
};

template<typename T>
class Channel final : private StatsProvider
{
public:
    using ItemDropped = std::function<void(T &&item, DropReason reason)>;

    /// Throws std::invalid_argument when capacity is 0.
    Channel(std::string name, ChannelOptions options, StatsRegistry *stats = nullptr, ItemDropped onDropped = {});
    Channel(const Channel &) = delete;
    Channel &operator=(const Channel &) = delete;
    /// Precondition: no reader or writer is waiting ("no waiters left"); aborts with a message otherwise.
    ~Channel() override;

    /// Writes without waiting. Returns false — leaving `item` untouched — when the channel is full
    /// in Wait mode or completed. In the drop modes a full channel drops an item and returns true.
    [[nodiscard]] bool tryWrite(T &&item);
    [[nodiscard]] bool tryWrite(const T &item)
        requires std::is_copy_constructible_v<T>
    {
        T copy(item);
        return tryWrite(std::move(copy));
    }

    /// Reads without waiting; nullopt when empty.
    [[nodiscard]] std::optional<T> tryRead();

    /// Writes `item`, waiting for room in Wait mode. Fails with ChannelClosed once completed, or
    /// OperationCancelled when `stop` is triggered while waiting (the item is then dropped, counted).
    [[nodiscard]] ValueTask<void> write(T item, std::stop_token stop = {});

    /// Reads the next item, waiting for one. After complete() and the last item, fails with the
    /// completion error; with OperationCancelled when `stop` is triggered while waiting.
    [[nodiscard]] ValueTask<T> read(std::stop_token stop = {});

    /// Completes the channel: no more writes; blocked writers fail with ChannelClosed (their items
    /// counted as dropped); the reader drains what is buffered, then sees `error` (ChannelClosed
    /// when null). Returns false if it was completed already.
    bool complete(std::exception_ptr error = nullptr);

    [[nodiscard]] bool isCompleted() const;
    [[nodiscard]] std::size_t size() const;
    [[nodiscard]] std::size_t capacity() const noexcept { return m_options.capacity; }
    [[nodiscard]] const std::string &name() const noexcept { return m_name; }

    /// Items dropped for `reason` so far.
    [[nodiscard]] std::uint64_t dropped(DropReason reason) const noexcept
    {
        return m_dropped[static_cast<std::size_t>(reason)].value();
    }
    /// Item-dropped callbacks that threw: caught, counted here and in RuntimeStats, reported on stderr.
    [[nodiscard]] std::uint64_t dropCallbackFailures() const noexcept { return m_dropCallbackFailures.value(); }
    [[nodiscard]] std::uint64_t itemsWritten() const noexcept { return m_itemsWritten.value(); }
    [[nodiscard]] std::uint64_t itemsRead() const noexcept { return m_itemsRead.value(); }
    [[nodiscard]] std::uint64_t suspendedReads() const noexcept { return m_suspendedReads.value(); }
    [[nodiscard]] std::uint64_t suspendedWrites() const noexcept { return m_suspendedWrites.value(); }
    [[nodiscard]] std::int64_t highWater() const noexcept { return m_depth.highWater(); }

private:
    class ReadOperation;
    class WriteOperation;
    struct CancelRead {
        Channel *channel;
        void operator()() const noexcept { channel->cancelRead(); }
    };
    struct Shared;
    struct CancelWrite {
        WriteOperation *operation;
        void operator()() const noexcept { Channel::cancelWrite(*operation); }
    };

    /// The reader's operation: one per channel, reset for every read that has to wait.
    class ReadOperation final : public ValueTaskSource<T>
    {
    public:
        explicit ReadOperation(Channel &channel) noexcept
            : m_channel(channel)
        {
        }
        [[nodiscard]] SourceStatus status(Token token) const override { return m_core.status(token); }
        [[nodiscard]] bool suspendUntilCompleted(Continuation &continuation, Token token) override
        {
            return m_core.suspendUntilCompleted(continuation, token);
        }
        T result(Token token) override
        {
            static_cast<void>(m_core.status(token)); // validates the token before anything is torn down
            finish();
            T item = m_core.result(token);
            m_channel.m_itemsRead.add();
            return item;
        }
        void abandon(Token token) noexcept override { m_channel.abandonRead(token); }

    private:
        friend class Channel;
        /// Precondition: on the reader's side, after completion (or after unregistering).
        void finish() noexcept
        {
            m_stopCallback.reset();
            if (m_suspended) {
                m_channel.m_readWaitNs.add(static_cast<std::uint64_t>(
                    std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - m_suspendedAt).count()));
            }
            m_active = false;
        }

        Channel &m_channel;
        SourceCore<T> m_core;
        std::optional<std::stop_callback<CancelRead>> m_stopCallback;
        TimePoint m_suspendedAt{};
        bool m_active = false;    // a read was handed out and not yet taken or dropped (reader side only)
        bool m_suspended = false; // that read had to wait (m_suspendedAt is set)
    };

    /// A blocked write: carries its item until the reader makes room. Pooled in the shared block,
    /// which it keeps alive (one reference) from acquisition until it is recycled, so the writer
    /// may take its result after the channel is gone. Touches the channel only while queued.
    class WriteOperation final : public ValueTaskSource<void>
    {
    public:
        WriteOperation(Channel &channel, Shared &shared) noexcept
            : m_channel(&channel)
            , m_shared(&shared)
        {
        }
        [[nodiscard]] SourceStatus status(Token token) const override { return m_core.status(token); }
        [[nodiscard]] bool suspendUntilCompleted(Continuation &continuation, Token token) override
        {
            return m_core.suspendUntilCompleted(continuation, token);
        }
        void result(Token token) override
        {
            static_cast<void>(m_core.status(token));
            m_stopCallback.reset();
            struct Recycle {
                WriteOperation *operation;
                ~Recycle() { Channel::recycle(*operation); } // may free the operation: the last touch
            } recycle{this}; // recycled even when the result is an error
            m_core.result(token);
        }
        void abandon(Token token) noexcept override
        {
            if (token != m_core.version()) {
                return;
            }
            m_stopCallback.reset();
            if (m_core.abandon()) {
                Channel::recycle(*this);
            }
        }

    private:
        friend class Channel;
        Channel *m_channel; // dereferenced only while m_queued, which keeps the channel alive
        Shared *m_shared;
        SourceCore<void> m_core;
        std::optional<T> m_item;
        std::optional<std::stop_callback<CancelWrite>> m_stopCallback;
        TimePoint m_suspendedAt{};
        WriteOperation *m_prev = nullptr;
        WriteOperation *m_next = nullptr;
        bool m_queued = false;
    };

    /// The lock and the write operations, shared by the channel and every write operation handed
    /// out: freed by whichever of the channel's destructor and the last recycle() comes last.
    struct Shared {
        std::mutex mutex;
        std::vector<std::unique_ptr<WriteOperation>> writers; // owns every write operation
        WriteOperation *freeWriters = nullptr;                 // linked through m_next
        std::atomic<std::size_t> references{1};                // the channel, plus operations handed out
    };
    static void release(Shared *shared) noexcept
    {
        // acq_rel: everything done under the shared block happens before whoever frees it.
        if (shared->references.fetch_sub(1, std::memory_order_acq_rel) == 1) {
            delete shared;
        }
    }

    // --- helpers; each "Locked" one requires m_mutex held ---
    enum class WriteOutcome : std::uint8_t { Written, Full, Closed };
    /// Writes if it can without waiting, releasing the lock when it did; otherwise keeps the lock
    /// and leaves `item` untouched.
    WriteOutcome tryWriteLocked(std::unique_lock<std::mutex> &lock, T &&item);
    void pushLocked(T &&item);
    T popFrontLocked();
    T popBackLocked();
    void appendWriterLocked(WriteOperation &op) noexcept;
    void unlinkWriterLocked(WriteOperation &op) noexcept;
    WriteOperation &acquireWriterLocked();
    /// Moves the oldest blocked writer's item into the buffer; returns that writer, or nullptr.
    WriteOperation *admitWriterLocked();
    void addWriteWait(const WriteOperation &op, TimePoint now) noexcept;
    /// Puts `op` back on the free list and drops its reference to the shared block, which may free
    /// `op`. Precondition: nobody touches `op` afterwards; the lock is not held.
    static void recycle(WriteOperation &op) noexcept;
    /// Completes a released writer (outside the lock); recycles it when its task was abandoned.
    static void releaseWriter(WriteOperation &op, std::exception_ptr error) noexcept;
    void cancelRead() noexcept;
    static void cancelWrite(WriteOperation &op) noexcept;
    void abandonRead(Token token) noexcept;
    void drop(T &&item, DropReason reason) noexcept;
    void collect(MetricSink &sink) const override;

    std::string m_name;
    ChannelOptions m_options;
    ItemDropped m_onDropped;

    Shared *m_shared;
    std::mutex &m_mutex; // m_shared->mutex
    std::vector<std::optional<T>> m_ring; // capacity slots; m_head is the oldest
    std::size_t m_head = 0;
    std::size_t m_count = 0;
    bool m_completed = false;
    bool m_readerWaiting = false; // the read operation is registered for an item
    WriteOperation *m_firstWriter = nullptr;
    WriteOperation *m_lastWriter = nullptr;

    ReadOperation m_reader{*this};
    std::exception_ptr m_completionError;
    std::exception_ptr m_readCancelled;
    std::exception_ptr m_writeCancelled;
    std::exception_ptr m_writeClosed;

    Counter m_itemsWritten;
    Counter m_itemsRead;
    Counter m_syncReads;
    Counter m_suspendedReads;
    Counter m_syncWrites;
    Counter m_suspendedWrites;
    Counter m_readWaitNs;
    Counter m_writeWaitNs;
    Counter m_dropped[6];
    Counter m_dropCallbackFailures;
    Gauge m_depth;
    StatsRegistration m_registration;
};

} // namespace waferscope::runtime

#include <waferscope/runtime/detail/channel_impl.h>
