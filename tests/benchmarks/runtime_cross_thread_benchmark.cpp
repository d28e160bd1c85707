// Hand-offs between threads, ours against moodycamel::ReaderWriterQueue (both sides busy-poll: the
// practical limit of an SPSC hand-off) and Qt queued calls (QMetaObject::invokeMethod with a lambda,
// between QThreads running their event loops).
// - Spsc: a producer thread writes kSpscItems ints, a consumer thread reads them; one benchmark
//   iteration is one item. Ours: a Job on one ThreadExecutor awaits Channel::write() (capacity
//   kSpscCapacity, FullMode::Wait), a Job on another awaits Channel::read().
// - PingPong: two threads bounce one token through two channels (capacity 1); one iteration is
//   one round trip. Ours: two Jobs on two ThreadExecutors.
// - UiMarshal: the benchmark thread publishes kMarshalItems ints, a QThread's event loop receives
//   them; one iteration is one item. Ours: UiMarshal<int> built on that thread with a minimum
//   interval of 0 ms (the display-frame pacing is a policy, not a cost). Peer: one queued call per
//   item.
// The threads under test persist for the whole run of a case and are told to do one batch per
// KeepRunningBatch() step; the benchmark thread sleeps in Progress::wait() meanwhile, so on a quiet
// two-core machine the two threads under test can have a core each. The side that finishes a batch
// reports it; a consumer learns where a batch ends from an end-of-batch marker (or call) that
// follows the batch's items. Before the timed loop every case runs one untimed warm-up batch, so
// what is measured is the steady state: a channel's pooled write operation exists once a writer has
// had to wait. Thread start-up, warm-up and shut-down are outside the timed loop and outside the
// allocation count.

#include <benchmark/benchmark.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <thread>
#include <utility>

#include <QMetaObject>
#include <QObject>
#include <QThread>

#include <readerwriterqueue/readerwriterqueue.h>

#include <waferscope/runtime/batch_marshal.h>
#include <waferscope/runtime/channel.h>
#include <waferscope/runtime/errors.h>
#include <waferscope/runtime/job.h>
#include <waferscope/runtime/qt/ui_marshal.h>
#include <waferscope/runtime/thread_executor.h>

#include "alloc_counter.h"

using waferscope::benchmarks::AllocsPerOp;
using namespace waferscope::runtime;
using waferscope::runtime::qt::UiMarshal;

namespace {

constexpr int kSpscItems = 1'000'000;
constexpr int kQtWarmUpItems = 100'000;
constexpr int kEndOfBatch = -1;
constexpr std::size_t kSpscCapacity = 1024;
constexpr int kRoundTrips = 10'000;
constexpr int kMarshalItems = 100'000;
constexpr std::size_t kMarshalCapacity = 65'536;

inline void cpuRelax() noexcept
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

/// Counts units of work finished on a worker thread and wakes the benchmark thread once the count
/// reaches what it expects.
/// Threads: expect() and wait() on the benchmark thread; add() on one worker thread. The work
/// reaches the worker through a hand-off that orders it after expect(), so add() sees the target.
class Progress
{
public:
    void expect(std::uint64_t units) noexcept
    {
        m_target.store(m_target.load(std::memory_order_relaxed) + units, std::memory_order_relaxed);
    }

    void add(std::uint64_t units) noexcept
    {
        // release: what the worker did is visible to the benchmark thread once it sees the count.
        const std::uint64_t done = m_done.fetch_add(units, std::memory_order_release) + units;
        if (done >= m_target.load(std::memory_order_relaxed)) {
            m_done.notify_one();
        }
    }

    void wait() const noexcept
    {
        const std::uint64_t target = m_target.load(std::memory_order_relaxed);
        for (std::uint64_t done = m_done.load(std::memory_order_acquire); done < target;
             done = m_done.load(std::memory_order_acquire)) {
            m_done.wait(done, std::memory_order_acquire);
        }
    }

private:
    std::atomic<std::uint64_t> m_target{0};
    std::atomic<std::uint64_t> m_done{0};
};

/// A QThread running its event loop, and an object living on it to post queued calls to.
class QtThread
{
public:
    explicit QtThread(const char *name)
    {
        m_thread.setObjectName(QString::fromLatin1(name));
        m_context.moveToThread(&m_thread);
        m_thread.start();
    }
    ~QtThread()
    {
        m_thread.quit();
        m_thread.wait();
    }
    QtThread(const QtThread &) = delete;
    QtThread &operator=(const QtThread &) = delete;

    [[nodiscard]] QObject *context() noexcept { return &m_context; }

    /// Runs `fn` on the thread and returns when it has run.
    template<typename F>
    void run(F &&fn)
    {
        QMetaObject::invokeMethod(&m_context, std::forward<F>(fn), Qt::BlockingQueuedConnection);
    }

private:
    QThread m_thread;
    QObject m_context; // after m_thread: destroyed first, once the thread has finished
};

/// What a persistent job's read got: a value, or the news that the channel was completed, which
/// ends the job. A flag rather than a return from the catch handler keeps the job's end in one place.
template<typename T>
struct ReadResult {
    T value{};
    bool isClosed = false;
};

// --- Spsc ----------------------------------------------------------------------------------------

Job produceBatches(Channel<int> &commands, Channel<int> &data)
{
    for (;;) {
        ReadResult<int> command;
        try {
            command.value = co_await commands.read();
        } catch (const ChannelClosed &) {
            command.isClosed = true;
        }
        if (command.isClosed) {
            break;
        }
        for (int i = 0; i < command.value; ++i) {
            co_await data.write(i);
        }
        co_await data.write(kEndOfBatch);
    }
}

Job consumeItems(Channel<int> &data, Progress &progress)
{
    std::int64_t sum = 0;
    std::uint64_t received = 0;
    for (;;) {
        ReadResult<int> item;
        try {
            item.value = co_await data.read();
        } catch (const ChannelClosed &) {
            item.isClosed = true;
        }
        if (item.isClosed) {
            break;
        }
        if (item.value == kEndOfBatch) {
            progress.add(std::exchange(received, 0));
            continue;
        }
        sum += item.value;
        ++received;
    }
    benchmark::DoNotOptimize(sum);
}

void spscChannel(benchmark::State &state)
{
    Channel<int> commands("commands", ChannelOptions{.capacity = 4});
    Channel<int> data("data", ChannelOptions{.capacity = kSpscCapacity});
    Progress progress;
    {
        ThreadExecutor producer("producer");
        ThreadExecutor consumer("consumer");
        consumer.spawn(consumeItems(data, progress));
        producer.spawn(produceBatches(commands, data));
        const auto runBatch = [&](int items) {
            progress.expect(static_cast<std::uint64_t>(items));
            static_cast<void>(commands.tryWrite(items));
            progress.wait();
        };
        runBatch(kSpscItems);
        {
            const AllocsPerOp allocs(state);
            while (state.KeepRunningBatch(kSpscItems)) {
                runBatch(kSpscItems);
            }
        }
        commands.complete();
        data.complete();
    } // the executors stop once both jobs have ended
}

/// Two threads that busy-poll a ReaderWriterQueue; the producer sleeps between batches.
class RwqSpsc
{
public:
    explicit RwqSpsc(Progress &progress)
        : m_progress(progress)
        , m_queue(kSpscCapacity)
        , m_consumer([this] { consume(); })
        , m_producer([this] { produce(); })
    {
    }
    ~RwqSpsc()
    {
        m_isStopping.store(true, std::memory_order_relaxed);
        m_requested.fetch_add(1, std::memory_order_release);
        m_requested.notify_one();
        m_producer.join();
        m_consumer.join();
    }
    RwqSpsc(const RwqSpsc &) = delete;
    RwqSpsc &operator=(const RwqSpsc &) = delete;

    void runBatch()
    {
        m_progress.expect(kSpscItems);
        m_requested.fetch_add(1, std::memory_order_release);
        m_requested.notify_one();
        m_progress.wait();
    }

private:
    void enqueue(int item)
    {
        while (!m_queue.try_enqueue(item)) {
            cpuRelax();
        }
    }

    void produce()
    {
        std::uint32_t served = 0;
        for (;;) {
            m_requested.wait(served, std::memory_order_acquire);
            if (m_isStopping.load(std::memory_order_relaxed)) {
                return;
            }
            for (const std::uint32_t requested = m_requested.load(std::memory_order_acquire); served < requested;
                 ++served) {
                for (int i = 0; i < kSpscItems; ++i) {
                    enqueue(i);
                }
                enqueue(kEndOfBatch);
            }
        }
    }

    void consume()
    {
        std::int64_t sum = 0;
        std::uint64_t received = 0;
        int item = 0;
        while (!m_isStopping.load(std::memory_order_relaxed)) {
            if (!m_queue.try_dequeue(item)) {
                cpuRelax();
                continue;
            }
            if (item == kEndOfBatch) {
                m_progress.add(std::exchange(received, 0));
                continue;
            }
            sum += item;
            ++received;
        }
        benchmark::DoNotOptimize(sum);
    }

    Progress &m_progress;
    moodycamel::ReaderWriterQueue<int> m_queue;
    std::atomic<std::uint32_t> m_requested{0};
    std::atomic<bool> m_isStopping{false};
    std::thread m_consumer;
    std::thread m_producer;
};

void spscReaderWriterQueue(benchmark::State &state)
{
    Progress progress;
    RwqSpsc threads(progress);
    threads.runBatch();
    const AllocsPerOp allocs(state);
    while (state.KeepRunningBatch(kSpscItems)) {
        threads.runBatch();
    }
}

/// A producer QThread that posts one queued call per item to a consumer QThread, then an
/// end-of-batch call (queued calls from one thread to one receiver arrive in order).
class QtSpsc
{
public:
    explicit QtSpsc(Progress &progress)
        : m_progress(progress)
        , m_producer("producer")
        , m_consumer("consumer")
    {
    }

    void runBatch(int items)
    {
        m_progress.expect(static_cast<std::uint64_t>(items));
        QMetaObject::invokeMethod(m_producer.context(), [this, items] { produce(items); }, Qt::QueuedConnection);
        m_progress.wait();
    }

private:
    void produce(int items)
    {
        QObject *consumer = m_consumer.context();
        for (int i = 0; i < items; ++i) {
            QMetaObject::invokeMethod(consumer, [this, i] { m_sum += i; }, Qt::QueuedConnection);
        }
        QMetaObject::invokeMethod(
            consumer, [this, items] { m_progress.add(static_cast<std::uint64_t>(items)); }, Qt::QueuedConnection);
    }

    Progress &m_progress;
    QtThread m_producer;
    QtThread m_consumer;
    std::int64_t m_sum = 0; // consumer thread only
};

void spscQtQueuedCall(benchmark::State &state)
{
    Progress progress;
    QtSpsc threads(progress);
    threads.runBatch(kQtWarmUpItems);
    const AllocsPerOp allocs(state);
    while (state.KeepRunningBatch(kSpscItems)) {
        threads.runBatch(kSpscItems);
    }
}

// --- PingPong ------------------------------------------------------------------------------------

Job returnPings(Channel<int> &pings, Channel<int> &pongs)
{
    for (;;) {
        ReadResult<int> ping;
        try {
            ping.value = co_await pings.read();
        } catch (const ChannelClosed &) {
            ping.isClosed = true;
        }
        if (ping.isClosed) {
            break;
        }
        co_await pongs.write(ping.value);
    }
}

Job sendPings(Channel<int> &commands, Channel<int> &pings, Channel<int> &pongs, Progress &progress)
{
    std::int64_t sum = 0;
    for (;;) {
        ReadResult<int> command;
        try {
            command.value = co_await commands.read();
        } catch (const ChannelClosed &) {
            command.isClosed = true;
        }
        if (command.isClosed) {
            break;
        }
        for (int i = 0; i < command.value; ++i) {
            co_await pings.write(i);
            sum += co_await pongs.read();
        }
        progress.add(static_cast<std::uint64_t>(command.value));
    }
    benchmark::DoNotOptimize(sum);
}

void pingPongChannel(benchmark::State &state)
{
    Channel<int> commands("commands", ChannelOptions{.capacity = 4});
    Channel<int> pings("pings", ChannelOptions{.capacity = 1});
    Channel<int> pongs("pongs", ChannelOptions{.capacity = 1});
    Progress progress;
    {
        ThreadExecutor pinger("pinger");
        ThreadExecutor ponger("ponger");
        ponger.spawn(returnPings(pings, pongs));
        pinger.spawn(sendPings(commands, pings, pongs, progress));
        const auto runBatch = [&] {
            progress.expect(kRoundTrips);
            static_cast<void>(commands.tryWrite(kRoundTrips));
            progress.wait();
        };
        runBatch();
        {
            const AllocsPerOp allocs(state);
            while (state.KeepRunningBatch(kRoundTrips)) {
                runBatch();
            }
        }
        commands.complete();
        pings.complete();
    }
}

/// Two busy-polling threads bouncing a token through two ReaderWriterQueues; the pinger sleeps
/// between batches.
class RwqPingPong
{
public:
    explicit RwqPingPong(Progress &progress)
        : m_progress(progress)
        , m_pings(16)
        , m_pongs(16)
        , m_ponger([this] { returnPings(); })
        , m_pinger([this] { sendPings(); })
    {
    }
    ~RwqPingPong()
    {
        m_isStopping.store(true, std::memory_order_relaxed);
        m_requested.fetch_add(1, std::memory_order_release);
        m_requested.notify_one();
        m_pinger.join();
        m_ponger.join();
    }
    RwqPingPong(const RwqPingPong &) = delete;
    RwqPingPong &operator=(const RwqPingPong &) = delete;

    void runBatch()
    {
        m_progress.expect(kRoundTrips);
        m_requested.fetch_add(1, std::memory_order_release);
        m_requested.notify_one();
        m_progress.wait();
    }

private:
    void sendPings()
    {
        std::int64_t sum = 0;
        std::uint32_t served = 0;
        for (;;) {
            m_requested.wait(served, std::memory_order_acquire);
            if (m_isStopping.load(std::memory_order_relaxed)) {
                break;
            }
            for (const std::uint32_t requested = m_requested.load(std::memory_order_acquire); served < requested;
                 ++served) {
                for (int i = 0; i < kRoundTrips; ++i) {
                    while (!m_pings.try_enqueue(i)) {
                        cpuRelax();
                    }
                    int pong = 0;
                    while (!m_pongs.try_dequeue(pong)) {
                        cpuRelax();
                    }
                    sum += pong;
                }
                m_progress.add(kRoundTrips);
            }
        }
        benchmark::DoNotOptimize(sum);
    }

    void returnPings()
    {
        int ping = 0;
        while (!m_isStopping.load(std::memory_order_relaxed)) {
            if (!m_pings.try_dequeue(ping)) {
                cpuRelax();
                continue;
            }
            while (!m_pongs.try_enqueue(ping)) {
                cpuRelax();
            }
        }
    }

    Progress &m_progress;
    moodycamel::ReaderWriterQueue<int> m_pings;
    moodycamel::ReaderWriterQueue<int> m_pongs;
    std::atomic<std::uint32_t> m_requested{0};
    std::atomic<bool> m_isStopping{false};
    std::thread m_ponger;
    std::thread m_pinger;
};

void pingPongReaderWriterQueue(benchmark::State &state)
{
    Progress progress;
    RwqPingPong threads(progress);
    threads.runBatch();
    const AllocsPerOp allocs(state);
    while (state.KeepRunningBatch(kRoundTrips)) {
        threads.runBatch();
    }
}

/// A token bounced between two QThreads by queued calls: pinger → ponger → pinger per round trip.
class QtPingPong
{
public:
    QtPingPong(QObject *pinger, QObject *ponger, Progress &progress) noexcept
        : m_pinger(pinger)
        , m_ponger(ponger)
        , m_progress(progress)
    {
    }

    /// Runs `count` round trips, started on the pinger's thread, and returns when they are done.
    void runBatch(int count)
    {
        m_progress.expect(static_cast<std::uint64_t>(count));
        QMetaObject::invokeMethod(
            m_pinger,
            [this, count] {
                m_remaining = count;
                m_batch = count;
                sendPing();
            },
            Qt::QueuedConnection);
        m_progress.wait();
    }

private:
    void sendPing()
    {
        QMetaObject::invokeMethod(
            m_ponger, [this] { QMetaObject::invokeMethod(m_pinger, [this] { onPong(); }, Qt::QueuedConnection); },
            Qt::QueuedConnection);
    }

    void onPong()
    {
        if (--m_remaining > 0) {
            sendPing();
        } else {
            m_progress.add(static_cast<std::uint64_t>(m_batch));
        }
    }

    QObject *m_pinger;
    QObject *m_ponger;
    Progress &m_progress;
    int m_remaining = 0; // pinger thread only
    int m_batch = 0;     // pinger thread only
};

void pingPongQtQueuedCall(benchmark::State &state)
{
    QtThread pinger("pinger");
    QtThread ponger("ponger");
    Progress progress;
    QtPingPong pingPong(pinger.context(), ponger.context(), progress);
    pingPong.runBatch(kRoundTrips);
    const AllocsPerOp allocs(state);
    while (state.KeepRunningBatch(kRoundTrips)) {
        pingPong.runBatch(kRoundTrips);
    }
}

// --- UiMarshal -----------------------------------------------------------------------------------

void uiMarshalBatched(benchmark::State &state)
{
    QtThread ui("ui");
    Progress progress;
    std::int64_t sum = 0; // ui thread only
    std::unique_ptr<UiMarshal<int>> marshal;
    ui.run([&] {
        marshal = std::make_unique<UiMarshal<int>>(
            "bench", kMarshalCapacity, OverflowPolicy::Block,
            [&](std::span<int> batch) {
                for (const int item : batch) {
                    sum += item;
                }
                progress.add(batch.size());
            },
            nullptr, std::chrono::milliseconds{0});
    });
    const auto runBatch = [&] {
        progress.expect(kMarshalItems);
        for (int i = 0; i < kMarshalItems; ++i) {
            marshal->publish(i);
        }
        progress.wait();
    };
    runBatch();
    const std::uint64_t postsBefore = marshal->posts();
    const std::uint64_t drainsBefore = marshal->drains();
    const std::uint64_t batchesBefore = marshal->marshal().batches();
    const auto start = std::chrono::steady_clock::now();
    {
        const AllocsPerOp allocs(state);
        while (state.KeepRunningBatch(kMarshalItems)) {
            runBatch();
        }
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const auto posts = static_cast<double>(marshal->posts() - postsBefore);
    const auto drains = static_cast<double>(marshal->drains() - drainsBefore);
    const auto batches = static_cast<double>(marshal->marshal().batches() - batchesBefore);
    const auto items = static_cast<double>(state.iterations());
    state.counters["posts_per_s"] = posts / seconds;
    state.counters["drains_per_s"] = drains / seconds;
    state.counters["items_per_post"] = posts > 0 ? items / posts : 0.0;
    state.counters["items_per_batch"] = batches > 0 ? items / batches : 0.0;
    ui.run([&] { marshal.reset(); });
    benchmark::DoNotOptimize(sum);
}

void uiMarshalQtQueuedCallPerItem(benchmark::State &state)
{
    QtThread ui("ui");
    Progress progress;
    QObject *target = ui.context();
    std::int64_t sum = 0; // ui thread only
    const auto runBatch = [&] {
        progress.expect(kMarshalItems);
        for (int i = 0; i < kMarshalItems; ++i) {
            QMetaObject::invokeMethod(target, [&sum, i] { sum += i; }, Qt::QueuedConnection);
        }
        QMetaObject::invokeMethod(target, [&progress] { progress.add(kMarshalItems); }, Qt::QueuedConnection);
        progress.wait();
    };
    runBatch();
    const auto start = std::chrono::steady_clock::now();
    {
        const AllocsPerOp allocs(state);
        while (state.KeepRunningBatch(kMarshalItems)) {
            runBatch();
        }
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    // One queued call, and so one delivery on the UI thread, per item (the end-of-batch call aside).
    state.counters["posts_per_s"] = static_cast<double>(state.iterations()) / seconds;
    state.counters["drains_per_s"] = static_cast<double>(state.iterations()) / seconds;
    state.counters["items_per_post"] = 1.0;
    state.counters["items_per_batch"] = 1.0;
    benchmark::DoNotOptimize(sum);
}

} // namespace

BENCHMARK(spscChannel)->Name("Spsc/Channel")->UseRealTime();
BENCHMARK(spscReaderWriterQueue)->Name("Spsc/ReaderWriterQueue")->UseRealTime();
BENCHMARK(spscQtQueuedCall)->Name("Spsc/QtQueuedCall")->UseRealTime();

BENCHMARK(pingPongChannel)->Name("PingPong/Channel")->UseRealTime();
BENCHMARK(pingPongReaderWriterQueue)->Name("PingPong/ReaderWriterQueue")->UseRealTime();
BENCHMARK(pingPongQtQueuedCall)->Name("PingPong/QtQueuedCall")->UseRealTime();

BENCHMARK(uiMarshalBatched)->Name("UiMarshal/UiMarshal")->UseRealTime();
BENCHMARK(uiMarshalQtQueuedCallPerItem)->Name("UiMarshal/QtQueuedCallPerItem")->UseRealTime();
