#pragma once

/// DetectionStage: turns frames into defect records. For each frame it runs the FrameAnalyzer, gives
/// every defect found a process-wide unique id and the run and wafer it belongs to (from the frame's
/// metadata, never from ambient state), copies a crop around it into the crop pool for the stager,
/// hands the frame's defects to the listener (the UI) and the persistence writer, and lets the frame
/// go back to the camera's pool as soon as the crops are out.
/// Ledger: each inspected frame counts as processed; each defect as detected and, once the listener
/// took it, as sent to the UI. A crop that finds no free buffer or no room in the stager's channel
/// is counted as dropped (the defect keeps no image path); the record itself is always written.
/// Wafers: the first frame of another wafer (by its metadata) begins that wafer in the analyzer.
/// Segments: at the end marker of a wafer or a stop it finishes the analyzer's deferred frames and
/// writes a WaferSegment to `segments`; it ends when `frames` is completed.
/// Statistics ("stage"/"detection", when Options::stats is given): frames inspected, the time the
/// analyzer took per frame and a frame's age when its inspection ended (from its timestamp: when the
/// camera exposed it), as p50 and p99 in microseconds.
/// Threads: run() is a Job on the detection executor; everything else is touched only there, but
/// for the statistics, which any thread may read.
/// Allocates: per defect its record's image path; per frame nothing else in steady state.

#include <atomic>
#include <filesystem>
#include <string>
#include <vector>

#include <waferscope/core/persistence/defect_record.h>
#include <waferscope/hardware/acquired_frame.h>
#include <waferscope/pipelines/engine/defect_listener.h>
#include <waferscope/pipelines/engine/frame_analyzer.h>
#include <waferscope/pipelines/engine/wafer_segment.h>
#include <waferscope/pipelines/persistence/persistence_command.h>
#include <waferscope/pipelines/run/run_ledger.h>
#include <waferscope/pipelines/staging/defect_crop.h>
#include <waferscope/runtime/channel.h>
#include <waferscope/runtime/frame_pool.h>
#include <waferscope/runtime/job.h>
#include <waferscope/runtime/latency_histogram.h>
#include <waferscope/runtime/stats_registry.h>

namespace waferscope::pipelines {

/// Hands out defect ids that are unique across runs: the engine seeds it above the largest id the
/// store holds. Threads: any.
class DefectIdSource
{
public:
    explicit DefectIdSource(std::uint64_t first = 1) noexcept
        : m_next(first)
    {
    }
    [[nodiscard]] std::uint64_t next() noexcept { return m_next.fetch_add(1, std::memory_order_relaxed); }

private:
    std::atomic<std::uint64_t> m_next;
};

class DetectionStage final : private FrameAnalyzer::ReportSink, private runtime::StatsProvider
{
public:
    struct Options {
        int cropSize = 128;
        bool stageCrops = true;
        std::filesystem::path stagingFolder; ///< crops go to <folder>/<run>/<wafer>/<defect id>.png
        /// KLARF class number of each core::DefectClass, indexed by the enum's value.
        std::vector<int> classNumbers;
        /// Where the stage's statistics are listed; none when null.
        runtime::StatsRegistry *stats = nullptr;
    };

    struct Outputs {
        runtime::Channel<PersistenceCommand> &persistence;
        runtime::Channel<DefectCrop> &crops;
        runtime::FramePool &cropPool;
        runtime::Channel<WaferSegment> &segments;
        DefectListener *listener = nullptr;
    };

    DetectionStage(FrameAnalyzer &analyzer, RunLedger &ledger, DefectIdSource &ids, Outputs outputs, Options options);

    [[nodiscard]] runtime::Job run(runtime::Channel<hardware::AcquiredFrame> &frames);

private:
    void frameInspected(const FrameAnalyzer::FrameReport &report) override;
    void collect(runtime::MetricSink &sink) const override;
    /// Precondition: on the detection executor. Hands the pending records on; empties them.
    runtime::ValueTask<void> handOn();
    bool stageCrop(const FrameAnalyzer::FrameReport &report, const FoundDefect &defect, core::DefectRecord &record);

    FrameAnalyzer &m_analyzer;
    RunLedger &m_ledger;
    DefectIdSource &m_ids;
    Outputs m_outputs;
    Options m_options;
    std::vector<core::DefectRecord> m_pending;
    core::WaferId m_currentWafer;
    std::uint64_t m_segmentFrames = 0;
    std::vector<core::DieIndex> m_segmentDies;
    std::vector<core::WaferResult::Defect> m_segmentDefects;
    runtime::LatencyHistogram m_inspectTime;
    runtime::LatencyHistogram m_frameAge;
    runtime::StatsRegistration m_registration; // last: unregisters before the histograms go
};

} // namespace waferscope::pipelines
