// The real program, killed with SIGKILL in the middle of a lot and started again on the same data
// folder: the interrupted run is marked aborted, every defect committed before the kill is still
// there (the same ids), and no half-written crop image or KLARF file is left.
//
// The test starts `waferscope --headless` on a lot of the quick recipe, watches the data folder —
// KLARF files appear as wafers end, and the database is read through its own read-only connection —
// and kills the program once two wafers are exported and defects of the next one are being committed,
// so the kill lands in a wafer with crops, defects and telemetry in flight. It then reads what the killed
// program left (read-only), starts the program again for a one-wafer lot, which recovers the store
// and clears stray temporary files at start-up as it always does, and checks the folder.

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTest>
#include <QTemporaryDir>

#include <opencv2/imgcodecs.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <string>
#include <thread>

#include <waferscope/core/persistence/inspection_store.h>
#include <waferscope/testing/watchdog.h>

#include "engine_fixtures.h"
#include "file_count.h"

using namespace std::chrono_literals;
using namespace waferscope;

using waferscope::testing::countFiles;

namespace {

const QString kBinary = QStringLiteral(WAFERSCOPE_BINARY);
const QString kRecipe = QStringLiteral(WAFERSCOPE_RECIPES_DIR "/quick-200mm.json");
constexpr int kWafers = 25; // the most the command line takes: far more than the kill leaves time for
constexpr std::size_t kKlarfFilesBeforeKill = 2;

/// What a read-only look at the database shows.
struct StoreView {
    std::uint64_t runId = 0;
    std::string runState;
    std::set<std::uint64_t> defectIds;
};

/// Reads the database through a read-only connection of its own, as another process would while
/// the program writes it; nullopt while it cannot be read yet (not created, schema not there).
std::optional<StoreView> peek(const std::filesystem::path &database)
{
    static int connections = 0;
    const QString name = QStringLiteral("peek-%1").arg(++connections);
    std::optional<StoreView> view;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(QString::fromStdString(database.string()));
        db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY;QSQLITE_BUSY_TIMEOUT=2000"));
        if (std::filesystem::exists(database) && db.open()) {
            QSqlQuery query(db);
            if (query.exec(QStringLiteral("SELECT id, state FROM runs ORDER BY id LIMIT 1")) && query.next()) {
                StoreView v;
                v.runId = query.value(0).toULongLong();
                v.runState = query.value(1).toString().toStdString();
                QSqlQuery defects(db);
                defects.prepare(QStringLiteral("SELECT id FROM defects WHERE run_id = ?"));
                defects.addBindValue(QVariant::fromValue(static_cast<qulonglong>(v.runId)));
                if (defects.exec()) {
                    while (defects.next()) {
                        v.defectIds.insert(defects.value(0).toULongLong());
                    }
                    view = std::move(v);
                }
            }
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return view;
}

/// Names a crash may leave: the image stager's ".tmp-*", QSaveFile's "<name>.klarf.XXXXXX" and the
/// KLARF writer's "<name>.tif.XXXXXX".
bool isTemporaryName(const std::string &name)
{
    const std::size_t klarf = name.rfind(".klarf.");
    const std::size_t tiff = name.rfind(".tif.");
    return name.starts_with(".tmp-") || (klarf != std::string::npos && klarf + 7 < name.size()) ||
           (tiff != std::string::npos && tiff + 5 < name.size());
}

std::string lastLine(const std::filesystem::path &file)
{
    std::ifstream in(file);
    std::string line;
    std::string last;
    while (std::getline(in, line)) {
        if (!line.empty()) {
            last = line;
        }
    }
    return last;
}

QStringList headlessArguments(const QString &lot, int wafers, const std::filesystem::path &folder)
{
    return {QStringLiteral("--headless"), QStringLiteral("--recipe"), kRecipe,
            QStringLiteral("--lot"),      lot,                        QStringLiteral("--wafers"),
            QString::number(wafers),      QStringLiteral("--out"),    QString::fromStdString(folder.string())};
}

} // namespace

class HeadlessCrashTest : public QObject
{
    Q_OBJECT

private slots:
    void killedMidRunKeepsEveryCommittedDefectAndLeavesNothingHalfWritten()
    {
        const testing::Watchdog watchdog("kill -9 and restart", 240s);
        QTemporaryDir dir;
        const std::filesystem::path data = dir.path().toStdString();
        const std::filesystem::path database = data / "inspection.db";

        // 1. Run a long lot and kill it once wafers are exported and defects committed.
        QProcess first;
        first.setProgram(kBinary);
        first.setArguments(headlessArguments(QStringLiteral("CRASH"), kWafers, data));
        first.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        first.start();
        QVERIFY2(first.waitForStarted(30000), qPrintable(first.errorString()));
        // The defects of the exported wafers, once they are; then the kill waits for more, so it
        // lands in a wafer whose defects are being committed.
        std::optional<std::size_t> exportedDefects;
        std::optional<StoreView> seen;
        const auto deadline = std::chrono::steady_clock::now() + 120s;
        for (;;) {
            QVERIFY2(first.state() == QProcess::Running,
                     qPrintable("the program ended before the kill: " + first.readAllStandardOutput()));
            QVERIFY2(std::chrono::steady_clock::now() < deadline, "no defects after the exported wafers in 120 s");
            if (countFiles(data / "klarf", ".klarf") >= kKlarfFilesBeforeKill) {
                seen = peek(database);
                if (seen && !exportedDefects) {
                    exportedDefects = seen->defectIds.size();
                } else if (seen && seen->defectIds.size() > *exportedDefects) {
                    break;
                }
            }
            first.waitForFinished(10); // polls, and lets the process's output be read
        }
        first.kill(); // SIGKILL
        QVERIFY(first.waitForFinished(30000));
        QCOMPARE(first.exitStatus(), QProcess::CrashExit);

        // 2. What the killed program left, before anything touches it again.
        std::size_t straysLeft = 0;
        for (const auto &entry : std::filesystem::recursive_directory_iterator(data)) {
            straysLeft += entry.is_regular_file() && isTemporaryName(entry.path().filename().string()) ? 1 : 0;
        }
        const std::optional<StoreView> killed = peek(database);
        QVERIFY2(killed.has_value(), "the killed program's database cannot be read");
        QVERIFY2(killed->runState != "completed" && killed->runState != "aborted" && killed->runState != "failed",
                 killed->runState.c_str());
        QVERIFY(killed->defectIds.size() >= seen->defectIds.size());
        qInfo("killed %s in state %s with %zu defects committed (%zu of them in exported wafers), %zu KLARF "
              "files and %zu stray temporary files",
              core::RunId(killed->runId).toString().c_str(), killed->runState.c_str(), killed->defectIds.size(),
              *exportedDefects, countFiles(data / "klarf", ".klarf"), straysLeft);

        // 3. Start the program again on the same folder: it recovers at start-up, then runs a lot.
        QProcess second;
        second.setProgram(kBinary);
        second.setArguments(headlessArguments(QStringLiteral("AFTER"), 1, data));
        second.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        second.start();
        QVERIFY2(second.waitForFinished(120000), "the restarted program did not finish within 120 s");
        QCOMPARE(second.exitStatus(), QProcess::NormalExit);
        const QByteArray output = second.readAllStandardOutput();
        QCOMPARE(second.exitCode(), 0);
        const QJsonObject summary = QJsonDocument::fromJson(output).object();
        QCOMPARE(summary.value(QStringLiteral("state")).toString(), QStringLiteral("completed"));
        QVERIFY(summary.value(QStringLiteral("ledger_balances")).toBool());

        // 4. The interrupted run: aborted, every committed defect intact, the file sound.
        const core::RunId run(killed->runId);
        const core::InspectionStore store(database);
        QCOMPARE(store.integrityCheck(), std::string("ok"));
        const std::optional<core::RunRecord> record = store.run(run);
        QVERIFY(record.has_value());
        QVERIFY2(record->state == core::RunState::Aborted, std::string(core::toText(record->state)).c_str());
        QCOMPARE(record->endReason, std::string(core::InspectionStore::kInterruptedReason));
        std::set<std::uint64_t> after;
        for (const core::DefectRecord &defect : store.defects(run)) {
            after.insert(defect.id);
        }
        QCOMPARE(after.size(), killed->defectIds.size());
        QVERIFY(after == killed->defectIds);
        std::size_t exported = 0;
        for (const core::WaferRecord &wafer : store.wafers(run)) {
            QVERIFY(wafer.state == core::RunState::Completed || wafer.state == core::RunState::Aborted);
            if (!wafer.klarfPath.empty()) {
                // A wafer's KLARF is written after its defects are stored: the two agree.
                ++exported;
                QCOMPARE(testing::klarfDefectLines(wafer.klarfPath), store.defects(run, wafer.waferId).size());
            }
        }
        QVERIFY(exported >= kKlarfFilesBeforeKill);

        // 5. No half-written file: no temporary names, every image decodes, every KLARF is whole.
        std::size_t images = 0;
        std::size_t klarfs = 0;
        std::size_t tiffs = 0;
        for (const auto &entry : std::filesystem::recursive_directory_iterator(data)) {
            if (!entry.is_regular_file()) {
                continue;
            }
            const std::filesystem::path &path = entry.path();
            const std::string name = path.filename().string();
            QVERIFY2(!isTemporaryName(name), ("a temporary file was left: " + path.string()).c_str());
            const std::string top = std::filesystem::relative(path, data).begin()->string();
            if (top == "staging") {
                QCOMPARE(path.extension().string(), std::string(".png"));
                const cv::Mat image = cv::imread(path.string(), cv::IMREAD_UNCHANGED);
                QVERIFY2(!image.empty(), ("does not decode: " + path.string()).c_str());
                ++images;
            } else if (top == "klarf" && path.extension() == ".tif") {
                ++tiffs; // its pages are checked by core/klarf_tiff
            } else if (top == "klarf") {
                QCOMPARE(path.extension().string(), std::string(".klarf"));
                QVERIFY2(lastLine(path) == "EndOfFile;", ("not whole: " + path.string()).c_str());
                ++klarfs;
            }
        }
        qInfo("after the restart: %zu crop images decode, %zu KLARF files end with EndOfFile, %zu TIFFs", images,
              klarfs, tiffs);
        QVERIFY(images > 0);
    }
};

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    HeadlessCrashTest test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "headless_crash_test.moc"
