// The console under a storm of defects: 10 000 defects per second for 60 seconds published into
// the defect feed from a pipeline-like thread, while the whole console window (the Run page with
// its live wafer map and progress, the defect list, the alarm banner) runs on the UI thread.
// Targets: the UI thread's lag p99 ≤ 16 ms, and ≤ 60 marshal posts per second however fast the
// defects come. Lag is how late a 10 ms precise timer on the UI thread fires; posts are the
// defect feed's queued calls to the UI thread.
// One iteration is the whole run; WAFERSCOPE_UI_LOAD_SECONDS shortens it (the smoke test uses 2).
// allocs_per_op is per defect delivered, every thread of the process counted.

#include <benchmark/benchmark.h>

#include <QApplication>
#include <QElapsedTimer>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QTemporaryDir>
#include <QTimer>

#include <QCoroTask>

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

#include <waferscope/core/persistence/defect_record.h>
#include <waferscope/hardware/sim/simulated_machine.h>
#include <waferscope/testing/allocation_counter.h>
#include <waferscope/viewmodels/console/console_view_model.h>
#include <waferscope/pipelines/engine/defect_feed.h>

#include "command_line.h"
#include "console_session.h"

using namespace waferscope;

namespace {

constexpr int kDefectsPerSecond = 10'000;
constexpr int kDefectsPerTick = 10; // one tick a millisecond
constexpr int kLagTimerMs = 10;

double secondsToRun()
{
    bool ok = false;
    const double seconds = qEnvironmentVariable("WAFERSCOPE_UI_LOAD_SECONDS").toDouble(&ok);
    return ok && seconds > 0 ? seconds : 60.0;
}

double percentile(std::vector<double> values, double p)
{
    if (values.empty()) {
        return 0.0;
    }
    std::sort(values.begin(), values.end());
    const auto index = static_cast<std::size_t>(p * static_cast<double>(values.size() - 1));
    return values[index];
}

void BM_UiLoad10kDefectsPerSecond(benchmark::State &state)
{
    QTemporaryDir data;
    app::CommandLine options;
    options.outputFolder = data.path().toStdString();
    options.recipeFolder = WAFERSCOPE_RECIPES_DIR;
    app::ConsoleSession session(options);
    if (!session.showWindow()) {
        state.SkipWithError("the console window did not load");
        return;
    }
    session.window()->resize(1600, 960);
    auto &console = session.console();
    if (!QCoro::waitFor(console.session()->loginTask(QStringLiteral("engineer"), QStringLiteral("engineer")))) {
        state.SkipWithError("the demo engineer could not log in");
        return;
    }
    const core::DieGrid &grid = session.machine().dieGrid();
    const QString waferId = QStringLiteral("LOAD-01");
    console.run()->map()->setWafer(waferId, grid);
    const auto dies = grid.scanOrder();
    const double seconds = secondsToRun();

    for (auto _ : state) {
        std::uint64_t delivered = 0;
        std::vector<double> lags;
        testing::AllocationScope allocations;
        std::atomic<bool> isDone{false};
        std::atomic<std::uint64_t> published{0};
        pipelines::DefectFeed &defectFeed = session.defectFeed();
        const std::uint64_t postsBefore = defectFeed.posts();
        const std::uint64_t deliveredBefore = defectFeed.delivered();
        const std::uint64_t droppedBefore = defectFeed.dropped();

        std::thread producer([&] {
            std::vector<core::DefectRecord> batch(kDefectsPerTick);
            std::uint64_t id = 1;
            const auto start = std::chrono::steady_clock::now();
            const auto total = static_cast<std::uint64_t>(seconds * kDefectsPerSecond);
            for (std::uint64_t tick = 0; id <= total; ++tick) {
                for (auto &d : batch) {
                    const core::DieIndex die = dies[id % dies.size()];
                    d.id = id;
                    d.waferId = core::WaferId("LOAD-01");
                    d.die = die;
                    d.xRelUm = static_cast<double>((id * 7919) % 10'000);
                    d.yRelUm = static_cast<double>((id * 104'729) % 12'000);
                    d.xSizeUm = 24.0;
                    d.ySizeUm = 36.0;
                    d.defectClass = core::kAllDefectClasses[id % std::size(core::kAllDefectClasses)];
                    d.detectedAt = std::chrono::system_clock::now();
                    ++id;
                }
                defectFeed.defectsFound(batch);
                published.fetch_add(batch.size(), std::memory_order_relaxed);
                std::this_thread::sleep_until(start + std::chrono::milliseconds(tick + 1));
            }
            isDone.store(true, std::memory_order_release);
        });

        QElapsedTimer clock;
        clock.start();
        qint64 expected = kLagTimerMs;
        QTimer lagTimer;
        lagTimer.setTimerType(Qt::PreciseTimer);
        QObject::connect(&lagTimer, &QTimer::timeout, [&] {
            const qint64 now = clock.elapsed();
            lags.push_back(static_cast<double>(std::max<qint64>(0, now - expected)));
            expected = now + kLagTimerMs;
        });
        lagTimer.start(kLagTimerMs);
        while (!isDone.load(std::memory_order_acquire) ||
               defectFeed.delivered() - deliveredBefore + defectFeed.dropped() - droppedBefore <
                   published.load(std::memory_order_relaxed)) {
            QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
        }
        const double elapsed = static_cast<double>(clock.elapsed()) / 1000.0;
        lagTimer.stop();
        producer.join();
        delivered = defectFeed.delivered() - deliveredBefore;
        const auto posts = defectFeed.posts() - postsBefore;

        state.SetIterationTime(elapsed);
        state.counters["defects_delivered"] = static_cast<double>(delivered);
        state.counters["defects_dropped"] = static_cast<double>(defectFeed.dropped() - droppedBefore);
        state.counters["defects_per_s"] = static_cast<double>(delivered) / elapsed;
        state.counters["posts_per_s"] = static_cast<double>(posts) / elapsed;
        state.counters["ui_lag_p50_ms"] = percentile(lags, 0.50);
        state.counters["ui_lag_p99_ms"] = percentile(lags, 0.99);
        state.counters["ui_lag_max_ms"] = lags.empty() ? 0.0 : *std::max_element(lags.begin(), lags.end());
        state.counters["map_dots"] = console.run()->map()->defectCount();
        state.counters["allocs_per_op"] =
            delivered > 0 ? static_cast<double>(allocations.process()) / static_cast<double>(delivered) : 0.0;
    }
}
BENCHMARK(BM_UiLoad10kDefectsPerSecond)->Iterations(1)->Repetitions(1)->UseManualTime()->Unit(benchmark::kSecond);

} // namespace

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    app::registerConsoleQml();
    QQuickStyle::setStyle(QStringLiteral("Basic"));
    QApplication application(argc, argv);
    QCoreApplication::setOrganizationName("WaferscopeBenchmark");
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
