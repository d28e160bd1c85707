#include <QTest>

#include <chrono>
#include <stdexcept>
#include <stop_token>
#include <thread>
#include <vector>

#include <waferscope/pipelines/services/telemetry_batcher.h>
#include <waferscope/runtime/channel.h>
#include <waferscope/runtime/errors.h>
#include <waferscope/runtime/stats_registry.h>
#include <waferscope/testing/allocation_counter.h>
#include <waferscope/testing/manual_executor.h>

#include "service_fixtures.h"

using namespace std::chrono_literals;
using namespace waferscope;
using pipelines::TelemetryBatch;
using pipelines::TelemetryBatcher;
using pipelines::TelemetryBatcherOptions;
using pipelines::TelemetrySample;
using testing::AllocationScope;
using testing::ManualExecutor;
using testing::drain;
using CloseReason = TelemetryBatch::CloseReason;

namespace {

runtime::ChannelOptions sampleOptions()
{
    runtime::ChannelOptions options;
    options.capacity = 8192;
    options.fullMode = runtime::FullMode::DropOldest;
    return options;
}

/// A sample channel and its batcher on a manual executor.
struct BatcherRig {
    explicit BatcherRig(TelemetryBatcherOptions options = {})
        : batcher(samples, options, &stats)
    {
    }
    ~BatcherRig()
    {
        stop.request_stop();
        executor.cancelTimers();
    }
    void start()
    {
        executor.spawn(batcher.run(stop.get_token()));
        executor.runReady();
    }
    /// Writes `count` samples numbered from `first` (their value), stamped now.
    void write(int first, int count)
    {
        for (int i = first; i < first + count; ++i) {
            const TelemetrySample sample{core::RunId(3), "vacuum.pressure_kpa", executor.now(), double(i)};
            QVERIFY(samples.tryWrite(sample));
        }
    }

    ManualExecutor executor;
    runtime::StatsRegistry stats;
    runtime::Channel<TelemetrySample> samples{"samples", sampleOptions()};
    TelemetryBatcher batcher;
    std::stop_source stop;
};

} // namespace

class TelemetryBatcherTest : public QObject
{
    Q_OBJECT

private slots:
    void aBatchClosesAtOnceWhenItHoldsAThousandSamples()
    {
        BatcherRig rig;
        rig.write(0, 2500);
        rig.start();
        auto batches = drain(rig.batcher.batches());
        QCOMPARE(batches.size(), std::size_t{2});
        double expected = 0;
        for (std::size_t b = 0; b < batches.size(); ++b) {
            QCOMPARE(batches[b].size(), std::size_t{1000});
            QCOMPARE(batches[b].closeReason(), CloseReason::Full);
            QCOMPARE(batches[b].sequence(), std::uint64_t{b + 1});
            for (const TelemetrySample &s : batches[b].samples()) {
                QCOMPARE(s.value, expected++); // in order, none lost
                QCOMPARE(s.runId, core::RunId(3));
            }
        }
        QCOMPARE(rig.samples.size(), std::size_t{0}); // the other 500 wait in the open batch
    }

    void aBatchClosesOneSecondAfterItOpenedWhateverItHolds()
    {
        BatcherRig rig;
        rig.start();
        rig.executor.advance(100ms);
        rig.write(0, 10);
        rig.executor.advance(50ms); // the tick that opens the batch
        const runtime::TimePoint opened = rig.executor.now();
        rig.write(10, 5);
        rig.executor.advance(1s - 1ns);
        QCOMPARE(rig.batcher.batches().size(), std::size_t{0});
        rig.executor.advance(1ns);
        auto batches = drain(rig.batcher.batches());
        QCOMPARE(batches.size(), std::size_t{1});
        QCOMPARE(batches[0].size(), std::size_t{15});
        QCOMPARE(batches[0].closeReason(), CloseReason::Aged);
        QVERIFY(batches[0].openedAt() == opened);
        QVERIFY(batches[0].closedAt() - batches[0].openedAt() == 1s);
        rig.executor.advance(5s);
        QCOMPARE(rig.batcher.batches().size(), std::size_t{0}); // no samples, no batch
    }

    void batchBuffersAreReusedSoSteadyStateAllocatesNothing()
    {
        BatcherRig rig;
        rig.start();
        int next = 0;
        for (int i = 0; i < 50; ++i) { // warm up
            rig.write(next, 300);
            next += 300;
            rig.executor.advance(50ms);
            static_cast<void>(drain(rig.batcher.batches()));
        }
        const AllocationScope scope;
        for (int i = 0; i < 200; ++i) {
            rig.write(next, 300);
            next += 300;
            rig.executor.advance(50ms);
            while (std::optional<TelemetryBatch> batch = rig.batcher.batches().tryRead()) {
                QVERIFY(!batch->isEmpty()); // stored, then given back as it goes
            }
        }
        QCOMPARE(scope.thread(), std::uint64_t{0});
        QCOMPARE(rig.batcher.samplesBatched(), static_cast<std::uint64_t>(next));
        QCOMPARE(rig.batcher.batchesClosed(), static_cast<std::uint64_t>(next / 1000));
        QCOMPARE(rig.batcher.freeBuffers(), std::size_t{4}); // 75 000 samples: no batch left open
    }

    void whileEveryBufferIsOutSamplesWaitInTheirChannel()
    {
        TelemetryBatcherOptions options;
        options.buffers = 2;
        options.maxSamples = 10;
        BatcherRig rig(options);
        rig.write(0, 35);
        rig.start();
        auto held = drain(rig.batcher.batches());
        QCOMPARE(held.size(), std::size_t{2});
        QCOMPARE(rig.samples.size(), std::size_t{15});
        QCOMPARE(rig.batcher.bufferStalls(), std::uint64_t{1});
        rig.executor.advance(50ms);
        QCOMPARE(rig.batcher.bufferStalls(), std::uint64_t{2});
        held.clear(); // the writer stored them
        rig.executor.advance(50ms);
        auto batches = drain(rig.batcher.batches());
        QCOMPARE(batches.size(), std::size_t{1});
        QCOMPARE(batches[0].samples().front().value, 20.0);
        QCOMPARE(rig.samples.size(), std::size_t{0});
    }

    void aBatchMayBeDestroyedOnAnotherThread()
    {
        BatcherRig rig;
        rig.write(0, 1000);
        rig.start();
        std::optional<TelemetryBatch> batch = rig.batcher.batches().tryRead();
        QVERIFY(batch);
        QCOMPARE(rig.batcher.freeBuffers(), std::size_t{3});
        std::thread([b = std::move(*batch)]() mutable { TelemetryBatch gone = std::move(b); }).join();
        QCOMPARE(rig.batcher.freeBuffers(), std::size_t{4});
    }

    void stoppingFlushesTheOpenBatchAndCompletesTheBatches()
    {
        BatcherRig rig;
        rig.start();
        rig.write(0, 7);
        rig.executor.advance(50ms);
        rig.write(7, 3);
        rig.stop.request_stop();
        rig.executor.advance(50ms);
        QCOMPARE(rig.executor.liveJobs(), 0);
        auto batches = drain(rig.batcher.batches());
        QCOMPARE(batches.size(), std::size_t{1});
        QCOMPARE(batches[0].size(), std::size_t{10});
        QCOMPARE(batches[0].closeReason(), CloseReason::Flushed);
        QVERIFY(rig.batcher.batches().isCompleted());
    }

    void anExecutorShutdownFlushesToo()
    {
        BatcherRig rig;
        rig.start();
        rig.write(0, 4);
        rig.executor.cancelTimers();
        QCOMPARE(rig.executor.liveJobs(), 0);
        QCOMPARE(rig.executor.failedJobs(), 0);
        auto batches = drain(rig.batcher.batches());
        QCOMPARE(batches.size(), std::size_t{1});
        QCOMPARE(batches[0].size(), std::size_t{4});
        QVERIFY(rig.batcher.batches().isCompleted());
    }

    void aCompletedSampleChannelIsDrainedThenTheBatcherEnds()
    {
        BatcherRig rig;
        rig.start();
        rig.write(0, 1500);
        rig.samples.complete();
        rig.executor.advance(50ms);
        QCOMPARE(rig.executor.liveJobs(), 0);
        auto batches = drain(rig.batcher.batches());
        QCOMPARE(batches.size(), std::size_t{2});
        QCOMPARE(batches[0].closeReason(), CloseReason::Full);
        QCOMPARE(batches[1].closeReason(), CloseReason::Flushed);
        QCOMPARE(batches[1].size(), std::size_t{500});
    }

    void theBatcherEndsAfterThePollerThatFeedsItStops()
    {
        testing::ServiceRig rig;
        TelemetryBatcher batcher(rig.poller.samples());
        rig.executor.spawn(rig.poller.run(rig.stop.get_token()));
        rig.executor.spawn(batcher.run());
        rig.executor.runReady();
        rig.advanceTo(500ms);
        rig.stop.request_stop(); // stops the poller only: the batcher follows when the samples end
        rig.advanceTo(600ms);
        QCOMPARE(rig.executor.liveJobs(), 0);
        auto batches = drain(batcher.batches());
        QCOMPARE(batches.size(), std::size_t{1});
        QCOMPARE(batches[0].size(), pipelines::HardwarePoller::kChannelCount);
    }

    void aMovedBatchHoldsNothingAndGivesItsBufferBackOnce()
    {
        BatcherRig rig;
        rig.write(0, 1000);
        rig.start();
        TelemetryBatch first = std::move(*rig.batcher.batches().tryRead());
        TelemetryBatch second = std::move(first);
        QVERIFY(first.isEmpty()); // NOLINT(bugprone-use-after-move): a moved-from batch is empty by contract
        QCOMPARE(second.size(), std::size_t{1000});
        second = TelemetryBatch{};
        QCOMPARE(rig.batcher.freeBuffers(), std::size_t{4});
    }

    void aPeriodThatIsNotPositiveIsRefused()
    {
        runtime::Channel<TelemetrySample> samples("samples", sampleOptions());
        TelemetryBatcherOptions options;
        options.period = 0ms;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, TelemetryBatcher(samples, options));
    }

    void runTwiceIsAMisuse()
    {
        BatcherRig rig;
        rig.start();
        QVERIFY_THROWS_EXCEPTION(runtime::MisuseError, static_cast<void>(rig.batcher.run()));
    }

    void itsCountersAreInTheStatsRegistry()
    {
        BatcherRig rig;
        rig.write(0, 1200);
        rig.start();
        rig.executor.advance(1s);
        const runtime::StatsEntry entry = rig.stats.find("telemetry_batcher");
        QCOMPARE(entry.kind, std::string("service"));
        QCOMPARE(entry.value("samples"), std::int64_t{1200});
        QCOMPARE(entry.value("batches"), std::int64_t{2});
        QCOMPARE(entry.value("batches_full"), std::int64_t{1});
        QCOMPARE(entry.value("batches_aged"), std::int64_t{1});
        QCOMPARE(entry.value("batch_size_last"), std::int64_t{200});
        QCOMPARE(entry.value("batch_size_max"), std::int64_t{1000});
        QCOMPARE(entry.value("buffers_free"), std::int64_t{2});
        QCOMPARE(rig.stats.find("telemetry.batches").value("items_written"), std::int64_t{2});
    }
};

QTEST_GUILESS_MAIN(TelemetryBatcherTest)
#include "telemetry_batcher_test.moc"
