// The runtime's benchmarks, side by side with their peers in one binary. Cases that compare
// against each other share a name prefix (SyncAwait/…, Channel/TryWriteThenTryRead/…,
// PingPong/…), which is how tools/bench_report.py groups them into one table. Every case reports
// ns per operation and allocs_per_op.
//
// This file: main() and the value-task cases.
// - SyncAwait: awaiting a result that is already there, inside a coroutine loop that runs the
//   benchmark's own loop, so each iteration is exactly one await. Ours: ValueTask::fromResult()
//   built at the await, the same returned by a function that is not inlined (a hot polling call
//   answering from its cache), and a ValueTask coroutine that co_returns at once. Peers: a
//   QCoro::Task coroutine awaited the same way, and a plain function call.
// - Suspend: one suspension, completion and resumption per iteration. The awaiting coroutine runs
//   the benchmark loop and suspends; the benchmark function completes what it waits for by hand,
//   which resumes it inline (no executor is current on the benchmark thread), and it runs on to
//   its next suspension. Peer: a QCoro::Task coroutine suspended on an awaitable resumed by hand.
//   No event loop is involved on either side.
// The other groups live in runtime_channel_benchmark.cpp, runtime_cross_thread_benchmark.cpp and
// runtime_frame_pool_benchmark.cpp.

#include <benchmark/benchmark.h>

#include <coroutine>
#include <cstdint>
#include <utility>

#include <QCoreApplication>
#include <QCoroTask>

#include <waferscope/runtime/channel.h>
#include <waferscope/runtime/source_core.h>
#include <waferscope/runtime/sync_wait.h>
#include <waferscope/runtime/value_task.h>

#include "alloc_counter.h"

using waferscope::benchmarks::AllocsPerOp;
using namespace waferscope::runtime;

namespace {

// --- SyncAwait -----------------------------------------------------------------------------------

// noipa: the baseline must pay for a real call, not be folded into the loop.
[[gnu::noipa]] int plainIdentity(int value)
{
    return value;
}

// What a hot polling call does when its answer is cached: no coroutine, the result travels inline.
[[gnu::noipa]] ValueTask<int> cachedReading(int value)
{
    return ValueTask<int>::fromResult(value);
}

ValueTask<int> valueTaskCompletesAtOnce(int value)
{
    co_return value;
}

QCoro::Task<int> qcoroCompletesAtOnce(int value)
{
    co_return value;
}

void syncAwaitPlainCall(benchmark::State &state)
{
    const AllocsPerOp allocs(state);
    int value = 0;
    std::int64_t sum = 0;
    for (auto _ : state) {
        sum += plainIdentity(value++);
        benchmark::DoNotOptimize(sum);
    }
}

// The counter lives inside each loop coroutine, so it counts the awaits and not the loop
// coroutine's own frame.
ValueTask<void> awaitFromResultLoop(benchmark::State &state)
{
    const AllocsPerOp allocs(state);
    int value = 0;
    std::int64_t sum = 0;
    for (auto _ : state) {
        sum += co_await ValueTask<int>::fromResult(value++);
        benchmark::DoNotOptimize(sum);
    }
}

void syncAwaitValueTaskFromResult(benchmark::State &state)
{
    syncWait(awaitFromResultLoop(state));
}

ValueTask<void> awaitFromResultCallLoop(benchmark::State &state)
{
    const AllocsPerOp allocs(state);
    int value = 0;
    std::int64_t sum = 0;
    for (auto _ : state) {
        sum += co_await cachedReading(value++);
        benchmark::DoNotOptimize(sum);
    }
}

void syncAwaitValueTaskFromResultCall(benchmark::State &state)
{
    syncWait(awaitFromResultCallLoop(state));
}

ValueTask<void> awaitValueTaskCoroutineLoop(benchmark::State &state)
{
    const AllocsPerOp allocs(state);
    int value = 0;
    std::int64_t sum = 0;
    for (auto _ : state) {
        sum += co_await valueTaskCompletesAtOnce(value++);
        benchmark::DoNotOptimize(sum);
    }
}

void syncAwaitValueTaskCoroutine(benchmark::State &state)
{
    syncWait(awaitValueTaskCoroutineLoop(state));
}

QCoro::Task<void> awaitQCoroTaskLoop(benchmark::State &state)
{
    const AllocsPerOp allocs(state);
    int value = 0;
    std::int64_t sum = 0;
    for (auto _ : state) {
        sum += co_await qcoroCompletesAtOnce(value++);
        benchmark::DoNotOptimize(sum);
    }
}

void syncAwaitQCoroTask(benchmark::State &state)
{
    // QCoro::Task is eager and nothing in the loop suspends: the call runs the whole loop.
    const QCoro::Task<void> loop = awaitQCoroTaskLoop(state);
}

// --- Suspend -------------------------------------------------------------------------------------

/// A pooled completion source completed by hand and reset for every operation, as a channel resets
/// its read operation.
class ManualSource final : public ValueTaskSource<int>
{
public:
    [[nodiscard]] ValueTask<int> start()
    {
        m_core.reset();
        return ValueTask<int>::fromSource(*this, m_core.version());
    }
    void complete(int value) { m_core.setResult(m_core.version(), value); }

    [[nodiscard]] SourceStatus status(Token token) const override { return m_core.status(token); }
    [[nodiscard]] bool suspendUntilCompleted(Continuation &continuation, Token token) override
    {
        return m_core.suspendUntilCompleted(continuation, token);
    }
    int result(Token token) override { return m_core.result(token); }
    void abandon(Token token) noexcept override
    {
        if (token == m_core.version()) {
            static_cast<void>(m_core.abandon());
        }
    }

private:
    SourceCore<int> m_core;
};

/// An awaitable that always suspends and remembers the coroutine, so the benchmark resumes it.
/// The awaiter only points at the slot: GCC 12 copies an awaiter that QCoro's await_transform
/// returns by reference, and a copy that held the handle itself would leave the slot empty.
class ManualResume
{
public:
    class SuspendOperation
    {
    public:
        explicit SuspendOperation(std::coroutine_handle<> &slot) noexcept
            : m_slot(slot)
        {
        }
        [[nodiscard]] bool await_ready() const noexcept { return false; }
        void await_suspend(std::coroutine_handle<> handle) const noexcept { m_slot = handle; }
        void await_resume() const noexcept {}

    private:
        std::coroutine_handle<> &m_slot;
    };

    [[nodiscard]] SuspendOperation operator co_await() noexcept { return SuspendOperation{m_handle}; }

    void resume() { std::exchange(m_handle, {}).resume(); }

private:
    std::coroutine_handle<> m_handle;
};

ValueTask<void> awaitPooledSourceLoop(benchmark::State &state, ManualSource &source, bool &isFinished)
{
    {
        const AllocsPerOp allocs(state);
        std::int64_t sum = 0;
        for (auto _ : state) {
            sum += co_await source.start();
            benchmark::DoNotOptimize(sum);
        }
    }
    isFinished = true;
}

void suspendValueTaskPooledSource(benchmark::State &state)
{
    ManualSource source;
    bool isFinished = false;
    int value = 0;
    ValueTask<void> loop = awaitPooledSourceLoop(state, source, isFinished);
    while (!isFinished) {
        source.complete(value++);
    }
    syncWait(std::move(loop));
}

ValueTask<int> valueTaskSuspendsOnce(ManualResume &resumer, int value)
{
    co_await resumer;
    co_return value;
}

ValueTask<void> awaitSuspendingValueTaskLoop(benchmark::State &state, ManualResume &resumer, bool &isFinished)
{
    {
        const AllocsPerOp allocs(state);
        int value = 0;
        std::int64_t sum = 0;
        for (auto _ : state) {
            sum += co_await valueTaskSuspendsOnce(resumer, value++);
            benchmark::DoNotOptimize(sum);
        }
    }
    isFinished = true;
}

void suspendValueTaskCoroutine(benchmark::State &state)
{
    ManualResume resumer;
    bool isFinished = false;
    ValueTask<void> loop = awaitSuspendingValueTaskLoop(state, resumer, isFinished);
    while (!isFinished) {
        resumer.resume();
    }
    syncWait(std::move(loop));
}

ValueTask<void> readChannelLoop(benchmark::State &state, Channel<int> &channel, bool &isFinished)
{
    {
        const AllocsPerOp allocs(state);
        std::int64_t sum = 0;
        for (auto _ : state) {
            sum += co_await channel.read();
            benchmark::DoNotOptimize(sum);
        }
    }
    isFinished = true;
}

void suspendChannelReadThenTryWrite(benchmark::State &state)
{
    Channel<int> channel("bench", ChannelOptions{});
    bool isFinished = false;
    int value = 0;
    ValueTask<void> loop = readChannelLoop(state, channel, isFinished);
    while (!isFinished) {
        // The reader is suspended in read(): the item goes straight to it and resumes it.
        static_cast<void>(channel.tryWrite(value++));
    }
    syncWait(std::move(loop));
}

QCoro::Task<int> qcoroSuspendsOnce(ManualResume &resumer, int value)
{
    co_await resumer;
    co_return value;
}

QCoro::Task<void> awaitSuspendingQCoroTaskLoop(benchmark::State &state, ManualResume &resumer, bool &isFinished)
{
    {
        const AllocsPerOp allocs(state);
        int value = 0;
        std::int64_t sum = 0;
        for (auto _ : state) {
            sum += co_await qcoroSuspendsOnce(resumer, value++);
            benchmark::DoNotOptimize(sum);
        }
    }
    isFinished = true;
}

void suspendQCoroTask(benchmark::State &state)
{
    ManualResume resumer;
    bool isFinished = false;
    const QCoro::Task<void> loop = awaitSuspendingQCoroTaskLoop(state, resumer, isFinished);
    while (!isFinished) {
        resumer.resume();
    }
}

} // namespace

BENCHMARK(syncAwaitPlainCall)->Name("SyncAwait/PlainCall");
BENCHMARK(syncAwaitValueTaskFromResult)->Name("SyncAwait/ValueTaskFromResult");
BENCHMARK(syncAwaitValueTaskFromResultCall)->Name("SyncAwait/ValueTaskFromResultCall");
BENCHMARK(syncAwaitValueTaskCoroutine)->Name("SyncAwait/ValueTaskCoroutine");
BENCHMARK(syncAwaitQCoroTask)->Name("SyncAwait/QCoroTask");

BENCHMARK(suspendValueTaskPooledSource)->Name("Suspend/ValueTaskPooledSource");
BENCHMARK(suspendValueTaskCoroutine)->Name("Suspend/ValueTaskCoroutine");
BENCHMARK(suspendChannelReadThenTryWrite)->Name("Suspend/ChannelReadThenTryWrite");
BENCHMARK(suspendQCoroTask)->Name("Suspend/QCoroTask");

int main(int argc, char **argv)
{
    benchmark::Initialize(&argc, argv);
    // The cross-thread cases run Qt event loops on worker QThreads, which needs an application object.
    QCoreApplication application(argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) {
        return 1;
    }
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
