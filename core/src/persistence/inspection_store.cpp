#include <waferscope/core/persistence/inspection_store.h>

#include <algorithm>
#include <ctime>
#include <atomic>
#include <cassert>
#include <chrono>
#include <exception>
#include <initializer_list>
#include <limits>
#include <stdexcept>
#include <thread>
#include <type_traits>
#include <utility>

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QString>
#include <QVariant>

#include <waferscope/core/persistence/store_error.h>

#include "store_schema.h"

namespace waferscope::core {

namespace {

using Time = InspectionStore::Time;

constexpr RunState kAllRunStates[] = {RunState::Idle,      RunState::Checking, RunState::Running, RunState::Paused,
                                      RunState::Completed, RunState::Aborted,  RunState::Failed};

/// SQLite integers are signed 64-bit.
constexpr std::uint64_t kLargestSqlInteger = static_cast<std::uint64_t>(std::numeric_limits<qint64>::max());

QString qText(std::string_view text)
{
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

std::string stdText(const QVariant &value)
{
    return value.toString().toStdString();
}

std::string inQuotes(std::string_view text)
{
    return "'" + std::string(text) + "'";
}

qint64 nanoseconds(Time time)
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(time.time_since_epoch()).count();
}

qint64 nanoseconds(AlarmTime time)
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(time.time_since_epoch()).count();
}

Time systemTime(const QVariant &value)
{
    return Time{} + std::chrono::duration_cast<Time::duration>(std::chrono::nanoseconds(value.toLongLong()));
}

AlarmTime steadyTime(const QVariant &value)
{
    return AlarmTime{} + std::chrono::duration_cast<AlarmTime::duration>(std::chrono::nanoseconds(value.toLongLong()));
}

std::optional<Time> optionalSystemTime(const QVariant &value)
{
    return value.isNull() ? std::nullopt : std::optional<Time>(systemTime(value));
}

QVariant nullable(const std::optional<Time> &time)
{
    return time ? QVariant(nanoseconds(*time)) : QVariant();
}

/// Empty text is stored as NULL, where a column's NULL means "none".
QVariant nullable(std::string_view text)
{
    return text.empty() ? QVariant() : QVariant(qText(text));
}

/// The default RunId, "no run", is stored as NULL.
QVariant nullable(RunId run)
{
    return run.isValid() ? QVariant(static_cast<qint64>(run.value())) : QVariant();
}

QVariant sqlInteger(std::uint64_t value)
{
    return QVariant(static_cast<qint64>(value));
}

RunId runIdFrom(const QVariant &value)
{
    return value.isNull() ? RunId{} : RunId(static_cast<std::uint64_t>(value.toLongLong()));
}

/// How long an open waits for another connection that holds the file (Qt's QSQLITE_BUSY_TIMEOUT
/// below says the same for writes), and how often it looks again.
constexpr std::chrono::milliseconds kBusyTimeout{5000};
constexpr std::chrono::milliseconds kBusyRetry{10};

/// SQLITE_BUSY and SQLITE_LOCKED, in their primary or any extended form: another connection holds
/// what this one needs, for now.
bool isBusyError(const QSqlError &error)
{
    constexpr int kBusy = 5;
    constexpr int kLocked = 6;
    bool isNumber = false;
    const int code = error.nativeErrorCode().toInt(&isNumber) & 0xff;
    return isNumber && (code == kBusy || code == kLocked);
}

/// SQLITE_CORRUPT and SQLITE_NOTADB, in their primary or any extended form: the file is damaged.
bool isDamageError(const QSqlError &error)
{
    constexpr int kCorrupt = 11;
    constexpr int kNotADatabase = 26;
    bool isNumber = false;
    const int code = error.nativeErrorCode().toInt(&isNumber) & 0xff;
    return isNumber && (code == kCorrupt || code == kNotADatabase);
}

std::string sqlProblem(const QSqlError &error)
{
    const QString text = error.databaseText().isEmpty() ? error.text() : error.databaseText();
    return text.toStdString();
}

/// "'idle','checking','running','paused'": the states a run or wafer has not ended in.
const std::string &openStates()
{
    static const std::string list = [] {
        std::string text;
        for (const RunState state : kAllRunStates) {
            if (!isFinal(state)) {
                text += (text.empty() ? "" : ",") + inQuotes(toText(state));
            }
        }
        return text;
    }();
    return list;
}

/// Reading back a name this program does not know: the file was written by another version.
template <typename T>
T parsedName(std::optional<T> parsed, const QVariant &name, std::string_view column)
{
    if (!parsed) {
        throw std::runtime_error("unknown " + std::string(column) + " " + inQuotes(stdText(name)));
    }
    return *parsed;
}

std::optional<RunState> parseRunState(std::string_view name) noexcept
{
    for (const RunState state : kAllRunStates) {
        if (toText(state) == name) {
            return state;
        }
    }
    return std::nullopt;
}

RunState runStateFrom(const QVariant &value)
{
    return parsedName(parseRunState(stdText(value)), value, "state");
}

std::string runText(RunId run)
{
    return run.toString();
}

std::string waferText(RunId run, const WaferId &wafer)
{
    return "wafer " + std::string(wafer.text()) + " of " + run.toString();
}

std::string defectText(const DefectRecord &defect)
{
    return "defect " + std::to_string(defect.id) + " of " + defect.runId.toString() + " on wafer " +
           std::string(defect.waferId.text()) + " die " + toText(defect.die);
}

std::string uniqueConnectionName()
{
    static std::atomic<std::uint64_t> next{1};
    // Relaxed: the number only has to be unique, nothing else is published with it.
    return "waferscope-store-" + std::to_string(next.fetch_add(1, std::memory_order_relaxed));
}

constexpr std::string_view kRunColumns =
    "id, lot_id, recipe_name, recipe_summary, recipe_json, state, started_ns, ended_ns, end_reason";
constexpr std::string_view kWaferColumns = "run_id, wafer_id, slot, state, started_ns, ended_ns, end_reason, "
                                           "die_count, defect_count, klarf_path";
constexpr std::string_view kDefectColumns =
    "id, run_id, wafer_id, die_column, die_row, box_x, box_y, box_width, box_height, x_rel_um, y_rel_um, "
    "x_size_um, y_size_um, area_um2, class, polarity, image_path, frame_sequence, detected_ns";
constexpr std::string_view kAlarmEventColumns =
    "sequence, kind, tag, priority, from_state, to_state, tracked_from_state, tracked_to_state, occurred_ns, "
    "steady_ns, run_id, user_name, user_role, comment, shelved_until_steady_ns";
constexpr std::string_view kAuditColumns = "user_name, role, at_ns, action, detail";
constexpr std::string_view kTelemetryColumns = "run_id, channel, at_ns, value";

/// "?, ?, ?" for as many columns as `columns` names.
std::string placeholders(std::string_view columns)
{
    std::string text = "?";
    for (const char c : columns) {
        if (c == ',') {
            text += ", ?";
        }
    }
    return text;
}

std::string insertInto(std::string_view table, std::string_view columns)
{
    return "INSERT INTO " + std::string(table) + " (" + std::string(columns) + ") VALUES (" +
           placeholders(columns) + ")";
}

RunRecord runFrom(const QSqlQuery &query)
{
    RunRecord run;
    run.id = runIdFrom(query.value(0));
    run.lotId = stdText(query.value(1));
    run.recipeName = stdText(query.value(2));
    run.recipeSummary = stdText(query.value(3));
    run.recipeJson = stdText(query.value(4));
    run.state = runStateFrom(query.value(5));
    run.startedAt = systemTime(query.value(6));
    run.endedAt = optionalSystemTime(query.value(7));
    run.endReason = stdText(query.value(8));
    return run;
}

WaferRecord waferFrom(const QSqlQuery &query)
{
    WaferRecord wafer;
    wafer.runId = runIdFrom(query.value(0));
    wafer.waferId = WaferId(stdText(query.value(1)));
    wafer.slot = query.value(2).toInt();
    wafer.state = runStateFrom(query.value(3));
    wafer.startedAt = systemTime(query.value(4));
    wafer.endedAt = optionalSystemTime(query.value(5));
    wafer.endReason = stdText(query.value(6));
    wafer.dieCount = query.value(7).toLongLong();
    wafer.defectCount = query.value(8).toLongLong();
    wafer.klarfPath = stdText(query.value(9));
    return wafer;
}

DefectRecord defectFrom(const QSqlQuery &query)
{
    DefectRecord defect;
    defect.id = static_cast<std::uint64_t>(query.value(0).toLongLong());
    defect.runId = runIdFrom(query.value(1));
    defect.waferId = WaferId(stdText(query.value(2)));
    defect.die = {query.value(3).toInt(), query.value(4).toInt()};
    defect.box = {query.value(5).toInt(), query.value(6).toInt(), query.value(7).toInt(), query.value(8).toInt()};
    defect.xRelUm = query.value(9).toDouble();
    defect.yRelUm = query.value(10).toDouble();
    defect.xSizeUm = query.value(11).toDouble();
    defect.ySizeUm = query.value(12).toDouble();
    defect.areaUm2 = query.value(13).toDouble();
    defect.defectClass = parsedName(parseDefectClass(stdText(query.value(14))), query.value(14), "class");
    defect.polarity = parsedName(parseDefectPolarity(stdText(query.value(15))), query.value(15), "polarity");
    if (!query.value(16).isNull()) {
        defect.imagePath = stdText(query.value(16));
    }
    defect.frameSequence = static_cast<std::uint64_t>(query.value(17).toLongLong());
    defect.detectedAt = systemTime(query.value(18));
    return defect;
}

void bindDefect(QSqlQuery &query, const DefectRecord &defect)
{
    query.bindValue(0, sqlInteger(defect.id));
    query.bindValue(1, sqlInteger(defect.runId.value()));
    query.bindValue(2, qText(defect.waferId.text()));
    query.bindValue(3, defect.die.column);
    query.bindValue(4, defect.die.row);
    query.bindValue(5, defect.box.x);
    query.bindValue(6, defect.box.y);
    query.bindValue(7, defect.box.width);
    query.bindValue(8, defect.box.height);
    query.bindValue(9, defect.xRelUm);
    query.bindValue(10, defect.yRelUm);
    query.bindValue(11, defect.xSizeUm);
    query.bindValue(12, defect.ySizeUm);
    query.bindValue(13, defect.areaUm2);
    query.bindValue(14, qText(toText(defect.defectClass)));
    query.bindValue(15, qText(toText(defect.polarity)));
    query.bindValue(16, defect.imagePath ? QVariant(qText(*defect.imagePath)) : QVariant());
    query.bindValue(17, sqlInteger(defect.frameSequence));
    query.bindValue(18, nanoseconds(defect.detectedAt));
}

AlarmEventRecord alarmEventFrom(const QSqlQuery &query)
{
    AlarmEventRecord record;
    AlarmEvent &event = record.event;
    event.sequence = static_cast<std::uint64_t>(query.value(0).toLongLong());
    event.kind = parsedName(parseAlarmEventKind(stdText(query.value(1))), query.value(1), "kind");
    event.tag = stdText(query.value(2));
    event.priority = parsedName(parseAlarmPriority(stdText(query.value(3))), query.value(3), "priority");
    event.from = parsedName(parseAlarmState(stdText(query.value(4))), query.value(4), "alarm state");
    event.to = parsedName(parseAlarmState(stdText(query.value(5))), query.value(5), "alarm state");
    event.trackedFrom = parsedName(parseAlarmState(stdText(query.value(6))), query.value(6), "alarm state");
    event.trackedTo = parsedName(parseAlarmState(stdText(query.value(7))), query.value(7), "alarm state");
    record.occurredAt = systemTime(query.value(8));
    event.at = steadyTime(query.value(9));
    event.runId = runIdFrom(query.value(10));
    if (!query.value(11).isNull()) {
        event.actor = AlarmActor{stdText(query.value(11)), stdText(query.value(12))};
    }
    event.comment = stdText(query.value(13));
    if (!query.value(14).isNull()) {
        event.shelvedUntil = steadyTime(query.value(14));
    }
    return record;
}

} // namespace

/// Owns the Qt SQL connection and runs every statement; InspectionStore's methods say what to do.
class InspectionStore::Connection
{
public:
    explicit Connection(std::filesystem::path file)
        : m_file(std::move(file))
        , m_name(uniqueConnectionName())
        , m_owner(std::this_thread::get_id())
    {
    }

    Connection(const Connection &) = delete;
    Connection &operator=(const Connection &) = delete;

    ~Connection()
    {
        assert(std::this_thread::get_id() == m_owner && "an InspectionStore is destroyed on the thread that opened it");
        m_database.close();
        // removeDatabase() wants no QSqlDatabase handle left, or it warns and leaves the connection.
        m_database = QSqlDatabase();
        QSqlDatabase::removeDatabase(qText(m_name));
    }

    /// Runs in InspectionStore's constructor after this object exists, so a failure still removes
    /// the connection in the destructor.
    void open()
    {
        const std::string action = "open";
        if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QSQLITE"))) {
            fail(action, "Qt's SQLite driver (QSQLITE) is not installed; it comes with the package libqt6sql6-sqlite");
        }
        m_database = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), qText(m_name));
        m_database.setDatabaseName(QString::fromStdString(m_file.string()));
        // Qt's default, said here since the writer relies on it: a write waits up to 5 s for another
        // connection's write lock before it fails as busy.
        m_database.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
        if (!m_database.open()) {
            failSql(action, {}, m_database.lastError());
        }
        // Read before anything is written, so a newer file is left exactly as it was.
        const int version = schemaVersion(action);
        if (version > kSchemaVersion) {
            fail(action, "its schema version " + std::to_string(version) + " is newer than version " +
                             std::to_string(kSchemaVersion) + ", the newest this program knows");
        }
        if (version < 0) {
            fail(action, "its schema version " + std::to_string(version) + " is not a Waferscope schema version");
        }
        execute("PRAGMA foreign_keys = ON", action);
        if (scalar("PRAGMA foreign_keys", {}, action).toInt() != 1) {
            fail(action, "this SQLite cannot enforce foreign keys");
        }
        switchToWal(action);
        // In WAL mode NORMAL syncs at checkpoints only: a commit survives the process dying, and a
        // power cut can lose the last commits but cannot corrupt the file.
        execute("PRAGMA synchronous = NORMAL", action);
        for (int next = version + 1; next <= kSchemaVersion; ++next) {
            migrate(next);
        }
    }

    /// Puts the file in WAL mode. Two connections opening a new file at once both find it in
    /// rollback mode, and the switch needs the file to itself: SQLite refuses it to the second one
    /// at once (SQLITE_BUSY, without its busy wait). That one retries for up to the busy timeout,
    /// reading the mode again each time, since the other connection has usually switched it.
    void switchToWal(const std::string &action)
    {
        const auto deadline = std::chrono::steady_clock::now() + kBusyTimeout;
        for (;;) {
            if (stdText(scalar("PRAGMA journal_mode", {}, action)) == "wal") {
                return;
            }
            QSqlQuery query(m_database);
            if (query.exec(QStringLiteral("PRAGMA journal_mode = WAL")) && query.next()) {
                const std::string mode = stdText(query.value(0));
                if (mode != "wal") {
                    fail(action, "SQLite kept journal mode " + inQuotes(mode) + " instead of WAL");
                }
                return;
            }
            if (!isBusyError(query.lastError()) || std::chrono::steady_clock::now() >= deadline) {
                failSql(action, {}, query.lastError());
            }
            std::this_thread::sleep_for(kBusyRetry);
        }
    }

    void requireOwnerThread(std::string_view call) const
    {
        if (std::this_thread::get_id() != m_owner) {
            throw std::logic_error("InspectionStore::" + std::string(call) + " called on another thread than the one that opened " +
                                   m_file.string() + "; a Qt SQL connection belongs to the thread that opened it");
        }
    }

    [[noreturn]] void fail(const std::string &action, const std::string &problem) const
    {
        throw StoreError(m_file, action, problem);
    }

    /// Fails with SQLite's reason, marked as damage when SQLite says the file is damaged.
    [[noreturn]] void failSql(const std::string &action, std::string_view row, const QSqlError &error) const
    {
        throw StoreError(m_file, action, (row.empty() ? "" : std::string(row) + ": ") + sqlProblem(error),
                         isDamageError(error));
    }

    /// Called before every write transaction; see InspectionStore::setWriteHook().
    void beforeWrite(const std::string &action) const
    {
        if (m_writeHook) {
            m_writeHook(action);
        }
    }
    void setWriteHook(WriteHook hook) { m_writeHook = std::move(hook); }

    [[nodiscard]] QSqlQuery prepare(std::string_view sql, const std::string &action) const
    {
        QSqlQuery query(m_database);
        query.setForwardOnly(true);
        if (!query.prepare(qText(sql))) {
            failSql(action, {}, query.lastError());
        }
        return query;
    }

    /// Executes a prepared, bound query; `row` names what it writes or reads in the error.
    void execute(QSqlQuery &query, const std::string &action, std::string_view row) const
    {
        if (!query.exec()) {
            failSql(action, row, query.lastError());
        }
    }

    void execute(std::string_view sql, const std::string &action) const
    {
        QSqlQuery query(m_database);
        if (!query.exec(qText(sql))) {
            failSql(action, {}, query.lastError());
        }
    }

    /// The first column of the first row, or a null QVariant when there is no row.
    [[nodiscard]] QVariant scalar(std::string_view sql, std::initializer_list<QVariant> values,
                                  const std::string &action) const
    {
        QSqlQuery query = prepare(sql, action);
        bind(query, values);
        execute(query, action, {});
        return query.next() ? query.value(0) : QVariant();
    }

    /// Every row of a query, each made by `decode`; a row that cannot be read (a name this program
    /// does not know, an unusable wafer id) fails the read, naming the row.
    template <typename Decode>
    [[nodiscard]] auto rows(std::string_view sql, std::initializer_list<QVariant> values, const std::string &action,
                            Decode decode) const
    {
        std::vector<std::invoke_result_t<Decode, const QSqlQuery &>> result;
        QSqlQuery query = prepare(sql, action);
        bind(query, values);
        execute(query, action, {});
        while (query.next()) {
            try {
                result.push_back(decode(query));
            } catch (const std::exception &error) {
                fail(action, "row " + std::to_string(result.size() + 1) + ": " + error.what());
            }
        }
        return result;
    }

    [[nodiscard]] int schemaVersion(const std::string &action) const
    {
        return scalar("PRAGMA user_version", {}, action).toInt();
    }

    /// "run-7 is not stored" or "run-7 already ended (completed)", for a run an update did not find open.
    [[nodiscard]] std::string whyRunIsNotOpen(RunId run, const std::string &action) const
    {
        const QVariant state = scalar("SELECT state FROM runs WHERE id = ?", {nullable(run)}, action);
        return state.isNull() ? runText(run) + " is not stored"
                              : runText(run) + " already ended (" + stdText(state) + ")";
    }

    [[nodiscard]] std::string whyWaferIsNotOpen(RunId run, const WaferId &wafer, const std::string &action) const
    {
        const QVariant state = scalar("SELECT state FROM wafers WHERE run_id = ? AND wafer_id = ?",
                                      {nullable(run), qText(wafer.text())}, action);
        return state.isNull() ? waferText(run, wafer) + " is not stored"
                              : waferText(run, wafer) + " already ended (" + stdText(state) + ")";
    }

    /// One write transaction. BEGIN IMMEDIATE takes the write lock at once, so a concurrent writer
    /// makes this wait (the busy timeout) at the start instead of failing when it upgrades from read
    /// to write. Rolls back unless commit() succeeded, so a throw anywhere inside writes nothing.
    class Transaction
    {
    public:
        Transaction(const Connection &connection, const std::string &action)
            : m_connection(connection)
            , m_action(action)
        {
            m_connection.beforeWrite(m_action);
            m_connection.execute("BEGIN IMMEDIATE", m_action);
        }

        Transaction(const Transaction &) = delete;
        Transaction &operator=(const Transaction &) = delete;

        ~Transaction()
        {
            if (!m_isCommitted) {
                // A failed COMMIT may have ended the transaction already; then ROLLBACK fails harmlessly.
                try {
                    m_connection.execute("ROLLBACK", m_action);
                } catch (const StoreError &) {
                }
            }
        }

        void commit()
        {
            m_connection.execute("COMMIT", m_action);
            m_isCommitted = true;
        }

    private:
        const Connection &m_connection;
        const std::string &m_action;
        bool m_isCommitted = false;
    };

    [[nodiscard]] const std::filesystem::path &file() const noexcept { return m_file; }
    [[nodiscard]] const std::string &name() const noexcept { return m_name; }
    [[nodiscard]] std::uint64_t duplicateDefects() const noexcept { return m_duplicateDefects; }
    /// Precondition: the insertDefects() transaction that skipped them committed.
    void countDuplicates(std::size_t count) noexcept { m_duplicateDefects += count; }

private:
    static void bind(QSqlQuery &query, std::initializer_list<QVariant> values)
    {
        int index = 0;
        for (const QVariant &value : values) {
            query.bindValue(index++, value);
        }
    }

    /// Precondition: the schema is at version `to` − 1, or another process migrated it meanwhile.
    void migrate(int to);

    std::filesystem::path m_file;
    std::string m_name;
    std::thread::id m_owner;
    QSqlDatabase m_database;
    std::uint64_t m_duplicateDefects = 0;
    WriteHook m_writeHook;
};

void InspectionStore::Connection::migrate(int to)
{
    const std::string action =
        "migrate the schema from version " + std::to_string(to - 1) + " to " + std::to_string(to);
    Transaction transaction(*this, action);
    if (schemaVersion(action) >= to) {
        return;
    }
    for (const std::string_view statement : detail::migrationTo(to)) {
        execute(statement, action);
    }
    execute("PRAGMA user_version = " + std::to_string(to), action);
    transaction.commit();
}

InspectionStore::InspectionStore(std::filesystem::path file)
    : m_connection(std::make_unique<Connection>(std::move(file)))
{
    m_connection->open();
}

InspectionStore::~InspectionStore() = default;

const std::filesystem::path &InspectionStore::file() const noexcept
{
    return m_connection->file();
}

const std::string &InspectionStore::connectionName() const noexcept
{
    return m_connection->name();
}

int InspectionStore::schemaVersion() const
{
    m_connection->requireOwnerThread("schemaVersion");
    return m_connection->schemaVersion("read the schema version");
}

std::string InspectionStore::journalMode() const
{
    m_connection->requireOwnerThread("journalMode");
    return stdText(m_connection->scalar("PRAGMA journal_mode", {}, "read the journal mode"));
}

std::string InspectionStore::synchronousMode() const
{
    m_connection->requireOwnerThread("synchronousMode");
    const int level = m_connection->scalar("PRAGMA synchronous", {}, "read the synchronous mode").toInt();
    constexpr std::string_view kNames[] = {"off", "normal", "full", "extra"};
    return level >= 0 && level < 4 ? std::string(kNames[level]) : std::to_string(level);
}

bool InspectionStore::hasForeignKeys() const
{
    m_connection->requireOwnerThread("hasForeignKeys");
    return m_connection->scalar("PRAGMA foreign_keys", {}, "read the foreign key setting").toInt() == 1;
}

std::string InspectionStore::quickCheck() const
{
    m_connection->requireOwnerThread("quickCheck");
    const auto lines = m_connection->rows("PRAGMA quick_check", {}, "check the file",
                                          [](const QSqlQuery &query) { return stdText(query.value(0)); });
    std::string report;
    for (const std::string &line : lines) {
        report += (report.empty() ? "" : "\n") + line;
    }
    return report;
}

void InspectionStore::checkWritable()
{
    m_connection->requireOwnerThread("checkWritable");
    const std::string action = "check that the database can be written";
    Connection::Transaction transaction(*m_connection, action);
    // A write that is rolled back: it needs the write lock and a writable file, and keeps nothing.
    m_connection->execute("PRAGMA user_version = " + std::to_string(m_connection->schemaVersion(action)), action);
}

void InspectionStore::setWriteHook(WriteHook hook)
{
    m_connection->requireOwnerThread("setWriteHook");
    m_connection->setWriteHook(std::move(hook));
}

std::filesystem::path InspectionStore::moveAside(const std::filesystem::path &file, Time now)
{
    const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &utc);
    std::filesystem::path target = file;
    target += std::string(".damaged-") + stamp;
    for (int n = 2; std::filesystem::exists(target) && n < 1000; ++n) {
        target = file;
        target += std::string(".damaged-") + stamp + "-" + std::to_string(n);
    }
    // The WAL and shared-memory files belong to the damaged file: they go with it, under its new name.
    for (const char *suffix : {"", "-wal", "-shm"}) {
        std::filesystem::path from = file;
        from += suffix;
        std::filesystem::path to = target;
        to += suffix;
        std::error_code error;
        if (!std::filesystem::exists(from, error)) {
            continue;
        }
        std::filesystem::rename(from, to, error);
        if (error) {
            throw StoreError(file, "move the damaged database aside to " + to.string(), error.message());
        }
    }
    return target;
}

std::optional<std::string> InspectionStore::findDamage(const std::filesystem::path &file)
{
    if (!std::filesystem::exists(file)) {
        return std::nullopt;
    }
    try {
        const InspectionStore store(file);
        const std::string check = store.quickCheck();
        if (check != "ok") {
            return "PRAGMA quick_check found: " + check.substr(0, check.find('\n'));
        }
    } catch (const StoreError &e) {
        if (e.isDamage()) {
            return e.problem();
        }
    }
    return std::nullopt;
}

std::string InspectionStore::integrityCheck() const
{
    m_connection->requireOwnerThread("integrityCheck");
    const auto lines = m_connection->rows("PRAGMA integrity_check", {}, "check integrity",
                                          [](const QSqlQuery &query) { return stdText(query.value(0)); });
    std::string report;
    for (const std::string &line : lines) {
        report += (report.empty() ? "" : "\n") + line;
    }
    return report;
}

void InspectionStore::beginRun(const RunRecord &run)
{
    m_connection->requireOwnerThread("beginRun");
    const std::string action = "begin " + runText(run.id);
    const Connection &connection = *m_connection;
    if (!run.id.isValid()) {
        connection.fail(action, "a run id must not be 0, which means no run");
    }
    if (run.id.value() > kLargestSqlInteger) {
        connection.fail(action, "a run id must be at most 2^63 - 1, SQLite's largest integer");
    }
    if (run.lotId.empty() || run.recipeName.empty()) {
        connection.fail(action, run.lotId.empty() ? "its lot id is empty" : "its recipe name is empty");
    }
    if (isFinal(run.state)) {
        connection.fail(action, "its state " + inQuotes(toText(run.state)) + " is final; a run begins in a non-final state");
    }
    if (run.endedAt || !run.endReason.empty()) {
        connection.fail(action, "it has an end time or end reason; a run begins open");
    }
    Connection::Transaction transaction(connection, action);
    QSqlQuery query = connection.prepare(insertInto("runs", kRunColumns), action);
    query.bindValue(0, nullable(run.id));
    query.bindValue(1, qText(run.lotId));
    query.bindValue(2, qText(run.recipeName));
    query.bindValue(3, qText(run.recipeSummary));
    query.bindValue(4, qText(run.recipeJson));
    query.bindValue(5, qText(toText(run.state)));
    query.bindValue(6, nanoseconds(run.startedAt));
    query.bindValue(7, QVariant());
    query.bindValue(8, QVariant());
    connection.execute(query, action, {});
    transaction.commit();
}

void InspectionStore::setRunState(RunId runId, RunState state)
{
    m_connection->requireOwnerThread("setRunState");
    const std::string action = "set " + runText(runId) + " to " + inQuotes(toText(state));
    const Connection &connection = *m_connection;
    if (isFinal(state)) {
        connection.fail(action, "the state is final; endRun() ends a run");
    }
    Connection::Transaction transaction(connection, action);
    QSqlQuery query = connection.prepare(
        "UPDATE runs SET state = ? WHERE id = ? AND state IN (" + openStates() + ")", action);
    query.bindValue(0, qText(toText(state)));
    query.bindValue(1, nullable(runId));
    connection.execute(query, action, {});
    if (query.numRowsAffected() == 0) {
        connection.fail(action, connection.whyRunIsNotOpen(runId, action));
    }
    transaction.commit();
}

void InspectionStore::endRun(RunId runId, RunState state, std::string_view reason, Time endedAt)
{
    m_connection->requireOwnerThread("endRun");
    const std::string action = "end " + runText(runId) + " as " + inQuotes(toText(state));
    const Connection &connection = *m_connection;
    if (!isFinal(state)) {
        connection.fail(action, "the state is not final; a run ends completed, aborted or failed");
    }
    if (reason.empty()) {
        connection.fail(action, "the end reason is empty");
    }
    Connection::Transaction transaction(connection, action);
    QSqlQuery run = connection.prepare("UPDATE runs SET state = ?, ended_ns = ?, end_reason = ? WHERE id = ? AND "
                                       "state IN (" + openStates() + ")",
                                       action);
    run.bindValue(0, qText(toText(state)));
    run.bindValue(1, nanoseconds(endedAt));
    run.bindValue(2, qText(reason));
    run.bindValue(3, nullable(runId));
    connection.execute(run, action, {});
    if (run.numRowsAffected() == 0) {
        connection.fail(action, connection.whyRunIsNotOpen(runId, action));
    }
    QSqlQuery wafers = connection.prepare("UPDATE wafers SET state = ?, ended_ns = ?, end_reason = ? WHERE run_id = ? "
                                          "AND state IN (" + openStates() + ")",
                                          action);
    wafers.bindValue(0, qText(toText(state)));
    wafers.bindValue(1, nanoseconds(endedAt));
    wafers.bindValue(2, qText(reason));
    wafers.bindValue(3, nullable(runId));
    connection.execute(wafers, action, "its open wafers");
    transaction.commit();
}

void InspectionStore::beginWafer(const WaferRecord &wafer)
{
    m_connection->requireOwnerThread("beginWafer");
    const std::string action = "begin " + waferText(wafer.runId, wafer.waferId);
    const Connection &connection = *m_connection;
    if (wafer.waferId.isEmpty()) {
        connection.fail(action, "its wafer id is empty");
    }
    if (wafer.slot < 1 || wafer.slot > 25) {
        connection.fail(action, "slot " + std::to_string(wafer.slot) + " is outside 1…25");
    }
    if (isFinal(wafer.state)) {
        connection.fail(action, "its state " + inQuotes(toText(wafer.state)) + " is final; a wafer begins in a non-final state");
    }
    if (wafer.endedAt || !wafer.endReason.empty() || wafer.dieCount != 0 || wafer.defectCount != 0 ||
        !wafer.klarfPath.empty()) {
        connection.fail(action, "it has an end time, end reason, counts or KLARF path; a wafer begins open");
    }
    Connection::Transaction transaction(connection, action);
    const QVariant isRunOpen = connection.scalar("SELECT state IN (" + openStates() + ") FROM runs WHERE id = ?",
                                                 {nullable(wafer.runId)}, action);
    if (isRunOpen.isNull() || isRunOpen.toInt() != 1) {
        connection.fail(action, connection.whyRunIsNotOpen(wafer.runId, action));
    }
    QSqlQuery query = connection.prepare(insertInto("wafers", kWaferColumns), action);
    query.bindValue(0, nullable(wafer.runId));
    query.bindValue(1, qText(wafer.waferId.text()));
    query.bindValue(2, wafer.slot);
    query.bindValue(3, qText(toText(wafer.state)));
    query.bindValue(4, nanoseconds(wafer.startedAt));
    query.bindValue(5, QVariant());
    query.bindValue(6, QVariant());
    query.bindValue(7, 0);
    query.bindValue(8, 0);
    query.bindValue(9, QVariant());
    connection.execute(query, action, {});
    transaction.commit();
}

void InspectionStore::setWaferState(RunId runId, const WaferId &waferId, RunState state)
{
    m_connection->requireOwnerThread("setWaferState");
    const std::string action = "set " + waferText(runId, waferId) + " to " + inQuotes(toText(state));
    const Connection &connection = *m_connection;
    if (isFinal(state)) {
        connection.fail(action, "the state is final; endWafer() ends a wafer");
    }
    Connection::Transaction transaction(connection, action);
    QSqlQuery query = connection.prepare(
        "UPDATE wafers SET state = ? WHERE run_id = ? AND wafer_id = ? AND state IN (" + openStates() + ")", action);
    query.bindValue(0, qText(toText(state)));
    query.bindValue(1, nullable(runId));
    query.bindValue(2, qText(waferId.text()));
    connection.execute(query, action, {});
    if (query.numRowsAffected() == 0) {
        connection.fail(action, connection.whyWaferIsNotOpen(runId, waferId, action));
    }
    transaction.commit();
}

void InspectionStore::endWafer(const WaferRecord &wafer)
{
    m_connection->requireOwnerThread("endWafer");
    const std::string action = "end " + waferText(wafer.runId, wafer.waferId) + " as " + inQuotes(toText(wafer.state));
    const Connection &connection = *m_connection;
    if (!isFinal(wafer.state)) {
        connection.fail(action, "the state is not final; a wafer ends completed, aborted or failed");
    }
    if (!wafer.endedAt) {
        connection.fail(action, "it has no end time");
    }
    if (wafer.dieCount < 0 || wafer.defectCount < 0) {
        connection.fail(action, "a count is negative (dies " + std::to_string(wafer.dieCount) + ", defects " +
                                    std::to_string(wafer.defectCount) + ")");
    }
    Connection::Transaction transaction(connection, action);
    QSqlQuery query = connection.prepare(
        "UPDATE wafers SET state = ?, ended_ns = ?, end_reason = ?, die_count = ?, defect_count = ?, klarf_path = ? "
        "WHERE run_id = ? AND wafer_id = ? AND state IN (" + openStates() + ")",
        action);
    query.bindValue(0, qText(toText(wafer.state)));
    query.bindValue(1, nullable(wafer.endedAt));
    query.bindValue(2, nullable(wafer.endReason));
    query.bindValue(3, static_cast<qint64>(wafer.dieCount));
    query.bindValue(4, static_cast<qint64>(wafer.defectCount));
    query.bindValue(5, nullable(wafer.klarfPath));
    query.bindValue(6, nullable(wafer.runId));
    query.bindValue(7, qText(wafer.waferId.text()));
    connection.execute(query, action, {});
    if (query.numRowsAffected() == 0) {
        connection.fail(action, connection.whyWaferIsNotOpen(wafer.runId, wafer.waferId, action));
    }
    transaction.commit();
}

DefectBatchResult InspectionStore::insertDefects(std::span<const DefectRecord> defects)
{
    m_connection->requireOwnerThread("insertDefects");
    if (defects.empty()) {
        return {};
    }
    const std::string action = "insert " + std::to_string(defects.size()) + " defects";
    const Connection &connection = *m_connection;
    DefectBatchResult result;
    Connection::Transaction transaction(connection, action);
    // DO NOTHING on the id alone: every other constraint (NOT NULL, CHECK, the foreign key) still fails.
    QSqlQuery insert = connection.prepare(insertInto("defects", kDefectColumns) + " ON CONFLICT (id) DO NOTHING", action);
    std::optional<QSqlQuery> stored;
    for (const DefectRecord &defect : defects) {
        if (defect.id == 0 || defect.id > kLargestSqlInteger) {
            connection.fail(action, defectText(defect) + ": a defect id must be 1 … 2^63 - 1");
        }
        if (defect.frameSequence > kLargestSqlInteger || defect.runId.value() > kLargestSqlInteger) {
            connection.fail(action, defectText(defect) + ": its run id or frame sequence exceeds 2^63 - 1");
        }
        bindDefect(insert, defect);
        connection.execute(insert, action, defectText(defect));
        if (insert.numRowsAffected() == 1) {
            ++result.storedCount;
            continue;
        }
        if (!stored) {
            stored = connection.prepare("SELECT " + std::string(kDefectColumns) + " FROM defects WHERE id = ?", action);
        }
        stored->bindValue(0, sqlInteger(defect.id));
        connection.execute(*stored, action, defectText(defect));
        if (!stored->next()) {
            connection.fail(action, defectText(defect) + ": SQLite stored nothing and reported no conflict");
        }
        const DefectRecord existing = defectFrom(*stored);
        stored->finish();
        if (existing != defect) {
            connection.fail(action, defectText(defect) + ": its id is already stored for another defect (" +
                                        defectText(existing) + "); a defect id names one defect");
        }
        ++result.duplicateCount;
    }
    transaction.commit();
    m_connection->countDuplicates(result.duplicateCount);
    return result;
}

void InspectionStore::insertAlarmEvents(std::span<const AlarmEventRecord> events)
{
    m_connection->requireOwnerThread("insertAlarmEvents");
    if (events.empty()) {
        return;
    }
    const std::string action = "insert " + std::to_string(events.size()) + " alarm events";
    const Connection &connection = *m_connection;
    Connection::Transaction transaction(connection, action);
    QSqlQuery query = connection.prepare(insertInto("alarm_events", kAlarmEventColumns), action);
    for (const AlarmEventRecord &record : events) {
        const AlarmEvent &event = record.event;
        const std::string row = "alarm event " + std::to_string(event.sequence) + " (" + std::string(toText(event.kind)) +
                                " of " + inQuotes(event.tag) + ")";
        if (event.sequence > kLargestSqlInteger || event.runId.value() > kLargestSqlInteger) {
            connection.fail(action, row + ": its sequence or run id exceeds 2^63 - 1");
        }
        query.bindValue(0, sqlInteger(event.sequence));
        query.bindValue(1, qText(toText(event.kind)));
        query.bindValue(2, qText(event.tag));
        query.bindValue(3, qText(toText(event.priority)));
        query.bindValue(4, qText(toText(event.from)));
        query.bindValue(5, qText(toText(event.to)));
        query.bindValue(6, qText(toText(event.trackedFrom)));
        query.bindValue(7, qText(toText(event.trackedTo)));
        query.bindValue(8, nanoseconds(record.occurredAt));
        query.bindValue(9, nanoseconds(event.at));
        query.bindValue(10, nullable(event.runId));
        query.bindValue(11, event.actor ? QVariant(qText(event.actor->userName)) : QVariant());
        query.bindValue(12, event.actor ? QVariant(qText(event.actor->role)) : QVariant());
        query.bindValue(13, qText(event.comment));
        query.bindValue(14, event.shelvedUntil ? QVariant(nanoseconds(*event.shelvedUntil)) : QVariant());
        connection.execute(query, action, row);
    }
    transaction.commit();
}

void InspectionStore::insertTelemetry(std::span<const TelemetrySample> samples)
{
    m_connection->requireOwnerThread("insertTelemetry");
    if (samples.empty()) {
        return;
    }
    const std::string action = "insert " + std::to_string(samples.size()) + " telemetry samples";
    const Connection &connection = *m_connection;
    Connection::Transaction transaction(connection, action);
    QSqlQuery query = connection.prepare(insertInto("telemetry", kTelemetryColumns), action);
    for (std::size_t i = 0; i < samples.size(); ++i) {
        const TelemetrySample &sample = samples[i];
        const std::string row = "sample " + std::to_string(i + 1) + " of channel " + inQuotes(sample.channel);
        if (sample.runId.value() > kLargestSqlInteger) {
            connection.fail(action, row + ": its run id exceeds 2^63 - 1");
        }
        query.bindValue(0, nullable(sample.runId));
        query.bindValue(1, qText(sample.channel));
        query.bindValue(2, nanoseconds(sample.at));
        query.bindValue(3, sample.value);
        connection.execute(query, action, row);
    }
    transaction.commit();
}

void InspectionStore::appendAudit(std::span<const AuditEntry> entries)
{
    m_connection->requireOwnerThread("appendAudit");
    if (entries.empty()) {
        return;
    }
    const std::string action = "append " + std::to_string(entries.size()) + " audit entries";
    const Connection &connection = *m_connection;
    Connection::Transaction transaction(connection, action);
    QSqlQuery query = connection.prepare(insertInto("audit", kAuditColumns), action);
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const AuditEntry &entry = entries[i];
        query.bindValue(0, qText(entry.userName));
        query.bindValue(1, qText(entry.role));
        query.bindValue(2, nanoseconds(entry.at));
        query.bindValue(3, qText(entry.action));
        query.bindValue(4, qText(entry.detail));
        connection.execute(query, action,
                           "entry " + std::to_string(i + 1) + " (" + inQuotes(entry.action) + " by " +
                               inQuotes(entry.userName) + ")");
    }
    transaction.commit();
}

DefectClass InspectionStore::reclassifyDefect(std::uint64_t defectId, DefectClass defectClass)
{
    m_connection->requireOwnerThread("reclassifyDefect");
    const std::string action = "reclassify defect " + std::to_string(defectId);
    const Connection &connection = *m_connection;
    if (defectId == 0 || defectId > kLargestSqlInteger) {
        connection.fail(action, "a defect id must be 1 … 2^63 - 1");
    }
    Connection::Transaction transaction(connection, action);
    const QVariant previous = connection.scalar("SELECT class FROM defects WHERE id = ?", {sqlInteger(defectId)}, action);
    if (previous.isNull()) {
        connection.fail(action, "no defect has id " + std::to_string(defectId));
    }
    // A defect of a run still going may yet be given again by a retried batch, which must find it
    // as it was stored.
    const QVariant runState = connection.scalar(
        "SELECT runs.state FROM defects JOIN runs ON runs.id = defects.run_id WHERE defects.id = ?",
        {sqlInteger(defectId)}, action);
    if (!isFinal(runStateFrom(runState))) {
        connection.fail(action, "its run has not ended (" + stdText(runState) + "); defects are reviewed after the run");
    }
    const DefectClass from = parsedName(parseDefectClass(stdText(previous)), previous, "class");
    QSqlQuery query = connection.prepare("UPDATE defects SET class = ? WHERE id = ?", action);
    query.bindValue(0, qText(toText(defectClass)));
    query.bindValue(1, sqlInteger(defectId));
    connection.execute(query, action, {});
    transaction.commit();
    return from;
}

std::vector<RunId> InspectionStore::recoverInterruptedRuns(Time now)
{
    m_connection->requireOwnerThread("recoverInterruptedRuns");
    const std::string action = "recover interrupted runs";
    const Connection &connection = *m_connection;
    Connection::Transaction transaction(connection, action);
    std::vector<RunId> recovered =
        connection.rows("SELECT id FROM runs WHERE state IN (" + openStates() + ") ORDER BY id", {}, action,
                        [](const QSqlQuery &query) { return runIdFrom(query.value(0)); });
    const QString aborted = qText(toText(RunState::Aborted));
    for (const RunId run : recovered) {
        QSqlQuery runUpdate = connection.prepare("UPDATE runs SET state = ?, ended_ns = ?, end_reason = ? WHERE id = ?", action);
        runUpdate.bindValue(0, aborted);
        runUpdate.bindValue(1, nanoseconds(now));
        runUpdate.bindValue(2, qText(kInterruptedReason));
        runUpdate.bindValue(3, nullable(run));
        connection.execute(runUpdate, action, runText(run));
        QSqlQuery waferUpdate = connection.prepare("UPDATE wafers SET state = ?, ended_ns = ?, end_reason = ? WHERE "
                                                   "run_id = ? AND state IN (" + openStates() + ")",
                                                   action);
        waferUpdate.bindValue(0, aborted);
        waferUpdate.bindValue(1, nanoseconds(now));
        waferUpdate.bindValue(2, qText(kInterruptedReason));
        waferUpdate.bindValue(3, nullable(run));
        connection.execute(waferUpdate, action, "the open wafers of " + runText(run));
    }
    transaction.commit();
    return recovered;
}

std::uint64_t InspectionStore::duplicateDefectCount() const
{
    m_connection->requireOwnerThread("duplicateDefectCount");
    return m_connection->duplicateDefects();
}

std::vector<RunSummary> InspectionStore::runs(std::size_t limit) const
{
    m_connection->requireOwnerThread("runs");
    const qint64 sqlLimit = static_cast<qint64>(std::min<std::uint64_t>(limit, kLargestSqlInteger));
    return m_connection->rows(
        "SELECT " + std::string(kRunColumns) +
            ", (SELECT COUNT(*) FROM wafers WHERE wafers.run_id = runs.id)"
            ", (SELECT COUNT(*) FROM defects WHERE defects.run_id = runs.id)"
            // The start is audited (by the console or the host) just before the engine begins the
            // run, with the detail "lot <id>, …".
            ", (SELECT user_name FROM audit WHERE action = 'run.start' AND at_ns <= runs.started_ns"
            "   AND substr(detail, 1, length(runs.lot_id) + 5) = 'lot ' || runs.lot_id || ','"
            "   ORDER BY at_ns DESC, id DESC LIMIT 1)"
            " FROM runs ORDER BY started_ns DESC, id DESC LIMIT ?",
        {sqlLimit}, "list runs", [](const QSqlQuery &query) {
            return RunSummary{runFrom(query), query.value(9).toLongLong(), query.value(10).toLongLong(),
                              stdText(query.value(11))};
        });
}

std::optional<RunRecord> InspectionStore::run(RunId runId) const
{
    m_connection->requireOwnerThread("run");
    auto found = m_connection->rows("SELECT " + std::string(kRunColumns) + " FROM runs WHERE id = ?",
                                    {nullable(runId)}, "read " + runText(runId), runFrom);
    return found.empty() ? std::nullopt : std::optional<RunRecord>(std::move(found.front()));
}

std::vector<WaferRecord> InspectionStore::wafers(RunId runId) const
{
    m_connection->requireOwnerThread("wafers");
    return m_connection->rows("SELECT " + std::string(kWaferColumns) + " FROM wafers WHERE run_id = ? ORDER BY id",
                              {nullable(runId)}, "read the wafers of " + runText(runId), waferFrom);
}

std::vector<DefectRecord> InspectionStore::defects(RunId runId) const
{
    m_connection->requireOwnerThread("defects");
    return m_connection->rows("SELECT " + std::string(kDefectColumns) + " FROM defects WHERE run_id = ? ORDER BY id",
                              {nullable(runId)}, "read the defects of " + runText(runId), defectFrom);
}

std::vector<DefectRecord> InspectionStore::defects(RunId runId, const WaferId &waferId) const
{
    m_connection->requireOwnerThread("defects");
    return m_connection->rows("SELECT " + std::string(kDefectColumns) +
                                  " FROM defects WHERE run_id = ? AND wafer_id = ? ORDER BY id",
                              {nullable(runId), qText(waferId.text())},
                              "read the defects of " + waferText(runId, waferId), defectFrom);
}

std::int64_t InspectionStore::defectCount(RunId runId) const
{
    m_connection->requireOwnerThread("defectCount");
    return m_connection
        ->scalar("SELECT COUNT(*) FROM defects WHERE run_id = ?", {nullable(runId)},
                 "count the defects of " + runText(runId))
        .toLongLong();
}

std::int64_t InspectionStore::defectCount(RunId runId, const WaferId &waferId) const
{
    m_connection->requireOwnerThread("defectCount");
    return m_connection
        ->scalar("SELECT COUNT(*) FROM defects WHERE run_id = ? AND wafer_id = ?",
                 {nullable(runId), qText(waferId.text())}, "count the defects of " + waferText(runId, waferId))
        .toLongLong();
}

std::vector<AlarmEventRecord> InspectionStore::alarmEvents(RunId runId) const
{
    m_connection->requireOwnerThread("alarmEvents");
    // IS, not =, so that NULL (no run) matches NULL.
    return m_connection->rows("SELECT " + std::string(kAlarmEventColumns) +
                                  " FROM alarm_events WHERE run_id IS ? ORDER BY id",
                              {nullable(runId)}, "read the alarm events of " + runText(runId), alarmEventFrom);
}

std::vector<AlarmEventRecord> InspectionStore::recentAlarmEvents(std::size_t limit) const
{
    m_connection->requireOwnerThread("recentAlarmEvents");
    const qint64 sqlLimit = static_cast<qint64>(std::min<std::uint64_t>(limit, kLargestSqlInteger));
    return m_connection->rows("SELECT " + std::string(kAlarmEventColumns) +
                                  " FROM alarm_events ORDER BY occurred_ns DESC, id DESC LIMIT ?",
                              {sqlLimit}, "read the recent alarm events", alarmEventFrom);
}

std::vector<AlarmEventRecord> InspectionStore::alarmEventsBetween(Time from, Time to, std::size_t limit) const
{
    m_connection->requireOwnerThread("alarmEventsBetween");
    const qint64 sqlLimit = static_cast<qint64>(std::min<std::uint64_t>(limit, kLargestSqlInteger));
    return m_connection->rows("SELECT " + std::string(kAlarmEventColumns) +
                                  " FROM alarm_events WHERE occurred_ns >= ? AND occurred_ns <= ?"
                                  " ORDER BY occurred_ns, id LIMIT ?",
                              {nanoseconds(from), nanoseconds(to), sqlLimit}, "read the alarm events of a period",
                              alarmEventFrom);
}

std::optional<DefectRecord> InspectionStore::defect(std::uint64_t defectId) const
{
    m_connection->requireOwnerThread("defect");
    const qint64 id = static_cast<qint64>(std::min<std::uint64_t>(defectId, kLargestSqlInteger));
    auto found = m_connection->rows("SELECT " + std::string(kDefectColumns) + " FROM defects WHERE id = ?", {id},
                                    "read defect " + std::to_string(defectId), defectFrom);
    return found.empty() ? std::nullopt : std::optional<DefectRecord>(std::move(found.front()));
}

std::vector<AuditEntry> InspectionStore::auditEntries(std::size_t limit) const
{
    m_connection->requireOwnerThread("auditEntries");
    const qint64 sqlLimit = static_cast<qint64>(std::min<std::uint64_t>(limit, kLargestSqlInteger));
    return m_connection->rows(
        "SELECT " + std::string(kAuditColumns) + " FROM audit ORDER BY at_ns DESC, id DESC LIMIT ?", {sqlLimit},
        "read the audit entries", [](const QSqlQuery &query) {
            return AuditEntry{stdText(query.value(0)), stdText(query.value(1)), systemTime(query.value(2)),
                              stdText(query.value(3)), stdText(query.value(4))};
        });
}

std::vector<TelemetrySample> InspectionStore::telemetry(RunId runId) const
{
    m_connection->requireOwnerThread("telemetry");
    return m_connection->rows(
        "SELECT " + std::string(kTelemetryColumns) + " FROM telemetry WHERE run_id IS ? ORDER BY at_ns, id",
        {nullable(runId)}, "read the telemetry of " + runText(runId), [](const QSqlQuery &query) {
            return TelemetrySample{runIdFrom(query.value(0)), stdText(query.value(1)), systemTime(query.value(2)),
                                   query.value(3).toDouble()};
        });
}

std::vector<TelemetrySample> InspectionStore::telemetry(const std::string &channel, Time from, Time to,
                                                       std::size_t limit) const
{
    m_connection->requireOwnerThread("telemetry");
    const qint64 sqlLimit = static_cast<qint64>(std::min<std::uint64_t>(limit, kLargestSqlInteger));
    return m_connection->rows(
        "SELECT " + std::string(kTelemetryColumns) +
            " FROM telemetry WHERE channel = ? AND at_ns >= ? AND at_ns <= ? ORDER BY at_ns, id LIMIT ?",
        {QString::fromStdString(channel), nanoseconds(from), nanoseconds(to), sqlLimit},
        "read the telemetry of channel " + channel, [](const QSqlQuery &query) {
            return TelemetrySample{runIdFrom(query.value(0)), stdText(query.value(1)), systemTime(query.value(2)),
                                   query.value(3).toDouble()};
        });
}

std::int64_t InspectionStore::telemetryCount() const
{
    m_connection->requireOwnerThread("telemetryCount");
    return m_connection->scalar("SELECT COUNT(*) FROM telemetry", {}, "count the telemetry samples").toLongLong();
}

std::int64_t InspectionStore::telemetryCount(RunId runId) const
{
    m_connection->requireOwnerThread("telemetryCount");
    return m_connection
        ->scalar("SELECT COUNT(*) FROM telemetry WHERE run_id IS ?", {nullable(runId)},
                 "count the telemetry samples of " + runText(runId))
        .toLongLong();
}

} // namespace waferscope::core
