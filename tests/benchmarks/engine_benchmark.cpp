// The inspection engine end to end: an unpaced simulated machine (frames as fast as the pipeline
// takes them) through acquisition, the real defect detector, crop staging, the persistence writer
// and KLARF export, with every background service running — what `waferscope --headless --unpaced`
// does. One iteration is one lot of one 200 mm wafer (212 dies); the time per operation is the lot's
// wall time, set-up and wind-down included, and allocs/op counts every allocation of the lot.
// Steady state: the counters describe a window on the detection thread from the 20th frame of the
// wafer (the reference is learnt by then) to its last frame, so per-run set-up (pools, channels,
// stages), reference learning, the store's flush and the KLARF file stay outside:
//   frames_per_s         frames inspected per second of wall time in the window
//   frame_ms             wall time per frame in the window (1 / frames_per_s)
//   kernel_ms            time per frame inside the detector (the analyzer's inspect calls, less the
//                        detection stage's report handling they call back into), same frames, same
//                        window: the detection kernel as the pipeline runs it
//   overhead_pct         (frame_ms - kernel_ms) / frame_ms: what the pipeline adds around the kernel
//                        — the detection stage, channel waits, time lost to the pipeline's other
//                        threads on a shared core
//   stage_cpu_pct        CPU time of the detection thread outside the kernel, as a share of frame_ms:
//                        the pipeline machinery's own work on the critical thread
//   allocs_*             allocations per frame in the window: detector (inside the analyzer's calls
//                        less the stage's report handling, OpenCV included), stage (the rest of the
//                        detection thread: defect records, crop copies and paths, persistence
//                        commands), acquisition (the acquisition thread: the
//                        simulated camera and the acquisition stage), rest (every other thread: the
//                        persistence writer and SQLite, crop PNG encoding and files, the services,
//                        OpenCV's workers), process (all of them)
// Second argument 0: the recipe stages no crops, which isolates what crop staging costs.

#include <benchmark/benchmark.h>

#include <QCoreApplication>
#include <QTemporaryDir>

#include <QCoroTask>

#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <ctime>
#include <memory>
#include <stdexcept>

#include <waferscope/hardware/machine.h>
#include <waferscope/hardware/sim/simulated_machine.h>
#include <waferscope/pipelines/engine/detector_analyzer.h>
#include <waferscope/pipelines/engine/inspection_engine.h>
#include <waferscope/runtime/allocation_counter.h>

#include "alloc_counter.h"

using namespace waferscope;
using Clock = std::chrono::steady_clock;

namespace {

constexpr std::size_t kWarmFrame = 20;

double threadCpuSeconds() noexcept
{
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

/// The acquisition thread's allocation total, published at every acquire() it makes.
class CountingCamera final : public hardware::Camera
{
public:
    explicit CountingCamera(hardware::Camera &inner) noexcept
        : m_inner(inner)
    {
    }
    [[nodiscard]] hardware::ImageFormat format() const override { return m_inner.format(); }
    void start(hardware::ScanPlan plan, runtime::FramePool &pool, hardware::TriggerMode mode) override
    {
        m_inner.start(std::move(plan), pool, mode);
    }
    void stop() override { m_inner.stop(); }
    void trigger() override { m_inner.trigger(); }
    [[nodiscard]] runtime::ValueTask<hardware::AcquiredFrame> acquire() override
    {
        m_allocations.store(runtime::threadAllocations(), std::memory_order_relaxed);
        return m_inner.acquire();
    }
    [[nodiscard]] runtime::ValueTask<hardware::CameraState> state() override { return m_inner.state(); }
    [[nodiscard]] std::uint64_t allocations() const noexcept { return m_allocations.load(std::memory_order_relaxed); }

private:
    hardware::Camera &m_inner;
    std::atomic<std::uint64_t> m_allocations{0};
};

/// The simulated machine with a CountingCamera in front of its camera.
class CountingMachine final : public hardware::Machine
{
public:
    explicit CountingMachine(hardware::sim::SimulatorConfig config)
        : m_machine(std::move(config))
        , m_camera(m_machine.camera())
    {
    }
    [[nodiscard]] std::string_view name() const noexcept override { return m_machine.name(); }
    [[nodiscard]] const core::DieGrid &dieGrid() const noexcept override { return m_machine.dieGrid(); }
    [[nodiscard]] hardware::Camera &camera() noexcept override { return m_camera; }
    [[nodiscard]] hardware::Stage &stage() noexcept override { return m_machine.stage(); }
    [[nodiscard]] hardware::Illumination &illumination() noexcept override { return m_machine.illumination(); }
    [[nodiscard]] hardware::VacuumChuck &vacuumChuck() noexcept override { return m_machine.vacuumChuck(); }
    [[nodiscard]] hardware::MachineController &controller() noexcept override { return m_machine.controller(); }
    [[nodiscard]] const hardware::sim::SimulatorConfig &config() const noexcept { return m_machine.config(); }
    [[nodiscard]] const CountingCamera &countingCamera() const noexcept { return m_camera; }

private:
    hardware::sim::SimulatedMachine m_machine;
    CountingCamera m_camera;
};

/// What one wafer's steady-state window measured.
struct Window {
    std::uint64_t frames = 0;
    double wallSeconds = 0;
    double kernelSeconds = 0;
    double threadCpuSeconds = 0;
    double kernelCpuSeconds = 0;
    std::uint64_t kernelAllocations = 0;
    std::uint64_t threadAllocations = 0;
    std::uint64_t acquisitionAllocations = 0;
    std::uint64_t processAllocations = 0;
};

/// Times and counts the real analyzer's calls, less the detection stage's work inside them (the
/// analyzer reports each frame to the stage's sink, which makes the defect records and copies the
/// crops out before the call returns); opens the window at the kWarmFrame-th frame of the wafer and
/// closes it when the wafer ends. Runs on the detection thread only.
class MeasuringAnalyzer final : public pipelines::FrameAnalyzer
{
    /// Passes reports on to the stage's sink and measures what that costs.
    class MeasuringSink final : public ReportSink
    {
    public:
        void frameInspected(const FrameReport &report) override
        {
            const auto wall = Clock::now();
            const double cpu = threadCpuSeconds();
            const std::uint64_t allocations = runtime::threadAllocations();
            m_inner->frameInspected(report);
            seconds += std::chrono::duration<double>(Clock::now() - wall).count();
            cpuSeconds += threadCpuSeconds() - cpu;
            allocationCount += runtime::threadAllocations() - allocations;
        }
        void reset(ReportSink &inner) noexcept
        {
            m_inner = &inner;
            seconds = 0;
            cpuSeconds = 0;
            allocationCount = 0;
        }
        double seconds = 0;
        double cpuSeconds = 0;
        std::uint64_t allocationCount = 0;

    private:
        ReportSink *m_inner = nullptr;
    };

public:
    MeasuringAnalyzer(const core::Recipe &recipe, const CountingCamera &camera, Window &result)
        : m_inner(recipe)
        , m_camera(camera)
        , m_result(result)
    {
    }

    void beginWafer(const core::WaferId &wafer) override
    {
        m_frames = 0;
        m_isOpen = false;
        m_inner.beginWafer(wafer);
    }

    void inspect(std::span<const std::byte> pixels, const hardware::FrameMetadata &metadata, ReportSink &sink) override
    {
        if (++m_frames == kWarmFrame) {
            open();
        }
        measure(sink, [&](ReportSink &measured) { m_inner.inspect(pixels, metadata, measured); });
    }

    void finishWafer(ReportSink &sink) override
    {
        if (m_isOpen) {
            close();
        }
        m_inner.finishWafer(sink);
    }

    [[nodiscard]] std::size_t deferredFrames() const noexcept override { return m_inner.deferredFrames(); }

private:
    template<typename Call>
    void measure(ReportSink &sink, Call call)
    {
        m_sink.reset(sink);
        const auto wall = Clock::now();
        const double cpu = threadCpuSeconds();
        const std::uint64_t allocations = runtime::threadAllocations();
        call(m_sink);
        if (m_isOpen) {
            m_kernel.kernelSeconds += std::chrono::duration<double>(Clock::now() - wall).count() - m_sink.seconds;
            m_kernel.kernelCpuSeconds += threadCpuSeconds() - cpu - m_sink.cpuSeconds;
            m_kernel.kernelAllocations += runtime::threadAllocations() - allocations - m_sink.allocationCount;
        }
    }

    void open()
    {
        m_isOpen = true;
        m_kernel = {};
        m_openedAt = Clock::now();
        m_openedCpu = threadCpuSeconds();
        m_openedThread = runtime::threadAllocations();
        m_openedAcquisition = m_camera.allocations();
        m_openedProcess = runtime::processAllocations();
    }

    void close()
    {
        m_isOpen = false;
        Window w = m_kernel;
        w.frames = m_frames - kWarmFrame + 1;
        w.wallSeconds = std::chrono::duration<double>(Clock::now() - m_openedAt).count();
        w.threadCpuSeconds = threadCpuSeconds() - m_openedCpu;
        w.threadAllocations = runtime::threadAllocations() - m_openedThread;
        w.acquisitionAllocations = m_camera.allocations() - m_openedAcquisition;
        w.processAllocations = runtime::processAllocations() - m_openedProcess;
        m_result = w;
    }

    pipelines::DetectorAnalyzer m_inner;
    MeasuringSink m_sink;
    const CountingCamera &m_camera;
    Window &m_result;
    std::size_t m_frames = 0;
    bool m_isOpen = false;
    Window m_kernel;
    Clock::time_point m_openedAt;
    double m_openedCpu = 0;
    std::uint64_t m_openedThread = 0;
    std::uint64_t m_openedAcquisition = 0;
    std::uint64_t m_openedProcess = 0;
};

hardware::sim::SimulatorConfig machineFor(std::int64_t size)
{
    hardware::sim::SimulatorConfig config;
    config.wafer.diameterMm = 200.0;
    config.image.width = static_cast<int>(size);
    config.image.height = static_cast<int>(size);
    config.image.pixelSizeUm = 12.0 * 1024.0 / static_cast<double>(size); // one die per frame
    config.defects.densityPerCm2 = 0.5;                                    // the default recipe's
    config.timing.pacing = hardware::sim::SimulatorConfig::Pacing::Unpaced;
    return config;
}

void BM_EngineEndToEnd(benchmark::State &state)
{
    QTemporaryDir folder;
    runtime::StatsRegistry stats;
    CountingMachine machine(machineFor(state.range(0)));
    Window window;
    pipelines::InspectionEngine::Setup setup;
    setup.dataFolder = folder.path().toStdString();
    setup.makeAnalyzer = [&](const core::Recipe &recipe) {
        return std::make_unique<MeasuringAnalyzer>(recipe, machine.countingCamera(), window);
    };
    pipelines::InspectionEngine engine(machine, std::move(setup), stats);

    pipelines::RunRequest request;
    request.recipe.name = "bench";
    request.recipe.wafer = machine.config().wafer;
    request.recipe.frame.widthPx = machine.config().image.width;
    request.recipe.frame.heightPx = machine.config().image.height;
    request.recipe.frame.pixelSizeUm = machine.config().image.pixelSizeUm;
    request.recipe.staging.isEnabled = state.range(1) != 0;
    request.lotId = "BENCH";
    request.wafers.emplace_back("BENCH-01");

    Window total;
    std::uint64_t lotFrames = 0;
    std::uint64_t defects = 0;
    double lotSeconds = 0;
    {
        const benchmarks::AllocsPerOp allocs(state); // per lot: set-up, learning and wind-down included
        for (auto _ : state) {
            const auto started = Clock::now();
            const pipelines::RunReport report = QCoro::waitFor(engine.runLot(request));
            lotSeconds += std::chrono::duration<double>(Clock::now() - started).count();
            if (report.state != core::RunState::Completed || !report.ledger.balances()) {
                state.SkipWithError(("the lot did not complete cleanly: " + report.reason).c_str());
                break;
            }
            lotFrames += report.ledger.framesProcessed;
            defects += report.ledger.defectsDetected;
            total.frames += window.frames;
            total.wallSeconds += window.wallSeconds;
            total.kernelSeconds += window.kernelSeconds;
            total.threadCpuSeconds += window.threadCpuSeconds;
            total.kernelCpuSeconds += window.kernelCpuSeconds;
            total.kernelAllocations += window.kernelAllocations;
            total.threadAllocations += window.threadAllocations;
            total.acquisitionAllocations += window.acquisitionAllocations;
            total.processAllocations += window.processAllocations;
        }
    }
    if (total.frames == 0) {
        return;
    }
    const auto frames = static_cast<double>(total.frames);
    const double frameSeconds = total.wallSeconds / frames;
    const double kernelSeconds = total.kernelSeconds / frames;
    state.counters["frames_per_s"] = 1.0 / frameSeconds;
    state.counters["lot_frames_per_s"] = static_cast<double>(lotFrames) / lotSeconds;
    state.counters["frame_ms"] = frameSeconds * 1e3;
    state.counters["kernel_ms"] = kernelSeconds * 1e3;
    state.counters["overhead_pct"] = 100.0 * (frameSeconds - kernelSeconds) / frameSeconds;
    state.counters["stage_cpu_pct"] =
        100.0 * (total.threadCpuSeconds - total.kernelCpuSeconds) / frames / frameSeconds;
    state.counters["defects_per_frame"] = static_cast<double>(defects) / static_cast<double>(lotFrames);
    const auto perFrame = [&](std::uint64_t allocations) { return static_cast<double>(allocations) / frames; };
    const std::uint64_t stage = total.threadAllocations - total.kernelAllocations;
    const std::uint64_t rest = total.processAllocations - total.threadAllocations - total.acquisitionAllocations;
    state.counters["allocs_detector"] = perFrame(total.kernelAllocations);
    state.counters["allocs_stage"] = perFrame(stage);
    state.counters["allocs_acquisition"] = perFrame(total.acquisitionAllocations);
    state.counters["allocs_rest"] = perFrame(rest);
    state.counters["allocs_process"] = perFrame(total.processAllocations);
    state.SetItemsProcessed(static_cast<std::int64_t>(lotFrames));
}
BENCHMARK(BM_EngineEndToEnd)
    ->ArgNames({"frame", "crops"})
    ->Args({1024, 1})
    ->Args({2048, 1})
    ->Args({1024, 0})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(2);

} // namespace

int main(int argc, char **argv)
{
    benchmark::Initialize(&argc, argv);
    // The engine's facade runs on a Qt event loop, as in the program.
    QCoreApplication application(argc, argv);
    spdlog::set_level(spdlog::level::warn); // the engine logs every run's states at info
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) {
        return 1;
    }
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
