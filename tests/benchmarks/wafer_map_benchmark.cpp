// Whether the live wafer map stays smooth at 100 000 defects: one frame must take at most 16 ms.
// BM_WaferMapAddBatch is what a batch costs the UI: 1000 defects added to the model, then one frame
// rendered (QQuickWindow::grabWindow(): sync — updatePaintNode() — render, and a read-back of the
// 800×800 window that a real frame does not do). BM_WaferMapFrameUnchanged is the same grab with
// nothing new, so the difference is what the batch itself costs; BM_WaferMapModelAddBatch is the
// model alone. Each case starts from 100 000 dots and runs a fixed 40 iterations, so the map holds
// 100 000 – 140 000 dots while timed.
// The renderer is whatever Qt Quick picks: under QT_QPA_PLATFORM=offscreen that is the software
// backend; for the GPU path run it on a display (e.g. xvfb-run with QT_QPA_PLATFORM=xcb, which
// gives OpenGL on Mesa's llvmpipe — a CPU rasteriser, so a pessimistic GPU figure).

#include <benchmark/benchmark.h>

#include <QGuiApplication>
#include <QQuickWindow>

#include <cstdint>
#include <memory>
#include <vector>

#include <waferscope/core/die_grid.h>
#include <waferscope/core/persistence/defect_record.h>
#include <waferscope/viewmodels/run/wafer_map_item.h>
#include <waferscope/viewmodels/run/wafer_map_model.h>

#include "alloc_counter.h"

using namespace waferscope;

namespace {

constexpr int kBatch = 1000;
constexpr int kPresent = 100000;
constexpr int kIterations = 40;

std::vector<core::DefectRecord> batchOf(const core::DieGrid &grid, std::uint64_t firstId)
{
    const auto dies = grid.scanOrder();
    std::vector<core::DefectRecord> batch(kBatch);
    std::uint64_t id = firstId;
    for (core::DefectRecord &r : batch) {
        r.id = id;
        r.waferId = core::WaferId("BENCH-01");
        r.die = dies[(id * 7919) % dies.size()];
        r.xRelUm = static_cast<double>((id * 37) % 10000);
        r.yRelUm = static_cast<double>((id * 53) % 12000);
        r.defectClass = core::kAllDefectClasses[id % std::size(core::kAllDefectClasses)];
        ++id;
    }
    return batch;
}

/// A shown 800×800 window with a map of 100 000 defects, one frame already rendered.
struct Rig {
    core::DieGrid grid{core::WaferGeometry{}};
    QQuickWindow window;
    viewmodels::WaferMapModel model;
    viewmodels::WaferMapItem *item = nullptr;
    std::vector<core::DefectRecord> batch = batchOf(grid, 1);

    Rig()
    {
        window.resize(800, 800);
        window.setColor(QColor(0x12, 0x14, 0x17));
        item = new viewmodels::WaferMapItem(window.contentItem());
        item->setSize(QSizeF(800, 800));
        item->setModel(&model);
        model.setWafer(QStringLiteral("BENCH-01"), grid);
        window.show();
        for (int i = 0; i < kPresent / kBatch; ++i) {
            const auto b = batchOf(grid, static_cast<std::uint64_t>(i) * kBatch + 1);
            model.addDefects(b);
        }
        static_cast<void>(window.grabWindow());
    }
};

void reportBackend(benchmark::State &state, const Rig &rig)
{
    state.SetLabel(rig.window.rendererInterface()->graphicsApi() == QSGRendererInterface::Software ? "software"
                                                                                                   : "rhi");
    state.counters["dots_at_end"] = static_cast<double>(rig.model.defectCount());
}

void BM_WaferMapAddBatch(benchmark::State &state)
{
    Rig rig;
    {
        const benchmarks::AllocsPerOp allocs(state);
        for (auto _ : state) {
            rig.model.addDefects(rig.batch);
            QImage frame = rig.window.grabWindow();
            benchmark::DoNotOptimize(frame.constBits());
        }
    }
    state.SetItemsProcessed(state.iterations() * kBatch);
    reportBackend(state, rig);
}
BENCHMARK(BM_WaferMapAddBatch)->Iterations(kIterations)->Unit(benchmark::kMillisecond);

void BM_WaferMapFrameUnchanged(benchmark::State &state)
{
    Rig rig;
    {
        const benchmarks::AllocsPerOp allocs(state);
        for (auto _ : state) {
            rig.item->update();
            QImage frame = rig.window.grabWindow();
            benchmark::DoNotOptimize(frame.constBits());
        }
    }
    reportBackend(state, rig);
}
BENCHMARK(BM_WaferMapFrameUnchanged)->Iterations(kIterations)->Unit(benchmark::kMillisecond);

void BM_WaferMapModelAddBatch(benchmark::State &state)
{
    Rig rig;
    {
        const benchmarks::AllocsPerOp allocs(state);
        for (auto _ : state) {
            rig.model.addDefects(rig.batch);
        }
    }
    state.SetItemsProcessed(state.iterations() * kBatch);
    reportBackend(state, rig);
}
BENCHMARK(BM_WaferMapModelAddBatch)->Iterations(kIterations)->Unit(benchmark::kMicrosecond);

} // namespace

int main(int argc, char **argv)
{
    QGuiApplication app(argc, argv);
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) {
        return 1;
    }
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
