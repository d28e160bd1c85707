#pragma once

// Do not include directly: include <waferscope/runtime/channel.h> instead.

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

namespace waferscope::runtime {

template<typename T>
Channel<T>::Channel(std::string name, ChannelOptions options, StatsRegistry *stats, ItemDropped onDropped)
    : m_name(std::move(name))
    , m_options(options)
    , m_onDropped(std::move(onDropped))
    , m_shared(new Shared)
    , m_mutex(m_shared->mutex)
{
    if (m_options.capacity == 0) {
        delete m_shared;
        throw std::invalid_argument("channel '" + m_name + "': capacity must be at least 1");
    }
    m_ring.resize(m_options.capacity);
    m_reader.m_core.setResumeInline(m_options.resumeInline);
    // Errors are made once here, so failing a wait later allocates nothing.
    m_readCancelled = std::make_exception_ptr(OperationCancelled("read from channel '" + m_name + "' cancelled"));
    m_writeCancelled = std::make_exception_ptr(OperationCancelled("write to channel '" + m_name + "' cancelled"));
    m_writeClosed = std::make_exception_ptr(
        ChannelClosed("write to channel '" + m_name + "' refused: the channel is completed"));
    m_registration = registerStats(stats, "channel", m_name, *this);
}

template<typename T>
Channel<T>::~Channel()
{
    m_registration = StatsRegistration{};
    {
        const std::lock_guard lock(m_mutex);
        if (m_readerWaiting || m_firstWriter != nullptr) {
            std::fprintf(stderr, "channel '%s' destroyed with %s still waiting\n", m_name.c_str(),
                         m_readerWaiting ? "a reader" : "writers");
            std::abort();
        }
    }
    if (m_reader.m_active) {
        // Its ValueTask points at m_reader: awaiting it later would read freed memory.
        std::fprintf(stderr,
                     "channel '%s' destroyed while a read it returned is not yet awaited (or dropped): "
                     "await or drop every read before destroying its channel\n",
                     m_name.c_str());
        std::abort();
    }
    // Released writes not yet awaited keep the shared block (and their operations) alive.
    release(m_shared);
}

template<typename T>
typename Channel<T>::WriteOutcome Channel<T>::tryWriteLocked(std::unique_lock<std::mutex> &lock, T &&item)
{
    // Counters are bumped before the lock is released or the item handed over: once the reader
    // can see the item it may finish, and its owner destroy the channel, while this call returns.
    if (m_completed) {
        return WriteOutcome::Closed;
    }
    if (m_readerWaiting) { // the buffer is empty: hand the item straight to the reader
        m_readerWaiting = false;
        m_itemsWritten.add();
        m_syncWrites.add();
        const Token token = m_reader.m_core.version();
        lock.unlock();
        // The reader is still waiting for this completion, so the channel is alive until it returns.
        m_reader.m_core.trySetResult(token, std::move(item));
        return WriteOutcome::Written;
    }
    if (m_count < m_options.capacity) {
        m_itemsWritten.add();
        m_syncWrites.add();
        pushLocked(std::move(item));
        lock.unlock();
        return WriteOutcome::Written;
    }
    switch (m_options.fullMode) {
    case FullMode::Wait:
        return WriteOutcome::Full;
    case FullMode::DropOldest:
    case FullMode::DropNewest: {
        const bool oldest = m_options.fullMode == FullMode::DropOldest;
        T dropped = oldest ? popFrontLocked() : popBackLocked();
        m_itemsWritten.add();
        m_syncWrites.add();
        pushLocked(std::move(item));
        lock.unlock();
        drop(std::move(dropped), oldest ? DropReason::Oldest : DropReason::Newest);
        return WriteOutcome::Written;
    }
    case FullMode::DropWrite:
        m_syncWrites.add();
        lock.unlock();
        drop(std::move(item), DropReason::Write);
        return WriteOutcome::Written;
    }
    return WriteOutcome::Full;
}

template<typename T>
bool Channel<T>::tryWrite(T &&item)
{
    std::unique_lock lock(m_mutex);
    return tryWriteLocked(lock, std::move(item)) == WriteOutcome::Written;
}

template<typename T>
std::optional<T> Channel<T>::tryRead()
{
    std::unique_lock lock(m_mutex);
    if (m_count == 0) {
        return std::nullopt;
    }
    std::optional<T> item(popFrontLocked());
    WriteOperation *admitted = admitWriterLocked();
    m_itemsRead.add();
    m_syncReads.add();
    lock.unlock();
    if (admitted != nullptr) {
        releaseWriter(*admitted, nullptr);
    }
    return item;
}

template<typename T>
ValueTask<void> Channel<T>::write(T item, std::stop_token stop)
{
    std::unique_lock lock(m_mutex);
    switch (tryWriteLocked(lock, std::move(item))) {
    case WriteOutcome::Written:
        return ValueTask<void>::completed();
    case WriteOutcome::Closed:
        lock.unlock();
        drop(std::move(item), DropReason::Closed); // NOLINT(bugprone-use-after-move): moved only when written
        return ValueTask<void>::fromException(m_writeClosed);
    case WriteOutcome::Full:
        break;
    }
    if (stop.stop_requested()) {
        lock.unlock();
        drop(std::move(item), DropReason::Cancelled); // NOLINT(bugprone-use-after-move): not written
        return ValueTask<void>::fromException(m_writeCancelled);
    }
    WriteOperation &op = acquireWriterLocked();
    op.m_core.reset();
    op.m_item.emplace(std::move(item)); // NOLINT(bugprone-use-after-move): not written
    op.m_suspendedAt = Clock::now();
    appendWriterLocked(op);
    const Token token = op.m_core.version();
    m_suspendedWrites.add();
    lock.unlock();
    if (stop.stop_possible()) {
        // Runs the callback at once when a stop was requested in between.
        op.m_stopCallback.emplace(std::move(stop), CancelWrite{&op});
    }
    return ValueTask<void>::fromSource(op, token);
}

template<typename T>
ValueTask<T> Channel<T>::read(std::stop_token stop)
{
    std::unique_lock lock(m_mutex);
    if (m_reader.m_active) {
        lock.unlock();
        throw MisuseError("channel '" + m_name + "' has one reader: read() called while a read is still pending");
    }
    if (m_count > 0) {
        // Completed at once, but through the reader's operation rather than inline: if the task is
        // dropped unawaited, abandonRead() counts the item as dropped instead of losing it.
        T item = popFrontLocked();
        WriteOperation *admitted = admitWriterLocked();
        m_syncReads.add();
        m_reader.m_core.reset();
        m_reader.m_active = true;
        m_reader.m_suspended = false;
        const Token token = m_reader.m_core.version();
        lock.unlock();
        m_reader.m_core.trySetResult(token, std::move(item));
        if (admitted != nullptr) {
            releaseWriter(*admitted, nullptr);
        }
        return ValueTask<T>::fromSource(m_reader, token);
    }
    if (m_completed) {
        return ValueTask<T>::fromException(m_completionError);
    }
    if (stop.stop_requested()) {
        return ValueTask<T>::fromException(m_readCancelled);
    }
    m_reader.m_core.reset();
    m_reader.m_active = true;
    m_reader.m_suspended = true;
    m_reader.m_suspendedAt = Clock::now();
    m_readerWaiting = true;
    const Token token = m_reader.m_core.version();
    m_suspendedReads.add();
    lock.unlock();
    if (stop.stop_possible()) {
        m_reader.m_stopCallback.emplace(std::move(stop), CancelRead{this});
    }
    return ValueTask<T>::fromSource(m_reader, token);
}

template<typename T>
bool Channel<T>::complete(std::exception_ptr error)
{
    WriteOperation *blocked = nullptr;
    bool wakeReader = false;
    Token readerToken = 0;
    {
        const std::lock_guard lock(m_mutex);
        if (m_completed) {
            return false;
        }
        m_completed = true;
        m_completionError = error ? std::move(error)
                                  : std::make_exception_ptr(ChannelClosed("channel '" + m_name + "' is completed"));
        if (m_readerWaiting) { // a waiting reader means the buffer is empty
            m_readerWaiting = false;
            wakeReader = true;
            readerToken = m_reader.m_core.version();
        }
        blocked = m_firstWriter;
        const TimePoint now = Clock::now();
        for (WriteOperation *op = blocked; op != nullptr; op = op->m_next) {
            op->m_queued = false;
            addWriteWait(*op, now);
        }
        m_firstWriter = m_lastWriter = nullptr;
    }
    if (wakeReader) {
        m_reader.m_core.trySetException(readerToken, m_completionError);
    }
    while (blocked != nullptr) {
        WriteOperation *next = blocked->m_next;
        drop(std::move(*blocked->m_item), DropReason::Closed);
        blocked->m_item.reset();
        releaseWriter(*blocked, m_writeClosed);
        blocked = next;
    }
    return true;
}

template<typename T>
bool Channel<T>::isCompleted() const
{
    const std::lock_guard lock(m_mutex);
    return m_completed;
}

template<typename T>
std::size_t Channel<T>::size() const
{
    const std::lock_guard lock(m_mutex);
    return m_count;
}

template<typename T>
void Channel<T>::pushLocked(T &&item)
{
    m_ring[(m_head + m_count) % m_ring.size()].emplace(std::move(item));
    ++m_count;
    m_depth.set(static_cast<std::int64_t>(m_count));
}

template<typename T>
T Channel<T>::popFrontLocked()
{
    auto &slot = m_ring[m_head];
    T item = std::move(*slot);
    slot.reset();
    m_head = (m_head + 1) % m_ring.size();
    --m_count;
    m_depth.set(static_cast<std::int64_t>(m_count));
    return item;
}

template<typename T>
T Channel<T>::popBackLocked()
{
    auto &slot = m_ring[(m_head + m_count - 1) % m_ring.size()];
    T item = std::move(*slot);
    slot.reset();
    --m_count;
    m_depth.set(static_cast<std::int64_t>(m_count));
    return item;
}

template<typename T>
void Channel<T>::appendWriterLocked(WriteOperation &op) noexcept
{
    op.m_prev = m_lastWriter;
    op.m_next = nullptr;
    if (m_lastWriter != nullptr) {
        m_lastWriter->m_next = &op;
    } else {
        m_firstWriter = &op;
    }
    m_lastWriter = &op;
    op.m_queued = true;
}

template<typename T>
void Channel<T>::unlinkWriterLocked(WriteOperation &op) noexcept
{
    (op.m_prev != nullptr ? op.m_prev->m_next : m_firstWriter) = op.m_next;
    (op.m_next != nullptr ? op.m_next->m_prev : m_lastWriter) = op.m_prev;
    op.m_prev = op.m_next = nullptr;
    op.m_queued = false;
}

template<typename T>
typename Channel<T>::WriteOperation &Channel<T>::acquireWriterLocked()
{
    // relaxed: the reference is taken under the lock, and only a release can free the block.
    m_shared->references.fetch_add(1, std::memory_order_relaxed);
    if (WriteOperation *op = m_shared->freeWriters) {
        m_shared->freeWriters = op->m_next;
        op->m_next = nullptr;
        return *op;
    }
    // Grows only while more writers are blocked at once than ever before.
    m_shared->writers.push_back(std::make_unique<WriteOperation>(*this, *m_shared));
    m_shared->writers.back()->m_core.setResumeInline(m_options.resumeInline);
    return *m_shared->writers.back();
}

template<typename T>
typename Channel<T>::WriteOperation *Channel<T>::admitWriterLocked()
{
    WriteOperation *op = m_firstWriter;
    if (op == nullptr) {
        return nullptr;
    }
    unlinkWriterLocked(*op);
    pushLocked(std::move(*op->m_item));
    op->m_item.reset();
    m_itemsWritten.add();
    addWriteWait(*op, Clock::now());
    return op;
}

template<typename T>
void Channel<T>::recycle(WriteOperation &op) noexcept
{
    Shared *shared = op.m_shared;
    {
        const std::lock_guard lock(shared->mutex);
        op.m_next = shared->freeWriters;
        shared->freeWriters = &op;
    }
    release(shared);
}

template<typename T>
void Channel<T>::addWriteWait(const WriteOperation &op, TimePoint now) noexcept
{
    m_writeWaitNs.add(static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(now - op.m_suspendedAt).count()));
}

template<typename T>
void Channel<T>::releaseWriter(WriteOperation &op, std::exception_ptr error) noexcept
{
    // The releaser took `op` off the queue, so it is its only completer and the version is stable.
    const Token token = op.m_core.version();
    const Completion completion =
        error ? op.m_core.trySetException(token, std::move(error)) : op.m_core.trySetResult(token);
    if (completion == Completion::Abandoned) {
        op.m_core.discardResult();
        recycle(op);
    }
}

template<typename T>
void Channel<T>::cancelRead() noexcept
{
    Token token = 0;
    {
        const std::lock_guard lock(m_mutex);
        if (!m_readerWaiting) {
            return; // an item or the completion got there first
        }
        m_readerWaiting = false;
        token = m_reader.m_core.version();
    }
    m_reader.m_core.trySetException(token, m_readCancelled);
}

template<typename T>
void Channel<T>::cancelWrite(WriteOperation &op) noexcept
{
    std::optional<T> item;
    Channel *channel = nullptr;
    std::exception_ptr error;
    {
        // The shared lock, not the channel: once the write was admitted the channel may be gone.
        const std::lock_guard lock(op.m_shared->mutex);
        if (!op.m_queued) {
            return; // admitted or failed already
        }
        channel = op.m_channel; // alive: it still has this writer queued
        channel->unlinkWriterLocked(op);
        item.emplace(std::move(*op.m_item));
        op.m_item.reset();
        channel->addWriteWait(op, Clock::now());
        error = channel->m_writeCancelled;
    }
    channel->drop(std::move(*item), DropReason::Cancelled);
    op.m_core.trySetException(op.m_core.version(), std::move(error));
    // An abandoned write cannot get here: abandon() removes the stop callback first.
}

template<typename T>
void Channel<T>::abandonRead(Token token) noexcept
{
    if (token != m_reader.m_core.version()) {
        return;
    }
    bool stillWaiting = false;
    {
        const std::lock_guard lock(m_mutex);
        stillWaiting = std::exchange(m_readerWaiting, false);
    }
    if (!stillWaiting) {
        // Somebody claimed the read under the lock and completes it right after releasing it:
        // wait for that, then drop what it delivered so the item is counted, not lost.
        while (!m_reader.m_core.isCompleted()) {
#if defined(__x86_64__) || defined(__i386__)
            __builtin_ia32_pause();
#endif
        }
    }
    m_reader.finish();
    if (!stillWaiting) {
        try {
            if constexpr (std::is_void_v<T>) {
                m_reader.m_core.result(token);
            } else {
                drop(m_reader.m_core.result(token), DropReason::Abandoned);
            }
        } catch (...) {
            // The abandoned read ended with an error (cancelled or completed): nothing to drop.
        }
    }
}

template<typename T>
void Channel<T>::drop(T &&item, DropReason reason) noexcept
{
    m_dropped[static_cast<std::size_t>(reason)].add();
    if (m_onDropped) {
        try {
            m_onDropped(std::move(item), reason);
        } catch (...) {
            m_dropCallbackFailures.add();
            RuntimeStats::reportDropCallbackFailure(m_name, std::current_exception());
        }
    }
}

template<typename T>
void Channel<T>::collect(MetricSink &sink) const
{
    sink.add("capacity", static_cast<std::uint64_t>(m_options.capacity));
    sink.add("depth", m_depth.value());
    sink.add("high_water", m_depth.highWater());
    sink.add("items_written", m_itemsWritten.value());
    sink.add("items_read", m_itemsRead.value());
    sink.add("sync_reads", m_syncReads.value());
    sink.add("suspended_reads", m_suspendedReads.value());
    sink.add("sync_writes", m_syncWrites.value());
    sink.add("suspended_writes", m_suspendedWrites.value());
    sink.add("read_wait_ns", m_readWaitNs.value());
    sink.add("write_wait_ns", m_writeWaitNs.value());
    sink.add("dropped_oldest", dropped(DropReason::Oldest));
    sink.add("dropped_newest", dropped(DropReason::Newest));
    sink.add("dropped_write", dropped(DropReason::Write));
    sink.add("dropped_closed", dropped(DropReason::Closed));
    sink.add("dropped_cancelled", dropped(DropReason::Cancelled));
    sink.add("dropped_abandoned", dropped(DropReason::Abandoned));
    sink.add("drop_callback_failures", m_dropCallbackFailures.value());
}

} // namespace waferscope::runtime
