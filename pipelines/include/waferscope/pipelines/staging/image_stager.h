#pragma once

/// ImageStager: writes defect crops to the run's staging folder as PNG files.
/// Each file is written under a temporary name, flushed to disk (fsync), then renamed into place,
/// so a crash never leaves a half-written image under a defect's name; a stray temporary file
/// (".tmp-*") is all a crash can leave, and removeStrayTemporaries() clears those at start-up.
/// A crop that cannot be written (disk full, no permission) is dropped and counted
/// (CropDropReason::WriteFailed) — crops are optional, the defect record is not — and the error is
/// kept in lastError() for the alarm and the log.
/// Statistics ("stage"/"staging", when a registry is given): crops written and the time each took
/// (encode, write, flush, rename) as p50 and p99 in microseconds.
/// Threads: run() is a Job on the staging executor and is the only reader of its channel; the
/// counters, the statistics and lastError() may be read from any thread.
/// Allocates: the PNG encoder's output buffer grows to the largest crop once and is reused.

#include <filesystem>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include <waferscope/pipelines/run/run_ledger.h>
#include <waferscope/pipelines/staging/defect_crop.h>
#include <waferscope/runtime/channel.h>
#include <waferscope/runtime/job.h>
#include <waferscope/runtime/latency_histogram.h>
#include <waferscope/runtime/stats_registry.h>

namespace waferscope::pipelines {

class ImageStager final : private runtime::StatsProvider
{
public:
    explicit ImageStager(RunLedger &ledger, runtime::StatsRegistry *stats = nullptr);

    /// Writes every crop read from `crops` until the channel is completed and drained, then calls
    /// `finished` (on the staging executor).
    [[nodiscard]] runtime::Job run(runtime::Channel<DefectCrop> &crops, std::function<void()> finished = {});

    /// Writes one crop now. Returns false (and counts the drop) when it could not be written.
    bool write(const DefectCrop &crop);

    /// Deletes temporary files a crash left under `folder` (recursively); returns how many.
    static std::size_t removeStrayTemporaries(const std::filesystem::path &folder);

    /// The latest write error, or empty.
    [[nodiscard]] std::string lastError() const;

private:
    void collect(runtime::MetricSink &sink) const override;

    RunLedger &m_ledger;
    std::vector<unsigned char> m_encoded;
    mutable std::mutex m_errorMutex;
    std::string m_lastError;
    runtime::LatencyHistogram m_writeTime;
    runtime::StatsRegistration m_registration; // last: unregisters before the histogram goes
};

} // namespace waferscope::pipelines
