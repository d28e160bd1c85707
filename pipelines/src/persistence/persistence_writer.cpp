#include <waferscope/pipelines/persistence/persistence_writer.h>

#include <algorithm>
#include <type_traits>

#include <waferscope/core/persistence/store_error.h>
#include <waferscope/core/results/klarf_writer.h>
#include <waferscope/runtime/sleep_operation.h>
#include <waferscope/runtime/value_task.h>

namespace waferscope::pipelines {

namespace {

/// Lifecycle writes are retried this often before the command is given up as one that cannot
/// succeed; defect batches are retried until they are stored.
constexpr int kLifecycleAttempts = 3;
/// A failing defect batch is retried for about kDefectAttempts × retryDelay before it is stored
/// record by record.
constexpr int kDefectAttempts = 30;
/// How often a wafer's end looks whether the stager has caught up.
constexpr std::chrono::milliseconds kCropPoll{5};

core::AlarmEventRecord::Time wallClockOf(core::AlarmTime at)
{
    // Alarm times are steady-clock times; the store wants wall-clock times.
    const auto age = std::chrono::steady_clock::now() - at;
    return std::chrono::system_clock::now() -
           std::chrono::duration_cast<std::chrono::system_clock::duration>(age);
}

} // namespace

PersistenceWriter::PersistenceWriter(std::filesystem::path databaseFile, ErrorHandler onError,
                                     runtime::StatsRegistry *stats, std::chrono::milliseconds retryDelay)
    : m_databaseFile(std::move(databaseFile))
    , m_onError(std::move(onError))
    , m_retryDelay(retryDelay)
    , m_registration(runtime::registerStats(stats, "service", "persistence", *this))
{
    m_defectBatch.reserve(kMaxBatch);
    m_alarmBatch.reserve(kMaxBatch);
}

PersistenceWriter::~PersistenceWriter() = default;

std::string PersistenceWriter::lastError() const
{
    const std::lock_guard lock(m_errorMutex);
    return m_lastError;
}

void PersistenceWriter::fail(const std::string &message, bool retryable)
{
    if (retryable) {
        m_writesFailed.add();
    } else {
        m_commandsRejected.add();
    }
    {
        const std::lock_guard lock(m_errorMutex);
        m_lastError = message;
    }
    if (m_onError) {
        m_onError(message);
    }
}

runtime::Job PersistenceWriter::run(runtime::Channel<PersistenceCommand> &commands,
                                    std::function<void(std::vector<core::RunId>)> onRecovered)
{
    try {
        m_store = std::make_unique<core::InspectionStore>(m_databaseFile);
        std::vector<core::RunId> recovered = m_store->recoverInterruptedRuns(std::chrono::system_clock::now());
        if (onRecovered) {
            onRecovered(std::move(recovered));
        }
    } catch (const std::exception &e) {
        fail(std::string("cannot open the inspection database: ") + e.what(), false);
    }
    std::vector<PersistenceCommand> pending;
    pending.reserve(kMaxBatch);
    for (;;) {
        try {
            pending.push_back(co_await commands.read());
        } catch (const runtime::ChannelClosed &) {
            break;
        }
        while (pending.size() < kMaxBatch) {
            std::optional<PersistenceCommand> more = commands.tryRead();
            if (!more) {
                break;
            }
            pending.push_back(std::move(*more));
        }
        co_await process(pending);
        pending.clear();
    }
    m_store.reset(); // on this thread, which owns the connection
}

RunLedger *PersistenceWriter::ledgerOf(core::RunId runId) const noexcept
{
    for (const auto &[id, ledger] : m_ledgers) {
        if (id == runId) {
            return ledger.get();
        }
    }
    return nullptr;
}

template<typename Write>
runtime::ValueTask<void> PersistenceWriter::attempt(std::string what, Write write)
{
    for (int attempt = 1;; ++attempt) {
        std::string error;
        try {
            if (!m_store) {
                throw std::runtime_error("the inspection database is not open");
            }
            write();
            co_return;
        } catch (const std::exception &e) {
            error = e.what();
        }
        if (attempt >= kLifecycleAttempts) {
            fail("gave up trying to " + what + " after " + std::to_string(attempt) + " attempts: " + error, false);
            co_return;
        }
        fail("cannot " + what + " (will retry): " + error, true);
        co_await runtime::sleepFor(m_retryDelay);
    }
}

runtime::ValueTask<void> PersistenceWriter::storeDefects()
{
    if (m_defectBatch.empty()) {
        co_return;
    }
    std::string error;
    for (int attempt = 1; attempt <= kDefectAttempts; ++attempt) {
        try {
            if (!m_store) {
                throw std::runtime_error("the inspection database is not open");
            }
            const core::DefectBatchResult result = m_store->insertDefects(m_defectBatch);
            m_defectBatches.add();
            countStored(m_defectBatch, result);
            m_defectBatch.clear();
            co_return;
        } catch (const std::exception &e) {
            error = e.what();
        }
        // Keep the batch and try again: a full disk or a locked database passes.
        fail("cannot store " + std::to_string(m_defectBatch.size()) + " defects (attempt " + std::to_string(attempt) +
                 "): " + error,
             true);
        if (attempt < kDefectAttempts) {
            co_await runtime::sleepFor(m_retryDelay);
        }
    }
    // Still failing: store what can be stored one by one, so one bad record does not hold back the
    // rest; each record that still fails is reported by id and counted (defects_unstored), and the
    // run's ledger shows it (stored < detected).
    for (const core::DefectRecord &defect : m_defectBatch) {
        try {
            if (!m_store) {
                throw std::runtime_error("the inspection database is not open");
            }
            const core::DefectBatchResult result = m_store->insertDefects(std::span(&defect, 1));
            countStored(std::span(&defect, 1), result);
        } catch (const std::exception &e) {
            m_defectsUnstored.add();
            fail("defect " + std::to_string(defect.id) + " of " + defect.runId.toString() +
                     " could not be stored: " + e.what(),
                 false);
        }
    }
    m_defectBatch.clear();
}

void PersistenceWriter::countStored(std::span<const core::DefectRecord> defects, const core::DefectBatchResult &result)
{
    m_defectsStored.add(result.storedCount);
    m_duplicates.add(result.duplicateCount);
    // A batch spans runs only at a run boundary; each defect counts against its own run. A
    // duplicate was stored by an earlier attempt, so it counts as stored too.
    for (const core::DefectRecord &defect : defects) {
        if (RunLedger *ledger = ledgerOf(defect.runId)) {
            ledger->defectsStored(1);
        }
    }
}

runtime::ValueTask<void> PersistenceWriter::storeAlarmEvents()
{
    if (m_alarmBatch.empty()) {
        co_return;
    }
    co_await attempt("store " + std::to_string(m_alarmBatch.size()) + " alarm events",
                     [this] { m_store->insertAlarmEvents(m_alarmBatch); });
    m_alarmBatch.clear();
}

void PersistenceWriter::endWafer(PersistenceCommand::EndWafer &command)
{
    if (!command.klarfPath.empty()) {
        try {
            core::KlarfWriter::write(command.result, command.klarfPath);
            command.wafer.klarfPath = command.klarfPath.string();
            m_klarfFiles.add();
            if (RunLedger *ledger = ledgerOf(command.wafer.runId)) {
                ledger->defectsInKlarf(command.result.defects.size());
            }
        } catch (const std::exception &e) {
            fail("cannot write the KLARF file of wafer " + std::string(command.wafer.waferId.text()) + ": " + e.what(),
                 false);
        }
    }
    m_store->endWafer(command.wafer);
}

runtime::ValueTask<void> PersistenceWriter::awaitStagedCrops(core::RunId runId)
{
    const RunLedger *ledger = ledgerOf(runId);
    if (ledger == nullptr) {
        co_return;
    }
    const auto deadline = std::chrono::steady_clock::now() + kCropWait;
    while (!ledger->areQueuedCropsSettled() && std::chrono::steady_clock::now() < deadline) {
        co_await runtime::sleepFor(kCropPoll);
    }
}

runtime::ValueTask<void> PersistenceWriter::process(std::vector<PersistenceCommand> &commands)
{
    for (PersistenceCommand &command : commands) {
        m_commands.add();
        auto *payload = &command.payload;
        if (auto *defect = std::get_if<core::DefectRecord>(payload)) {
            m_defectBatch.push_back(std::move(*defect));
            continue;
        }
        if (auto *alarms = std::get_if<PersistenceCommand::AlarmEvents>(payload)) {
            for (core::AlarmEvent &event : alarms->events) {
                const auto at = wallClockOf(event.at);
                m_alarmBatch.push_back(core::AlarmEventRecord{std::move(event), at});
            }
            continue;
        }
        // Anything else ends the batches gathered so far, which must be stored before it.
        co_await storeDefects();
        co_await storeAlarmEvents();
        if (auto *begin = std::get_if<PersistenceCommand::BeginRun>(payload)) {
            m_ledgers.emplace_back(begin->run.id, begin->ledger);
            co_await attempt("begin " + begin->run.id.toString(), [&] { m_store->beginRun(begin->run); });
        } else if (auto *state = std::get_if<PersistenceCommand::SetRunState>(payload)) {
            co_await attempt("set the state of " + state->runId.toString(),
                             [&] { m_store->setRunState(state->runId, state->state); });
        } else if (auto *end = std::get_if<PersistenceCommand::EndRun>(payload)) {
            co_await attempt("end " + end->runId.toString(),
                             [&] { m_store->endRun(end->runId, end->state, end->reason, end->endedAt); });
            std::erase_if(m_ledgers, [&](const auto &entry) { return entry.first == end->runId; });
        } else if (auto *wafer = std::get_if<PersistenceCommand::BeginWafer>(payload)) {
            co_await attempt("begin wafer " + std::string(wafer->wafer.waferId.text()),
                             [&] { m_store->beginWafer(wafer->wafer); });
        } else if (auto *endWaferCommand = std::get_if<PersistenceCommand::EndWafer>(payload)) {
            co_await awaitStagedCrops(endWaferCommand->wafer.runId);
            co_await attempt("end wafer " + std::string(endWaferCommand->wafer.waferId.text()),
                             [&] { endWafer(*endWaferCommand); });
        } else if (auto *telemetry = std::get_if<PersistenceCommand::Telemetry>(payload)) {
            co_await attempt("store " + std::to_string(telemetry->samples.size()) + " telemetry samples",
                             [&] { m_store->insertTelemetry(telemetry->samples); });
        } else if (auto *audit = std::get_if<PersistenceCommand::Audit>(payload)) {
            co_await attempt("append to the audit log", [&] { m_store->appendAudit(std::span(&audit->entry, 1)); });
        } else if (auto *flush = std::get_if<PersistenceCommand::Flush>(payload)) {
            if (flush->done) {
                flush->done();
            }
        }
    }
    co_await storeDefects();
    co_await storeAlarmEvents();
}

void PersistenceWriter::collect(runtime::MetricSink &sink) const
{
    sink.add("commands", m_commands.value());
    sink.add("defect_batches", m_defectBatches.value());
    sink.add("defects_stored", m_defectsStored.value());
    sink.add("duplicates_skipped", m_duplicates.value());
    sink.add("writes_failed", m_writesFailed.value());
    sink.add("commands_rejected", m_commandsRejected.value());
    sink.add("klarf_files", m_klarfFiles.value());
    sink.add("defects_unstored", m_defectsUnstored.value());
}

} // namespace waferscope::pipelines
