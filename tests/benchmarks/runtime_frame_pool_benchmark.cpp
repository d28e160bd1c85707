// Renting and returning a 1 MiB frame, ours against a fresh heap buffer of the same size.
// - TryRentReturn: FramePool::tryRent(), then the lease's reset() gives the frame back.
// - RentAwaitReturn: co_await FramePool::rent() (a frame is free, so it completes at once) inside a
//   coroutine loop, then reset().
// - NewDelete: std::make_unique_for_overwrite<std::byte[]>(1 MiB) and its destruction; the bytes
//   are not zeroed, as a pool frame's are not.
// No case touches the bytes: what is measured is the hand-over of the buffer, not its first use.

#include <benchmark/benchmark.h>

#include <cstddef>
#include <memory>

#include <waferscope/runtime/frame_pool.h>
#include <waferscope/runtime/sync_wait.h>
#include <waferscope/runtime/value_task.h>

#include "alloc_counter.h"

using waferscope::benchmarks::AllocsPerOp;
using namespace waferscope::runtime;

namespace {

constexpr std::size_t kFrameBytes = 1024 * 1024;
constexpr FramePoolOptions kPoolOptions{.frameCount = 4, .frameBytes = kFrameBytes};

void framePoolTryRentReturn(benchmark::State &state)
{
    FramePool pool("bench", kPoolOptions);
    const AllocsPerOp allocs(state);
    for (auto _ : state) {
        std::optional<FrameLease> lease = pool.tryRent();
        benchmark::DoNotOptimize(lease->bytes().data());
        lease->reset();
    }
}

ValueTask<void> rentAwaitReturnLoop(benchmark::State &state, FramePool &pool)
{
    const AllocsPerOp allocs(state);
    for (auto _ : state) {
        FrameLease lease = co_await pool.rent();
        benchmark::DoNotOptimize(lease.bytes().data());
        lease.reset();
    }
}

void framePoolRentAwaitReturn(benchmark::State &state)
{
    FramePool pool("bench", kPoolOptions);
    syncWait(rentAwaitReturnLoop(state, pool));
}

void framePoolNewDelete(benchmark::State &state)
{
    const AllocsPerOp allocs(state);
    for (auto _ : state) {
        auto buffer = std::make_unique_for_overwrite<std::byte[]>(kFrameBytes);
        benchmark::DoNotOptimize(buffer.get());
    }
}

} // namespace

BENCHMARK(framePoolTryRentReturn)->Name("FramePool/TryRentReturn");
BENCHMARK(framePoolRentAwaitReturn)->Name("FramePool/RentAwaitReturn");
BENCHMARK(framePoolNewDelete)->Name("FramePool/NewDelete");
