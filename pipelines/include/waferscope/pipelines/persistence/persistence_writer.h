#pragma once

/// PersistenceWriter: the one owner of the inspection store. It runs on its own executor (SQLite
/// and fsync block), reads PersistenceCommands in order and stores them in batches: consecutive
/// defects (up to kMaxBatch) go into one transaction, and so do alarm events and telemetry.
/// Opening: the store is opened and looked over (PRAGMA quick_check) before the first command. A
/// damaged file is handled as Options::onDamagedDatabase says: moved aside and replaced by a new one
/// (databases_replaced, an audit entry in the new file, the error handler told), or left alone with
/// the store not open. A store that is not open fails every command at once, without retrying.
/// Defects are never dropped. A defect batch that cannot be stored starts an outage: the batch is
/// kept in the journal (at most kMaxBatch defects: the writer reads no further command until the
/// journal is empty, so the command channel fills and holds the pipeline back), isStoreFailing()
/// turns true and onOutage(Began) is called. The journal is retried every retryDelay, in order; when
/// it is stored (once: a defect stored by an attempt that seemed to fail is skipped as a duplicate),
/// onOutage(Ended) is called and the writer goes on with the next command. When abandonJournal() is
/// called (the run is aborted) or the outage outlasts maxOutage (then onOutage(GaveUp)), the journal's
/// defects are written to a file next to the database ("<database>.unstored-<UTC time>.tsv"), counted
/// (defects_unstored) and reported; until a write succeeds again, later defects that cannot be stored
/// go to that file at once, and every other write is tried once, so a run winds down quickly. So that
/// file can be written on a full disk, the writer keeps 4 MB of real blocks next to the database
/// ("<database>.reserve", about 20 000 defects) and the file is made from them: until the run's end
/// is stored, the file is that size, its lines followed by zero bytes; then it is cut to its lines.
/// Other writes (lifecycle, alarm events, telemetry, audit) are tried kLifecycleAttempts times; then
/// the command is reported through the error handler, counted (commands_rejected) and skipped.
/// Every wait is bounded: an outage by maxOutage, a retry by retryDelay, a lifecycle write by its
/// attempts.
/// A wafer's end writes its KLARF file and the TIFF of its defect crops; it first waits (up to
/// kCropWait) until the image stager has staged or dropped every crop queued so far, so the crops are
/// on disk. A KLARF that cannot be written (a crop missing, the disk full) is reported through the
/// error handler naming the file, and the wafer's end is stored without a KLARF path.
/// Threads: run() is a Job on the writer's executor, which opens the store there (a Qt SQL
/// connection belongs to its thread). Counters, lastError(), isStoreFailing() and abandonJournal()
/// may be used from any thread; the handlers are called on the writer's thread.
/// Allocates: the batch vectors grow to their largest batch once; each command's own contents.
/// Counters (stats registry kind "service", name "persistence"): commands, defect_batches,
/// defects_stored, duplicates_skipped, writes_failed, commands_rejected, klarf_files, defects_unstored,
/// outages, databases_replaced, and latency_p50_us / latency_p99_us: from a defect's detection to its
/// record stored (wall clock).

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include <waferscope/core/persistence/inspection_store.h>
#include <waferscope/pipelines/persistence/damaged_database_policy.h>
#include <waferscope/pipelines/persistence/persistence_command.h>
#include <waferscope/runtime/channel.h>
#include <waferscope/runtime/counter.h>
#include <waferscope/runtime/job.h>
#include <waferscope/runtime/latency_histogram.h>
#include <waferscope/runtime/stats_registry.h>

namespace waferscope::pipelines {

class PersistenceWriter final : private runtime::StatsProvider
{
public:
    static constexpr std::size_t kMaxBatch = 1000;
    /// How long a wafer's end waits for the stager to write the wafer's crops.
    static constexpr std::chrono::seconds kCropWait{30};
    static constexpr int kLifecycleAttempts = 3;
    using ErrorHandler = std::function<void(const std::string &message)>;

    enum class Outage : std::uint8_t { Began, Ended, GaveUp };

    struct Options {
        std::chrono::milliseconds retryDelay = std::chrono::seconds(1);
        /// How long an outage keeps its journal before its defects go to the file.
        std::chrono::milliseconds maxOutage = std::chrono::minutes(10);
        DamagedDatabasePolicy onDamagedDatabase = DamagedDatabasePolicy::Replace;
        /// Installed in the store once it is open (fault injection; see InspectionStore::setWriteHook).
        core::InspectionStore::WriteHook writeHook;
        /// Told when an outage begins (with the reason), ends, or is given up (with the file).
        std::function<void(Outage outage, const std::string &reason)> onOutage;
    };

    PersistenceWriter(std::filesystem::path databaseFile, ErrorHandler onError, runtime::StatsRegistry *stats = nullptr,
                      std::chrono::milliseconds retryDelay = std::chrono::seconds(1));
    PersistenceWriter(std::filesystem::path databaseFile, ErrorHandler onError, runtime::StatsRegistry *stats,
                      Options options);
    PersistenceWriter(const PersistenceWriter &) = delete;
    PersistenceWriter &operator=(const PersistenceWriter &) = delete;
    ~PersistenceWriter() override;

    /// Opens the store, recovers interrupted runs (reporting them through `onRecovered`, on the
    /// writer's thread), then stores commands until `commands` is completed and drained.
    [[nodiscard]] runtime::Job run(runtime::Channel<PersistenceCommand> &commands,
                                   std::function<void(std::vector<core::RunId>)> onRecovered = {});

    /// Any thread: gives up the current outage's journal (or the next one's, until the current run's
    /// end is stored), keeping its defects in the file; `reason` goes into the report.
    void abandonJournal(std::string reason);

    [[nodiscard]] std::uint64_t defectsStored() const noexcept { return m_defectsStored.value(); }
    [[nodiscard]] std::uint64_t writesFailed() const noexcept { return m_writesFailed.value(); }
    [[nodiscard]] std::uint64_t commandsRejected() const noexcept { return m_commandsRejected.value(); }
    [[nodiscard]] std::uint64_t defectsUnstored() const noexcept { return m_defectsUnstored.value(); }
    [[nodiscard]] std::uint64_t outages() const noexcept { return m_outages.value(); }
    [[nodiscard]] std::uint64_t databasesReplaced() const noexcept { return m_databasesReplaced.value(); }
    /// True from an outage's start until its journal is stored or given up.
    [[nodiscard]] bool isStoreFailing() const noexcept { return m_isStoreFailing.load(std::memory_order_relaxed); }
    [[nodiscard]] std::string lastError() const;
    [[nodiscard]] const std::filesystem::path &databaseFile() const noexcept { return m_databaseFile; }
    /// Where the last journal given up was written; empty while none was.
    [[nodiscard]] std::filesystem::path unstoredFile() const;

private:
    /// Precondition (all below): on the writer's thread.
    void open();
    runtime::ValueTask<void> process(std::vector<PersistenceCommand> &commands);
    /// Stores m_defectBatch as described above; empties it.
    runtime::ValueTask<void> storeDefects();
    /// Retries the journal until it is stored or given up (bounded by maxOutage).
    runtime::ValueTask<void> endOutage(std::string reason);
    /// Writes `defects` to the unstored file and counts them; reports what it did.
    void keepUnstored(std::span<const core::DefectRecord> defects, const std::string &why);
    /// Cuts the unstored file to its lines, closes it and takes a new reserve.
    void closeUnstored();
    void countStored(std::span<const core::DefectRecord> defects, const core::DefectBatchResult &result);
    /// Stores m_alarmBatch (a few attempts: events are also in the alarm model); empties it.
    runtime::ValueTask<void> storeAlarmEvents();
    /// Runs `write` up to kLifecycleAttempts times (once while degraded); reports and skips after that.
    template<typename Write>
    runtime::ValueTask<void> attempt(std::string what, Write write);
    void endWafer(PersistenceCommand::EndWafer &command);
    /// Waits until `runId`'s queued crops are settled (RunLedger::areQueuedCropsSettled), at most kCropWait.
    runtime::ValueTask<void> awaitStagedCrops(core::RunId runId);
    [[nodiscard]] std::string probe();
    [[nodiscard]] RunLedger *ledgerOf(core::RunId runId) const noexcept;
    void fail(const std::string &message, bool retryable);
    void collect(runtime::MetricSink &sink) const override;

    std::filesystem::path m_databaseFile;
    ErrorHandler m_onError;
    Options m_options;
    std::unique_ptr<core::InspectionStore> m_store;
    std::string m_openProblem; ///< why m_store is not open
    std::vector<std::pair<core::RunId, std::shared_ptr<RunLedger>>> m_ledgers;
    std::vector<core::DefectRecord> m_defectBatch;
    std::vector<core::DefectRecord> m_journal;
    std::vector<core::AlarmEventRecord> m_alarmBatch;
    /// After a journal was given up, until a write succeeds: fail fast.
    bool m_isDegraded = false;
    std::atomic<bool> m_isStoreFailing{false};
    std::atomic<bool> m_isAbandonRequested{false};
    mutable std::mutex m_errorMutex;
    std::string m_lastError;      // guarded by m_errorMutex
    std::string m_abandonReason;  // guarded by m_errorMutex
    std::filesystem::path m_unstoredFile; // guarded by m_errorMutex
    int m_unstoredFd = -1;
    std::int64_t m_unstoredBytes = 0;
    runtime::Counter m_commands;
    runtime::Counter m_defectBatches;
    runtime::Counter m_defectsStored;
    runtime::Counter m_duplicates;
    runtime::Counter m_writesFailed;
    runtime::Counter m_commandsRejected;
    runtime::Counter m_klarfFiles;
    runtime::Counter m_defectsUnstored;
    runtime::Counter m_outages;
    runtime::Counter m_databasesReplaced;
    runtime::LatencyHistogram m_storeLatency; ///< a defect's detection to its record stored
    runtime::StatsRegistration m_registration;
};

} // namespace waferscope::pipelines
