#include <waferscope/pipelines/persistence/persistence_writer.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <ctime>
#include <sstream>
#include <type_traits>

#include <waferscope/core/persistence/store_error.h>
#include <waferscope/core/results/klarf_writer.h>
#include <waferscope/runtime/errors.h>
#include <waferscope/runtime/executor.h>
#include <waferscope/runtime/sleep_operation.h>
#include <waferscope/runtime/value_task.h>

namespace waferscope::pipelines {

namespace {

/// How often a wafer's end looks whether the stager has caught up.
constexpr std::chrono::milliseconds kCropPoll{5};
/// An outage waits in slices this long at most, so an abandonJournal() is seen quickly.
constexpr auto kOutageSlice = std::chrono::milliseconds(50);
/// A failing journal is reported on its first failure and then every this many attempts.
constexpr std::uint64_t kOutageReportEvery = 10;

PersistenceWriter::Options optionsWith(std::chrono::milliseconds retryDelay)
{
    PersistenceWriter::Options options;
    options.retryDelay = retryDelay;
    return options;
}

/// Room kept free for the unstored-defects file: about 20 000 defects (a line is about 200 bytes).
constexpr off_t kReserveBytes = 4 * 1024 * 1024;

std::filesystem::path reserveFileOf(const std::filesystem::path &database)
{
    std::filesystem::path file = database;
    file += ".reserve";
    return file;
}

/// Takes kReserveBytes of real blocks (not a sparse file) next to the database; false when it cannot.
bool makeReserve(const std::filesystem::path &file)
{
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        return false;
    }
    const bool isMade = ::posix_fallocate(fd, 0, kReserveBytes) == 0;
    ::close(fd);
    return isMade;
}

std::string utcStamp(std::chrono::system_clock::time_point at)
{
    const std::time_t seconds = std::chrono::system_clock::to_time_t(at);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &utc);
    return stamp;
}

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
    : PersistenceWriter(std::move(databaseFile), std::move(onError), stats, optionsWith(retryDelay))
{
}

PersistenceWriter::PersistenceWriter(std::filesystem::path databaseFile, ErrorHandler onError,
                                     runtime::StatsRegistry *stats, Options options)
    : m_databaseFile(std::move(databaseFile))
    , m_onError(std::move(onError))
    , m_options(std::move(options))
    , m_registration(runtime::registerStats(stats, "service", "persistence", *this))
{
    m_defectBatch.reserve(kMaxBatch);
    m_journal.reserve(kMaxBatch);
    m_alarmBatch.reserve(kMaxBatch);
}

PersistenceWriter::~PersistenceWriter() = default;

std::string PersistenceWriter::lastError() const
{
    const std::lock_guard lock(m_errorMutex);
    return m_lastError;
}

std::filesystem::path PersistenceWriter::unstoredFile() const
{
    const std::lock_guard lock(m_errorMutex);
    return m_unstoredFile;
}

void PersistenceWriter::abandonJournal(std::string reason)
{
    {
        const std::lock_guard lock(m_errorMutex);
        m_abandonReason = std::move(reason);
    }
    // Release: the outage loop that reads it with acquire then sees the reason written above.
    m_isAbandonRequested.store(true, std::memory_order_release);
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
    open();
    if (m_store && !makeReserve(reserveFileOf(m_databaseFile))) {
        fail("cannot keep " + std::to_string(kReserveBytes / 1024) + " KB free next to " + m_databaseFile.string() +
                 " for defects the database may refuse",
             false);
    }
    if (m_store) {
        try {
            std::vector<core::RunId> recovered = m_store->recoverInterruptedRuns(std::chrono::system_clock::now());
            if (onRecovered) {
                onRecovered(std::move(recovered));
            }
        } catch (const std::exception &e) {
            fail(std::string("cannot mark the interrupted runs aborted: ") + e.what(), false);
        }
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
    closeUnstored();
    m_store.reset(); // on this thread, which owns the connection
}

void PersistenceWriter::open()
{
    std::string damage;
    try {
        auto store = std::make_unique<core::InspectionStore>(m_databaseFile);
        const std::string check = store->quickCheck();
        if (check == "ok") {
            m_store = std::move(store);
        } else {
            damage = "PRAGMA quick_check found: " + check.substr(0, check.find('\n'));
        }
    } catch (const core::StoreError &e) {
        if (!e.isDamage()) {
            m_openProblem = e.what();
            fail("cannot open the inspection database: " + m_openProblem, false);
            return;
        }
        damage = e.problem();
    } catch (const std::exception &e) {
        m_openProblem = e.what();
        fail("cannot open the inspection database: " + m_openProblem, false);
        return;
    }
    if (m_store) {
        m_store->setWriteHook(m_options.writeHook);
        return;
    }
    // Damaged: the store was closed above (its connection went with it), so the file can move.
    if (m_options.onDamagedDatabase == DamagedDatabasePolicy::Refuse) {
        m_openProblem = "the inspection database " + m_databaseFile.string() + " is damaged (" + damage +
                        "); it was left as it is (--on-damaged-database refuse)";
        fail(m_openProblem, false);
        return;
    }
    const auto now = std::chrono::system_clock::now();
    std::filesystem::path kept;
    try {
        kept = core::InspectionStore::moveAside(m_databaseFile, now);
        m_store = std::make_unique<core::InspectionStore>(m_databaseFile);
    } catch (const std::exception &e) {
        m_store.reset();
        m_openProblem = "the inspection database " + m_databaseFile.string() + " is damaged (" + damage +
                        ") and could not be replaced: " + e.what();
        fail(m_openProblem, false);
        return;
    }
    m_databasesReplaced.add();
    const std::string detail = "the inspection database was damaged (" + damage + "); it was moved to " +
                               kept.string() + " and a new one was started";
    try {
        core::AuditEntry entry;
        entry.userName = "waferscope";
        entry.role = "system";
        entry.at = now;
        entry.action = "database.replaced";
        entry.detail = detail;
        m_store->appendAudit(std::span(&entry, 1));
    } catch (const std::exception &e) {
        fail("cannot write the database replacement to the audit trail: " + std::string(e.what()), false);
    }
    m_store->setWriteHook(m_options.writeHook);
    fail(detail, false);
}

std::string PersistenceWriter::probe()
{
    if (!m_store) {
        return "the inspection database is not open: " + m_openProblem;
    }
    // After a journal was given up, a new run may start once the database takes a write again.
    if (m_isStoreFailing.load(std::memory_order_relaxed)) {
        return "the inspection database cannot be written: " + lastError();
    }
    try {
        m_store->checkWritable();
    } catch (const std::exception &e) {
        return std::string("the inspection database cannot be written: ") + e.what();
    }
    return {};
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
    // Retrying helps a locked or briefly full database, not one that is not open or has just lost
    // a journal: those fail at once so the run ends quickly.
    const int attempts =
        !m_store || m_isDegraded || m_isAbandonRequested.load(std::memory_order_acquire) ? 1 : kLifecycleAttempts;
    for (int attempt = 1;; ++attempt) {
        std::string error;
        try {
            if (!m_store) {
                throw std::runtime_error("the inspection database is not open: " + m_openProblem);
            }
            write();
            m_isDegraded = false;
            co_return;
        } catch (const std::exception &e) {
            error = e.what();
        }
        if (attempt >= attempts) {
            fail("gave up trying to " + what + " after " + std::to_string(attempt) + " attempts: " + error, false);
            co_return;
        }
        fail("cannot " + what + " (will retry): " + error, true);
        co_await runtime::sleepFor(m_options.retryDelay);
    }
}

runtime::ValueTask<void> PersistenceWriter::storeDefects()
{
    if (m_defectBatch.empty()) {
        co_return;
    }
    std::string error;
    try {
        if (!m_store) {
            throw std::runtime_error("the inspection database is not open: " + m_openProblem);
        }
        const core::DefectBatchResult result = m_store->insertDefects(m_defectBatch);
        const auto storedAt = std::chrono::system_clock::now();
        for (const core::DefectRecord &defect : m_defectBatch) {
            m_storeLatency.record(storedAt - defect.detectedAt);
        }
        m_defectBatches.add();
        countStored(m_defectBatch, result);
        m_defectBatch.clear();
        m_isDegraded = false;
        co_return;
    } catch (const std::exception &e) {
        error = e.what();
    }
    m_writesFailed.add();
    if (!m_store || m_isDegraded || m_isAbandonRequested.load(std::memory_order_acquire)) {
        // No store to wait for, or a run that is ending: straight to the file, never dropped.
        keepUnstored(m_defectBatch, error);
        m_defectBatch.clear();
        co_return;
    }
    // One record the store refuses (a wafer never begun, an id stored with other contents) must not
    // hold back the rest, and is no storage fault: record by record, whatever stores is stored and a
    // record refused while others are stored goes to the file with its reason. When every record
    // fails, the storage itself is failing: an outage.
    std::vector<core::DefectRecord> refused;
    std::vector<std::string> reasons;
    std::size_t stored = 0;
    for (const core::DefectRecord &defect : m_defectBatch) {
        try {
            const core::DefectBatchResult result = m_store->insertDefects(std::span(&defect, 1));
            countStored(std::span(&defect, 1), result);
            ++stored;
        } catch (const std::exception &e) {
            refused.push_back(defect);
            reasons.emplace_back(e.what());
        }
    }
    m_defectBatch.clear();
    if (stored == 0) {
        m_journal.swap(refused); // m_journal was empty: no command is read during an outage
        co_await endOutage(error);
        co_return;
    }
    for (std::size_t i = 0; i < refused.size(); ++i) {
        keepUnstored(std::span(&refused[i], 1), "defect " + std::to_string(refused[i].id) + " of " +
                                                    refused[i].runId.toString() + " could not be stored: " + reasons[i]);
    }
}

runtime::ValueTask<void> PersistenceWriter::endOutage(std::string reason)
{
    m_outages.add();
    m_isStoreFailing.store(true, std::memory_order_relaxed);
    fail("cannot store " + std::to_string(m_journal.size()) + " defects; they are held until the database can be "
         "written: " + reason,
         true);
    if (m_options.onOutage) {
        m_options.onOutage(Outage::Began, reason);
    }
    // The executor's clock: a test's manual executor runs an outage on its fake time.
    const auto clock = [] {
        const runtime::Executor *executor = runtime::Executor::current();
        return executor != nullptr ? executor->now() : runtime::Clock::now();
    };
    const auto started = clock();
    const auto deadline = started + m_options.maxOutage;
    const auto slice = std::min<std::chrono::milliseconds>(m_options.retryDelay, kOutageSlice);
    // Bounded: maxOutage / slice waits, plus one.
    const auto maxWaits = static_cast<std::uint64_t>(m_options.maxOutage / std::max(slice, std::chrono::milliseconds(1))) + 1;
    auto nextAttempt = started + m_options.retryDelay;
    std::uint64_t attempts = 0;
    bool isGivenUp = false;
    for (std::uint64_t wait = 0; wait <= maxWaits; ++wait) {
        bool isStopping = false;
        try {
            co_await runtime::sleepFor(slice);
        } catch (const runtime::OperationCancelled &) {
            isStopping = true; // the writer's executor is shutting down: the program ends
        }
        if (isStopping) {
            keepUnstored(m_journal, "the program ended while the database could not be written (" + reason + ")");
            m_journal.clear();
            m_isStoreFailing.store(false, std::memory_order_relaxed);
            closeUnstored();
            throw runtime::OperationCancelled("the persistence writer stopped during a storage outage");
        }
        if (m_isAbandonRequested.load(std::memory_order_acquire)) {
            std::string why;
            {
                const std::lock_guard lock(m_errorMutex);
                why = m_abandonReason;
            }
            keepUnstored(m_journal, "the run was aborted (" + why + ") while the database could not be written (" +
                                        reason + ")");
            break;
        }
        const auto now = clock();
        if (now >= deadline || wait == maxWaits) {
            isGivenUp = true;
            keepUnstored(m_journal, "the database could not be written for " +
                                        std::to_string(m_options.maxOutage.count() / 1000) + " s (" + reason + ")");
            break;
        }
        if (now < nextAttempt) {
            continue;
        }
        nextAttempt = now + m_options.retryDelay;
        ++attempts;
        try {
            const core::DefectBatchResult result = m_store->insertDefects(m_journal);
            m_defectBatches.add();
            countStored(m_journal, result);
            m_journal.clear();
            m_isStoreFailing.store(false, std::memory_order_relaxed);
            if (m_onError) {
                m_onError("the inspection database can be written again: the " + std::to_string(result.storedCount +
                                                                                                    result.duplicateCount) +
                          " defects held were stored");
            }
            if (m_options.onOutage) {
                m_options.onOutage(Outage::Ended, {});
            }
            co_return;
        } catch (const std::exception &e) {
            reason = e.what();
            m_writesFailed.add();
            {
                const std::lock_guard lock(m_errorMutex);
                m_lastError = reason;
            }
            if (attempts % kOutageReportEvery == 0 && m_onError) {
                m_onError("still cannot store " + std::to_string(m_journal.size()) + " held defects (attempt " +
                          std::to_string(attempts) + "): " + reason);
            }
        }
    }
    m_journal.clear();
    m_isDegraded = true;
    m_isStoreFailing.store(false, std::memory_order_relaxed);
    if (isGivenUp && m_options.onOutage) {
        m_options.onOutage(Outage::GaveUp, reason);
    }
}

void PersistenceWriter::keepUnstored(std::span<const core::DefectRecord> defects, const std::string &why)
{
    if (defects.empty()) {
        return;
    }
    m_defectsUnstored.add(defects.size());
    for (const core::DefectRecord &defect : defects) {
        if (RunLedger *ledger = ledgerOf(defect.runId)) {
            ledger->defectsUnstored(1);
        }
    }
    std::string text;
    if (m_unstoredFd < 0) {
        // The disk may be full: the reserve kept since start-up becomes the file, so its first
        // megabytes are written into blocks that are already there.
        std::filesystem::path file = m_databaseFile;
        file += ".unstored-" + utcStamp(std::chrono::system_clock::now()) + ".tsv";
        for (int n = 2; std::filesystem::exists(file) && n < 1000; ++n) {
            file = m_databaseFile;
            file += ".unstored-" + utcStamp(std::chrono::system_clock::now()) + "-" + std::to_string(n) + ".tsv";
        }
        std::error_code ignored;
        std::filesystem::rename(reserveFileOf(m_databaseFile), file, ignored);
        m_unstoredFd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
        m_unstoredBytes = 0;
        const std::lock_guard lock(m_errorMutex);
        m_unstoredFile = file;
        text = "id\trun\twafer\tcolumn\trow\tx\ty\twidth\theight\tx_rel_um\ty_rel_um\tx_size_um\ty_size_um"
               "\tarea_um2\tclass\tpolarity\tframe\tdetected_at_us\timage\n";
    }
    const std::filesystem::path file = unstoredFile();
    std::ostringstream out;
    for (const core::DefectRecord &d : defects) {
        out << d.id << '\t' << d.runId.toString() << '\t' << d.waferId.text() << '\t' << d.die.column << '\t'
            << d.die.row << '\t' << d.box.x << '\t' << d.box.y << '\t' << d.box.width << '\t' << d.box.height << '\t'
            << d.xRelUm << '\t' << d.yRelUm << '\t' << d.xSizeUm << '\t' << d.ySizeUm << '\t' << d.areaUm2 << '\t'
            << core::toText(d.defectClass) << '\t' << core::toText(d.polarity) << '\t' << d.frameSequence << '\t'
            << std::chrono::duration_cast<std::chrono::microseconds>(d.detectedAt.time_since_epoch()).count() << '\t'
            << d.imagePath.value_or("") << '\n';
    }
    text += out.str();
    bool isWritten = m_unstoredFd >= 0;
    // Bounded: each pass writes at least one byte or stops.
    for (std::size_t done = 0; isWritten && done < text.size();) {
        const ssize_t written = ::pwrite(m_unstoredFd, text.data() + done, text.size() - done, m_unstoredBytes);
        if (written <= 0) {
            isWritten = false;
            break;
        }
        done += static_cast<std::size_t>(written);
        m_unstoredBytes += written;
    }
    if (isWritten) {
        isWritten = ::fdatasync(m_unstoredFd) == 0;
    }
    std::string ids;
    for (std::size_t i = 0; i < defects.size() && i < 20; ++i) {
        ids += (i == 0 ? "" : ", ") + std::to_string(defects[i].id);
    }
    if (defects.size() > 20) {
        ids += ", …";
    }
    fail(why + " — " + std::to_string(defects.size()) + " defect(s) of " + defects.front().runId.toString() +
             " not in the database; " +
             (isWritten ? "kept in " + file.string() : "and they could not be written to " + file.string() + " either") +
             " (ids " + ids + ")",
         false);
}

void PersistenceWriter::closeUnstored()
{
    if (m_unstoredFd < 0) {
        return;
    }
    // The reserve's unused tail goes; the file ends with its last line.
    static_cast<void>(::ftruncate(m_unstoredFd, m_unstoredBytes));
    static_cast<void>(::fsync(m_unstoredFd));
    ::close(m_unstoredFd);
    m_unstoredFd = -1;
    if (!makeReserve(reserveFileOf(m_databaseFile))) {
        std::error_code ignored;
        std::filesystem::remove(reserveFileOf(m_databaseFile), ignored); // no half reserve left behind
    }
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
    // Written once: a retry after the store refused the wafer's end does not write or count it again.
    if (!command.klarfPath.empty() && command.wafer.klarfPath.empty()) {
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
    if (!m_store) {
        throw std::runtime_error("the inspection database is not open: " + m_openProblem);
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
            // The run is over, and with it any abandonment its abort asked for: the next run's
            // BeginRun comes after this (the engine waits for this run's flush before it starts one).
            m_isAbandonRequested.store(false, std::memory_order_relaxed);
            closeUnstored();
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
        } else if (auto *probeCommand = std::get_if<PersistenceCommand::Probe>(payload)) {
            if (probeCommand->done) {
                probeCommand->done(probe());
            }
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
    sink.add("outages", m_outages.value());
    sink.add("databases_replaced", m_databasesReplaced.value());
    sink.add("latency_p50_us", m_storeLatency.percentileUs(0.50));
    sink.add("latency_p99_us", m_storeLatency.percentileUs(0.99));
}

} // namespace waferscope::pipelines
