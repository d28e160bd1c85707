#pragma once

/// InspectionStore: the SQLite database that keeps runs, wafers, defects, alarm events, audit
/// entries and telemetry, through Qt SQL's QSQLITE driver.
/// Opening: the constructor opens the file, creating it when it does not exist, and brings its
/// schema (PRAGMA user_version) forward from any older version to kSchemaVersion, each step in its
/// own transaction: a step that fails throws StoreError and leaves the schema as it was. A file whose
/// schema is newer than kSchemaVersion is refused with a StoreError naming the file and both
/// versions, and is left as it was.
/// Durability: WAL journal mode with synchronous=NORMAL, foreign keys on. A committed write
/// survives the program crashing or being killed; a power cut or an operating-system crash may
/// lose the last commits, but never leaves a write half done.
/// Writes: each call is one transaction: all of its rows are stored or none is. A failure throws
/// StoreError naming the file, what was being written, the row that failed and SQLite's reason;
/// the caller's rows are untouched, so it can retry them.
/// Lifecycle: a run begins in a non-final state and ends once, in a final one; ending a run ends
/// its wafers still open with the same state, time and reason. Wafers likewise, within a begun run.
/// Defects: every defect belongs to a wafer begun with beginWafer() (a foreign key). A defect id is
/// stored once: the very same defect given again (a retried batch) is skipped and counted as a
/// duplicate, and a different defect under an id already stored is an error.
/// Audit: entries are append-only; the database itself (triggers) refuses to update, delete or
/// replace one.
/// Damage: a StoreError with isDamage() says SQLite found the file malformed; quickCheck() looks for
/// damage on purpose (PRAGMA quick_check), and moveAside() keeps a damaged file, with its WAL, under
/// a timestamped name so a new one can be started.
/// Fault injection: setWriteHook() installs a function called before every write transaction with
/// what is being written; when it throws, the write fails as SQLite's refusal would, writing nothing.
/// Recovery: recoverInterruptedRuns() marks the runs left in a non-final state, and their open
/// wafers, Aborted with the reason kInterruptedReason; the composition root calls it at start-up,
/// before the first run.
/// Threads: a Qt SQL connection belongs to the thread that opened it, so a store is used and
/// destroyed on the thread that constructed it (the persistence writer's); a call from any other
/// thread throws std::logic_error. Each store has its own uniquely named connection, removed when
/// the store is destroyed, so several stores may have the same file open.
/// Allocates: per call — queries, messages and the rows read.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <waferscope/core/defect_class.h>
#include <waferscope/core/persistence/alarm_event_record.h>
#include <waferscope/core/persistence/audit_entry.h>
#include <waferscope/core/persistence/defect_batch_result.h>
#include <waferscope/core/persistence/defect_record.h>
#include <waferscope/core/persistence/run_record.h>
#include <waferscope/core/persistence/run_summary.h>
#include <waferscope/core/persistence/telemetry_sample.h>
#include <waferscope/core/persistence/wafer_record.h>
#include <waferscope/core/run_id.h>
#include <waferscope/core/runs/run_state.h>
#include <waferscope/core/wafer_id.h>

namespace waferscope::core {

class InspectionStore
{
public:
    using Time = std::chrono::system_clock::time_point;
    /// Called before each write transaction with its action ("insert 12 defects"); may throw.
    using WriteHook = std::function<void(const std::string &action)>;

    /// The schema this program creates and understands.
    static constexpr int kSchemaVersion = 1;
    /// The end reason recoverInterruptedRuns() gives.
    static constexpr std::string_view kInterruptedReason = "the program ended during the run";

    /// Opens or creates `file`; its folder must exist. Throws StoreError when the file cannot be
    /// opened, is not a database, has a newer schema, or cannot be switched to WAL.
    explicit InspectionStore(std::filesystem::path file);
    ~InspectionStore();

    InspectionStore(const InspectionStore &) = delete;
    InspectionStore &operator=(const InspectionStore &) = delete;
    InspectionStore(InspectionStore &&) = delete;
    InspectionStore &operator=(InspectionStore &&) = delete;

    [[nodiscard]] const std::filesystem::path &file() const noexcept;
    /// The Qt SQL connection's name, unique in the process.
    [[nodiscard]] const std::string &connectionName() const noexcept;
    /// PRAGMA user_version: kSchemaVersion once opened.
    [[nodiscard]] int schemaVersion() const;
    /// PRAGMA journal_mode: "wal".
    [[nodiscard]] std::string journalMode() const;
    /// PRAGMA synchronous, by name: "normal".
    [[nodiscard]] std::string synchronousMode() const;
    [[nodiscard]] bool hasForeignKeys() const;
    /// PRAGMA integrity_check: "ok", or the problems SQLite found, one a line.
    [[nodiscard]] std::string integrityCheck() const;
    /// PRAGMA quick_check: "ok", or the problems SQLite found, one a line (a faster integrityCheck()).
    [[nodiscard]] std::string quickCheck() const;
    /// Takes the write lock and writes in a transaction that is rolled back: throws StoreError when
    /// the file cannot be written (read-only, locked, the write hook refuses).
    void checkWritable();
    /// See "Fault injection" above; an empty hook removes it.
    void setWriteHook(WriteHook hook);
    /// Renames `file` and its -wal and -shm files to "<file>.damaged-<UTC time>"; returns the new
    /// name. The file must not be open. Throws StoreError when it cannot be renamed.
    [[nodiscard]] static std::filesystem::path moveAside(const std::filesystem::path &file, Time now);
    /// What is damaged in `file` (SQLite's reason, or quick_check's first problem); nullopt when the
    /// file does not exist, is sound, or cannot be opened for a reason that is not damage. Opens its
    /// own connection on the calling thread, and closes it before it returns.
    [[nodiscard]] static std::optional<std::string> findDamage(const std::filesystem::path &file);

    /// Stores a new run. Its state must not be final, its end time and reason empty, its id valid
    /// and not stored yet.
    void beginRun(const RunRecord &run);
    /// Moves a run that has not ended to another non-final state (Running ⇄ Paused).
    void setRunState(RunId runId, RunState state);
    /// Ends a run that has not ended yet: `state` must be final and `reason` not empty. Its wafers
    /// still open end with it.
    void endRun(RunId runId, RunState state, std::string_view reason, Time endedAt);

    /// Stores a new wafer of a run that has not ended. Its state must not be final, its end fields
    /// and counts empty.
    void beginWafer(const WaferRecord &wafer);
    /// Moves a wafer that has not ended to another non-final state.
    void setWaferState(RunId runId, const WaferId &waferId, RunState state);
    /// Ends a wafer that has not ended: stores `wafer`'s state (final), end time and reason, die and
    /// defect counts and KLARF path. Its slot and start are not changed.
    void endWafer(const WaferRecord &wafer);

    /// Stores defects in one transaction; see "Defects" above.
    [[nodiscard]] DefectBatchResult insertDefects(std::span<const DefectRecord> defects);
    void insertAlarmEvents(std::span<const AlarmEventRecord> events);
    void insertTelemetry(std::span<const TelemetrySample> samples);
    void appendAudit(std::span<const AuditEntry> entries);
    /// Gives stored defect `defectId` the class `defectClass` and returns the class it had. Throws
    /// StoreError naming the defect when no defect has that id or its run has not ended.
    DefectClass reclassifyDefect(std::uint64_t defectId, DefectClass defectClass);

    /// Marks runs in a non-final state, and their open wafers, Aborted at `now` with
    /// kInterruptedReason. Returns the runs it changed, by id.
    [[nodiscard]] std::vector<RunId> recoverInterruptedRuns(Time now);

    /// Defects skipped as duplicates since the store was opened, over all insertDefects() calls
    /// that committed.
    [[nodiscard]] std::uint64_t duplicateDefectCount() const;

    /// At most `limit` runs, newest start first, with their counts and who started each: the user of
    /// the last "run.start" audit entry for its lot made before it started ("" when none).
    [[nodiscard]] std::vector<RunSummary> runs(std::size_t limit) const;
    [[nodiscard]] std::optional<RunRecord> run(RunId runId) const;
    /// A run's wafers in the order they were begun.
    [[nodiscard]] std::vector<WaferRecord> wafers(RunId runId) const;
    /// By id.
    [[nodiscard]] std::vector<DefectRecord> defects(RunId runId) const;
    /// By id.
    [[nodiscard]] std::vector<DefectRecord> defects(RunId runId, const WaferId &waferId) const;
    [[nodiscard]] std::int64_t defectCount(RunId runId) const;
    [[nodiscard]] std::int64_t defectCount(RunId runId, const WaferId &waferId) const;
    /// A run's alarm events in the order they were stored; the default RunId gives the events that
    /// carry no run.
    [[nodiscard]] std::vector<AlarmEventRecord> alarmEvents(RunId runId) const;
    /// At most `limit` alarm events of every run and of none, newest first (by wall-clock time, then
    /// by the order stored).
    [[nodiscard]] std::vector<AlarmEventRecord> recentAlarmEvents(std::size_t limit) const;
    /// At most `limit` alarm events that happened from `from` to `to` (wall clock, both included),
    /// oldest first.
    [[nodiscard]] std::vector<AlarmEventRecord> alarmEventsBetween(Time from, Time to, std::size_t limit) const;
    /// Defect `defectId`, or nullopt when none has that id.
    [[nodiscard]] std::optional<DefectRecord> defect(std::uint64_t defectId) const;
    /// At most `limit` entries, newest first (by time, then by the order stored).
    [[nodiscard]] std::vector<AuditEntry> auditEntries(std::size_t limit) const;
    /// A run's samples by time; the default RunId gives the samples taken outside any run.
    [[nodiscard]] std::vector<TelemetrySample> telemetry(RunId runId) const;
    /// At most `limit` samples of `channel` taken from `from` to `to` (both included), by time.
    [[nodiscard]] std::vector<TelemetrySample> telemetry(const std::string &channel, Time from, Time to,
                                                         std::size_t limit) const;
    [[nodiscard]] std::int64_t telemetryCount() const;
    [[nodiscard]] std::int64_t telemetryCount(RunId runId) const;

private:
    class Connection;
    std::unique_ptr<Connection> m_connection;
};

} // namespace waferscope::core
