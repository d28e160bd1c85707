#pragma once

/// PersistenceWriter: the one owner of the inspection store. It runs on its own executor (SQLite
/// and fsync block), reads PersistenceCommands in order and stores them in batches: consecutive
/// defects (up to kMaxBatch) go into one transaction, and so do alarm events and telemetry.
/// Nothing is lost quietly: a defect batch that fails (disk full, database locked) is kept and
/// retried every retryDelay for about 30 attempts while writes_failed and lastError() say why (the
/// channel fills meanwhile and slows detection down); after that it is stored record by record, and
/// a record that still cannot be stored is reported by id and counted (defects_unstored), so the
/// run's ledger shows fewer defects stored than detected instead of hiding the loss.
/// A wafer's end writes its KLARF file and the TIFF of its defect crops; it first waits (up to
/// kCropWait) until the image stager has staged or dropped every crop queued so far, so the crops are
/// on disk. A KLARF that cannot be written (a crop missing, the disk full) is reported through the
/// error handler naming the file, and the wafer's end is stored without a KLARF path.
/// Commands that cannot succeed by retrying (a wafer ended twice, say) are logged through the error
/// handler, counted (commands_rejected) and skipped.
/// Threads: run() is a Job on the writer's executor, which opens the store there (a Qt SQL
/// connection belongs to its thread). Counters and lastError() may be read from any thread.
/// Allocates: the batch vectors grow to their largest batch once; each command's own contents.
/// Counters (stats registry kind "service", name "persistence"): commands, defect_batches,
/// defects_stored, duplicates_skipped, writes_failed, commands_rejected, klarf_files, defects_unstored.

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include <waferscope/core/persistence/inspection_store.h>
#include <waferscope/pipelines/persistence/persistence_command.h>
#include <waferscope/runtime/channel.h>
#include <waferscope/runtime/counter.h>
#include <waferscope/runtime/job.h>
#include <waferscope/runtime/stats_registry.h>

namespace waferscope::pipelines {

class PersistenceWriter final : private runtime::StatsProvider
{
public:
    static constexpr std::size_t kMaxBatch = 1000;
    /// How long a wafer's end waits for the stager to write the wafer's crops.
    static constexpr std::chrono::seconds kCropWait{30};
    using ErrorHandler = std::function<void(const std::string &message)>;

    PersistenceWriter(std::filesystem::path databaseFile, ErrorHandler onError, runtime::StatsRegistry *stats = nullptr,
                      std::chrono::milliseconds retryDelay = std::chrono::seconds(1));
    PersistenceWriter(const PersistenceWriter &) = delete;
    PersistenceWriter &operator=(const PersistenceWriter &) = delete;
    ~PersistenceWriter() override;

    /// Opens the store, recovers interrupted runs (reporting them through `onRecovered`, on the
    /// writer's thread), then stores commands until `commands` is completed and drained.
    [[nodiscard]] runtime::Job run(runtime::Channel<PersistenceCommand> &commands,
                                   std::function<void(std::vector<core::RunId>)> onRecovered = {});

    [[nodiscard]] std::uint64_t defectsStored() const noexcept { return m_defectsStored.value(); }
    [[nodiscard]] std::uint64_t writesFailed() const noexcept { return m_writesFailed.value(); }
    [[nodiscard]] std::uint64_t commandsRejected() const noexcept { return m_commandsRejected.value(); }
    [[nodiscard]] std::uint64_t defectsUnstored() const noexcept { return m_defectsUnstored.value(); }
    [[nodiscard]] std::string lastError() const;
    [[nodiscard]] const std::filesystem::path &databaseFile() const noexcept { return m_databaseFile; }

private:
    /// Precondition (all below): on the writer's thread.
    runtime::ValueTask<void> process(std::vector<PersistenceCommand> &commands);
    /// Stores m_defectBatch as described above; empties it.
    runtime::ValueTask<void> storeDefects();
    void countStored(std::span<const core::DefectRecord> defects, const core::DefectBatchResult &result);
    /// Stores m_alarmBatch (a few attempts: events are also in the alarm model); empties it.
    runtime::ValueTask<void> storeAlarmEvents();
    /// Runs `write` up to kLifecycleAttempts times; reports and skips the command after that.
    template<typename Write>
    runtime::ValueTask<void> attempt(std::string what, Write write);
    void endWafer(PersistenceCommand::EndWafer &command);
    /// Waits until `runId`'s queued crops are settled (RunLedger::areQueuedCropsSettled), at most kCropWait.
    runtime::ValueTask<void> awaitStagedCrops(core::RunId runId);
    [[nodiscard]] RunLedger *ledgerOf(core::RunId runId) const noexcept;
    void fail(const std::string &message, bool retryable);
    void collect(runtime::MetricSink &sink) const override;

    std::filesystem::path m_databaseFile;
    ErrorHandler m_onError;
    std::chrono::milliseconds m_retryDelay;
    std::unique_ptr<core::InspectionStore> m_store;
    std::vector<std::pair<core::RunId, std::shared_ptr<RunLedger>>> m_ledgers;
    std::vector<core::DefectRecord> m_defectBatch;
    std::vector<core::AlarmEventRecord> m_alarmBatch;
    mutable std::mutex m_errorMutex;
    std::string m_lastError;
    runtime::Counter m_commands;
    runtime::Counter m_defectBatches;
    runtime::Counter m_defectsStored;
    runtime::Counter m_duplicates;
    runtime::Counter m_writesFailed;
    runtime::Counter m_commandsRejected;
    runtime::Counter m_klarfFiles;
    runtime::Counter m_defectsUnstored;
    runtime::StatsRegistration m_registration;
};

} // namespace waferscope::pipelines
