// How fast the defect detector inspects a frame once its reference is learnt (BM_InspectFrame), and
// how long learning the reference takes (BM_LearnReference). Frames come from the simulated machine
// at the default recipe's defect density; frame sizes keep one die per field of view, the pixel
// shrinking as the frame grows. allocs_per_op counts every thread's allocations, OpenCV's included.

#include <benchmark/benchmark.h>

#include <cstddef>
#include <vector>

#include <waferscope/hardware/sim/wafer_renderer.h>
#include <waferscope/pipelines/detection/defect_detector.h>

#include "alloc_counter.h"

using namespace waferscope;
using hardware::sim::SimulatorConfig;

namespace {

constexpr std::size_t kReferenceDies = 5;
constexpr std::size_t kDistinctFrames = 16;

SimulatorConfig machineFor(std::int64_t size)
{
    SimulatorConfig config;
    config.image.width = static_cast<int>(size);
    config.image.height = static_cast<int>(size);
    config.image.pixelSizeUm = 12.0 * 1024.0 / static_cast<double>(size);
    config.defects.densityPerCm2 = 0.5;
    return config;
}

pipelines::DetectorConfig detectorFor(const SimulatorConfig &machine)
{
    pipelines::DetectorConfig config;
    config.format = machine.imageFormat();
    config.diePitchXUm = machine.wafer.pitchXMm * 1000.0;
    config.diePitchYUm = machine.wafer.pitchYMm * 1000.0;
    return config;
}

struct Scan {
    explicit Scan(std::int64_t size)
        : machine(machineFor(size))
        , renderer(machine)
    {
        renderer.loadWafer(core::WaferId("BENCH-01"));
        const auto dies = renderer.dieGrid().scanOrder();
        for (std::size_t k = 0; k < kReferenceDies + kDistinctFrames; ++k) {
            frames.emplace_back(renderer.format().frameBytes());
            renderer.render(dies[k], frames.back());
            hardware::FrameMetadata m;
            m.sequence = k;
            m.die = dies[k];
            metadata.push_back(m);
        }
    }

    SimulatorConfig machine;
    hardware::sim::WaferRenderer renderer;
    std::vector<std::vector<std::byte>> frames;
    std::vector<hardware::FrameMetadata> metadata;
};

void reportFrames(benchmark::State &state, std::size_t frameBytes)
{
    state.SetItemsProcessed(state.iterations());
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(frameBytes));
}

void BM_InspectFrame(benchmark::State &state)
{
    const Scan scan(state.range(0));
    pipelines::DefectDetector detector(detectorFor(scan.machine));
    for (std::size_t k = 0; k < kReferenceDies; ++k) {
        benchmark::DoNotOptimize(detector.inspect(scan.metadata[k], scan.frames[k]).size());
    }
    for (std::size_t k = kReferenceDies; k < kReferenceDies + 3; ++k) { // OpenCV sets itself up on first use
        benchmark::DoNotOptimize(detector.inspect(scan.metadata[k], scan.frames[k]).size());
    }
    std::size_t next = 0;
    std::size_t defects = 0;
    {
        const benchmarks::AllocsPerOp allocs(state);
        for (auto _ : state) {
            const std::size_t k = kReferenceDies + next;
            const auto done = detector.inspect(scan.metadata[k], scan.frames[k]);
            defects += done[0].defects.size();
            next = next + 1 == kDistinctFrames ? 0 : next + 1;
        }
    }
    reportFrames(state, scan.frames[0].size());
    state.counters["defects_per_frame"] =
        benchmark::Counter(static_cast<double>(defects), benchmark::Counter::kAvgIterations);
}
BENCHMARK(BM_InspectFrame)->Arg(1024)->Arg(2048)->Unit(benchmark::kMillisecond);

void BM_LearnReference(benchmark::State &state)
{
    const Scan scan(state.range(0));
    pipelines::DefectDetector detector(detectorFor(scan.machine));
    for (auto _ : state) {
        detector.reset();
        for (std::size_t k = 0; k < kReferenceDies; ++k) {
            benchmark::DoNotOptimize(detector.inspect(scan.metadata[k], scan.frames[k]).size());
        }
    }
    state.counters["frames"] = static_cast<double>(kReferenceDies);
}
BENCHMARK(BM_LearnReference)->Arg(1024)->Arg(2048)->Unit(benchmark::kMillisecond)->Iterations(3);

} // namespace

BENCHMARK_MAIN();
