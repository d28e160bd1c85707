// How fast the simulated machine draws frames: it must never be the pipeline's bottleneck.
// BM_RenderDie is the renderer alone; BM_CameraAcquireUnpaced is the whole camera path a pipeline
// sees (acquire(), a lease from the FramePool, rendering, metadata) with frames as fast as it asks.
// Frame sizes keep one die per field of view: the pixel shrinks as the frame grows.

#include <benchmark/benchmark.h>

#include <cstddef>
#include <vector>

#include <waferscope/hardware/sim/simulated_machine.h>
#include <waferscope/hardware/sim/wafer_renderer.h>
#include <waferscope/runtime/frame_pool.h>
#include <waferscope/runtime/sync_wait.h>

#include "alloc_counter.h"

using namespace waferscope;
using hardware::sim::SimulatorConfig;

namespace {

SimulatorConfig configFor(std::int64_t size)
{
    SimulatorConfig config;
    config.image.width = static_cast<int>(size);
    config.image.height = static_cast<int>(size);
    config.image.pixelSizeUm = 12.0 * 1024.0 / static_cast<double>(size);
    return config;
}

void reportFrames(benchmark::State &state, std::size_t frameBytes)
{
    state.SetItemsProcessed(state.iterations());
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(frameBytes));
}

void BM_RenderDie(benchmark::State &state)
{
    hardware::sim::WaferRenderer renderer(configFor(state.range(0)));
    renderer.loadWafer(core::WaferId("BENCH-01"));
    std::vector<std::byte> frame(renderer.format().frameBytes());
    const auto dies = renderer.dieGrid().scanOrder();
    std::size_t next = 0;
    {
        const benchmarks::AllocsPerOp allocs(state); // counts the timed loop, not the reporting after it
        for (auto _ : state) {
            renderer.render(dies[next], frame);
            next = next + 1 == dies.size() ? 0 : next + 1;
            benchmark::DoNotOptimize(frame.data());
            benchmark::ClobberMemory();
        }
    }
    reportFrames(state, frame.size());
}
BENCHMARK(BM_RenderDie)->Arg(1024)->Arg(2048)->Arg(4096)->Unit(benchmark::kMicrosecond);

void BM_CameraAcquireUnpaced(benchmark::State &state)
{
    SimulatorConfig config = configFor(state.range(0));
    config.timing.pacing = SimulatorConfig::Pacing::Unpaced;
    hardware::sim::SimulatedMachine machine(config);
    runtime::FramePool pool("frames", runtime::FramePoolOptions{4, config.imageFormat().frameBytes()});
    hardware::ScanPlan plan = hardware::ScanPlan::fullWafer(core::RunId(1), core::WaferId("BENCH-01"), machine.dieGrid());
    const std::vector<core::DieIndex> wafer = plan.dies;
    for (int pass = 1; pass < 200; ++pass) { // enough dies that no timed run reaches the end of the scan
        plan.dies.insert(plan.dies.end(), wafer.begin(), wafer.end());
    }
    machine.camera().start(std::move(plan), pool);
    static_cast<void>(runtime::syncWait(machine.camera().acquire())); // warm the coroutine frame pool
    {
        const benchmarks::AllocsPerOp allocs(state);
        for (auto _ : state) {
            hardware::AcquiredFrame frame = runtime::syncWait(machine.camera().acquire());
            if (!frame.hasFrame()) {
                state.SkipWithError("the scan ended");
                break;
            }
            benchmark::DoNotOptimize(frame.lease.bytes().data());
        }
    }
    reportFrames(state, config.imageFormat().frameBytes());
    machine.camera().stop();
}
BENCHMARK(BM_CameraAcquireUnpaced)->Arg(1024)->Arg(2048)->Unit(benchmark::kMicrosecond);

} // namespace

BENCHMARK_MAIN();
