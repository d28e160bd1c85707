#include <QCoreApplication>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlDriver>
#include <QTest>

#include <cstdio>
#include <exception>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <dlfcn.h>
#include <unistd.h>

#include <waferscope/core/persistence/inspection_store.h>

#include "store_fixtures.h"

// The parent test runs this same binary as a writer:
//   --crash-writer <file> <run> <first defect id> <park id>
// opens the store, begins the run and one wafer, and stores defect batches in a loop, printing
// "committed <n>" after each commit returns. The parent kills it with SIGKILL and checks the file.
// Where the kill lands is up to the scheduler, and on a busy machine it tends to land just after a
// report, between transactions. So a writer given a park id other than 0 stops inside the
// transaction that inserts that defect, says "parked", and waits there to be killed: the kill then
// lands, every time, on a batch half written.

using waferscope::core::InspectionStore;
using waferscope::core::RunId;
using waferscope::core::RunRecord;
using waferscope::core::RunState;
using waferscope::core::WaferId;
using waferscope::core::WaferRecord;
using namespace waferscope::testing::store;

namespace {

constexpr std::string_view kWriterFlag = "--crash-writer";
const WaferId kWafer("W-1");
constexpr std::size_t kBatchSize = 250;
/// Bounds a writer nobody kills (the parent died): a million defects, then it exits with kRanOut.
constexpr std::size_t kMaxBatches = 4000;
constexpr int kRanOut = 3;
constexpr int kWriterFailed = 2;

/// SQLite's update hook: the one place to run code between two inserts of one transaction. It is
/// looked up in the libsqlite3 that Qt's driver loaded, since the project does not link SQLite itself.
using UpdateCallback = void (*)(void *, int, const char *, const char *, long long);
using UpdateHookFunction = void *(*)(void *, UpdateCallback, void *);

std::uint64_t parkId = 0;

void parkAtDefect(void *, int, const char *, const char *table, long long rowId)
{
    // A defect's rowid is its id.
    if (std::string_view(table) == "defects" && static_cast<std::uint64_t>(rowId) == parkId) {
        std::printf("parked\n");
        std::fflush(stdout);
        for (;;) {
            pause();
        }
    }
}

/// Installs parkAtDefect on the store's connection; false when SQLite cannot be reached.
bool installPark(const InspectionStore &store)
{
    const QSqlDatabase database = QSqlDatabase::database(QString::fromStdString(store.connectionName()), false);
    const QVariant handle = database.driver()->handle();
    void *library = dlopen("libsqlite3.so.0", RTLD_LAZY | RTLD_NOLOAD);
    if (!handle.isValid() || qstrcmp(handle.typeName(), "sqlite3*") != 0 || library == nullptr) {
        return false;
    }
    auto *updateHook = reinterpret_cast<UpdateHookFunction>(dlsym(library, "sqlite3_update_hook"));
    if (updateHook == nullptr) {
        return false;
    }
    updateHook(*static_cast<void *const *>(handle.constData()), &parkAtDefect, nullptr);
    return true;
}

int runWriter(const std::filesystem::path &file, RunId run, std::uint64_t firstId)
{
    try {
        InspectionStore store(file);
        if (parkId != 0 && !installPark(store)) {
            std::fprintf(stderr, "writer failed: cannot reach SQLite's update hook\n");
            return kWriterFailed;
        }
        store.beginRun(runRecord(run.value(), 0, RunState::Running));
        store.beginWafer(waferRecord(run, 1));
        std::uint64_t committed = 0;
        for (std::size_t batch = 0; batch < kMaxBatches; ++batch) {
            std::ignore = store.insertDefects(defects(firstId + committed, kBatchSize, run, kWafer));
            committed += kBatchSize;
            std::printf("committed %llu\n", static_cast<unsigned long long>(committed));
            std::fflush(stdout);
        }
    } catch (const std::exception &error) {
        std::fprintf(stderr, "writer failed: %s\n", error.what());
        return kWriterFailed;
    }
    return kRanOut;
}

} // namespace

class InspectionStoreCrashTest : public QObject
{
    Q_OBJECT

private slots:
    void aWriterKilledInsideATransactionLosesThatBatchAndNothingElse()
    {
        const StoreFolder folder;
        std::uint64_t firstId = 1;
        for (const int batchesBeforeKill : {1, 4}) {
            const RunId run(static_cast<std::uint64_t>(batchesBeforeKill));
            const std::uint64_t committed = static_cast<std::uint64_t>(batchesBeforeKill) * kBatchSize;
            // Half of the next batch is inserted when the writer parks.
            const std::uint64_t park = firstId + committed + kBatchSize / 2;
            const std::uint64_t reported = killWriter(folder.file(), run, firstId, batchesBeforeKill, park);
            if (QTest::currentTestFailed()) {
                return;
            }
            QCOMPARE(reported, committed);
            checkRecovered(folder.file(), run, firstId, reported, reported);
            if (QTest::currentTestFailed()) {
                return;
            }
            firstId += committed;
        }
    }

    void aWriterKilledWhereverItIsLosesNoCommittedDefect()
    {
        const StoreFolder folder;
        std::uint64_t firstId = 1;
        for (const int batchesBeforeKill : {3, 5, 8}) {
            const RunId run(static_cast<std::uint64_t>(batchesBeforeKill));
            const std::uint64_t reported = killWriter(folder.file(), run, firstId, batchesBeforeKill, 0);
            if (QTest::currentTestFailed()) {
                return;
            }
            QVERIFY2(reported >= static_cast<std::uint64_t>(batchesBeforeKill) * kBatchSize,
                     std::to_string(reported).c_str());
            // The batch in flight may have committed before its report was printed.
            const std::uint64_t stored = checkRecovered(folder.file(), run, firstId, reported, reported + kBatchSize);
            if (QTest::currentTestFailed()) {
                return;
            }
            firstId += stored;
        }
    }

private:
    /// Starts a writer and kills it — after it reported `batches` commits, or, given a `park` id,
    /// once it parked inside the transaction that inserts that defect. Returns the last number of
    /// committed defects it reported, counting reports still in the pipe when it died.
    static std::uint64_t killWriter(const std::filesystem::path &file, RunId run, std::uint64_t firstId, int batches,
                                    std::uint64_t park)
    {
        QProcess writer;
        writer.setProgram(QCoreApplication::applicationFilePath());
        writer.setArguments({QString::fromUtf8(kWriterFlag.data(), static_cast<qsizetype>(kWriterFlag.size())),
                             QString::fromStdString(file.string()), QString::number(run.value()),
                             QString::number(firstId), QString::number(park)});
        writer.start();
        if (!writer.waitForStarted(30000)) {
            QTest::qFail("the writer did not start", __FILE__, __LINE__);
            return 0;
        }
        std::uint64_t reported = 0;
        int reports = 0;
        bool isParked = false;
        const auto readReports = [&] {
            while (writer.canReadLine()) {
                const QByteArray line = writer.readLine().trimmed();
                if (line.startsWith("committed ")) {
                    reported = line.mid(10).toULongLong();
                    ++reports;
                } else if (line == "parked") {
                    isParked = true;
                }
            }
        };
        while (park != 0 ? !isParked : reports < batches) {
            // Waits for the writer's output, not for time: the timeout only bounds a hung writer.
            if (!writer.waitForReadyRead(60000)) {
                QTest::qFail(("the writer stopped reporting: " + writer.readAllStandardError().toStdString()).c_str(),
                             __FILE__, __LINE__);
                return 0;
            }
            readReports();
        }
        writer.kill();
        writer.waitForFinished(30000);
        if (writer.exitStatus() != QProcess::CrashExit) {
            QTest::qFail(("the writer was not killed but exited with " + std::to_string(writer.exitCode())).c_str(),
                         __FILE__, __LINE__);
            return 0;
        }
        readReports();
        return reported;
    }

    /// Reopens the store after a killed writer and checks it: the file is intact, the run's defects
    /// are exactly whole batches from firstId on, at least `reported` and at most `most` of them, and
    /// recovery aborts the run and its wafer. Returns how many defects were stored.
    static std::uint64_t checkRecovered(const std::filesystem::path &file, RunId run, std::uint64_t firstId,
                                        std::uint64_t reported, std::uint64_t most)
    {
        // The writer never closed its connection, so its WAL file is still there to be replayed.
        [&] { QVERIFY(std::filesystem::exists(file.string() + "-wal")); }();
        InspectionStore store(file);
        const auto stored = static_cast<std::uint64_t>(store.defectCount(run));
        qInfo("%s: %llu defects reported committed, %llu stored", run.toString().c_str(),
              static_cast<unsigned long long>(reported), static_cast<unsigned long long>(stored));
        [&] {
            QCOMPARE(store.integrityCheck(), std::string("ok"));
            QVERIFY2(stored >= reported && stored <= most,
                     (std::to_string(stored) + " stored, " + std::to_string(reported) + " reported").c_str());
            QCOMPARE(stored % kBatchSize, std::uint64_t(0));
            QCOMPARE(store.defects(run), defects(firstId, stored, run, kWafer));

            QCOMPARE(store.recoverInterruptedRuns(at(3600)), std::vector<RunId>{run});
            const RunRecord record = *store.run(run);
            QCOMPARE(record.state, RunState::Aborted);
            QCOMPARE(record.endReason, std::string(InspectionStore::kInterruptedReason));
            const std::vector<WaferRecord> wafers = store.wafers(run);
            QCOMPARE(wafers.size(), std::size_t(1));
            QCOMPARE(wafers[0].state, RunState::Aborted);
            QCOMPARE(store.integrityCheck(), std::string("ok"));
        }();
        return stored;
    }
};

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    if (argc == 6 && std::string_view(argv[1]) == kWriterFlag) {
        parkId = std::stoull(argv[5]);
        return runWriter(argv[2], RunId(std::stoull(argv[3])), std::stoull(argv[4]));
    }
    InspectionStoreCrashTest test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "inspection_store_crash_test.moc"
