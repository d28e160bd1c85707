// The persistence writer when storage fails: a store that refuses writes (the store's write hook
// standing in for a full disk), a damaged database file at start, a run aborted during an outage.
// On the manual executor: time passes only when the test says so.

#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <chrono>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <waferscope/core/persistence/inspection_store.h>
#include <waferscope/pipelines/persistence/persistence_writer.h>
#include <waferscope/testing/manual_executor.h>

using namespace std::chrono_literals;
using namespace waferscope;
using pipelines::PersistenceCommand;
using pipelines::PersistenceWriter;
using pipelines::RunLedger;

namespace {

const auto kStart = std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000));
const core::RunId kRun(21);

core::RunRecord runRecord()
{
    core::RunRecord run;
    run.id = kRun;
    run.lotId = "LOT1";
    run.recipeName = "default";
    run.recipeSummary = "300 mm";
    run.state = core::RunState::Running;
    run.startedAt = kStart;
    return run;
}

core::WaferRecord waferRecord()
{
    core::WaferRecord record;
    record.runId = kRun;
    record.waferId = core::WaferId("W01");
    record.state = core::RunState::Running;
    record.startedAt = kStart;
    return record;
}

core::DefectRecord defect(std::uint64_t id)
{
    core::DefectRecord d;
    d.id = id;
    d.runId = kRun;
    d.waferId = core::WaferId("W01");
    d.die = core::DieIndex{3, 4};
    d.box = {10, 20, 5, 6};
    d.xRelUm = 100.0 + static_cast<double>(id);
    d.defectClass = core::DefectClass::ParticleBright;
    d.detectedAt = kStart + std::chrono::seconds(id);
    return d;
}

template<typename T>
void send(runtime::Channel<PersistenceCommand> &commands, T &&payload)
{
    QVERIFY(commands.tryWrite(PersistenceCommand(std::forward<T>(payload))));
}

/// The file's lines, up to the zero bytes of its reserve while its run is open.
std::vector<std::string> linesOf(const std::filesystem::path &file)
{
    std::ifstream in(file);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line) && !line.starts_with('\0');) {
        lines.push_back(line);
    }
    return lines;
}

bool hasZeroBytes(const std::filesystem::path &file)
{
    std::ifstream in(file, std::ios::binary);
    for (char c = 0; in.get(c);) {
        if (c == '\0') {
            return true;
        }
    }
    return false;
}

/// A writer on a manual executor in a temporary folder, whose store fails while `isFailing`.
struct WriterRig {
    explicit WriterRig(PersistenceWriter::Options options = {}, bool isDamaged = false)
        : root(dir.path().toStdString())
    {
        if (isDamaged) {
            std::ofstream out(database(), std::ios::binary);
            for (int i = 0; i < 1000; ++i) {
                out << "garbage, not a database ";
            }
        }
        options.retryDelay = 1s;
        options.writeHook = [flag = isFailing](const std::string &) {
            if (flag->load()) {
                throw std::runtime_error("database or disk is full");
            }
        };
        options.onOutage = [this](PersistenceWriter::Outage outage, const std::string &reason) {
            outages.emplace_back(outage, reason);
        };
        writer = std::make_unique<PersistenceWriter>(
            database(), [this](const std::string &e) { errors.push_back(e); }, nullptr, std::move(options));
        executor.spawn(writer->run(commands));
        executor.runReady();
    }

    ~WriterRig()
    {
        commands.complete();
        executor.advance(1h); // bounded: whatever outage is left ends by its limit
    }

    [[nodiscard]] std::filesystem::path database() const { return root / "inspection.db"; }

    void beginRunAndWafer()
    {
        send(commands, PersistenceCommand::BeginRun{runRecord(), ledger});
        send(commands, PersistenceCommand::BeginWafer{waferRecord()});
        executor.runReady();
    }

    std::string probe()
    {
        auto answer = std::make_shared<std::optional<std::string>>();
        send(commands, PersistenceCommand::Probe{[answer](const std::string &problem) { *answer = problem; }});
        executor.runReady();
        return answer->value_or("no answer");
    }

    QTemporaryDir dir;
    std::filesystem::path root;
    std::shared_ptr<std::atomic<bool>> isFailing = std::make_shared<std::atomic<bool>>(false);
    std::vector<std::string> errors;
    std::vector<std::pair<PersistenceWriter::Outage, std::string>> outages;
    std::shared_ptr<RunLedger> ledger = std::make_shared<RunLedger>();
    testing::ManualExecutor executor;
    runtime::Channel<PersistenceCommand> commands{"persistence", runtime::ChannelOptions{64, runtime::FullMode::Wait, false}};
    std::unique_ptr<PersistenceWriter> writer;
};

} // namespace

class PersistenceWriterFaultsTest : public QObject
{
    Q_OBJECT

private slots:
    void failedStoreHoldsDefectsAndStoresThemOnceInOrderWhenStorageRecovers()
    {
        WriterRig rig;
        rig.beginRunAndWafer();
        rig.isFailing->store(true);
        for (std::uint64_t id = 1; id <= 5; ++id) {
            send(rig.commands, defect(id));
        }
        bool flushed = false;
        send(rig.commands, PersistenceCommand::Flush{[&flushed] { flushed = true; }});
        rig.executor.runReady();
        QVERIFY(rig.writer->isStoreFailing());
        QCOMPARE(rig.outages.size(), 1u);
        QCOMPARE(rig.outages[0].first, PersistenceWriter::Outage::Began);
        QVERIFY2(rig.outages[0].second.find("database or disk is full") != std::string::npos,
                 rig.outages[0].second.c_str());

        rig.executor.advance(5s); // five more attempts, all refused; nothing after the journal runs
        QVERIFY(!flushed);
        QVERIFY(rig.writer->isStoreFailing());
        QCOMPARE(rig.writer->defectsStored(), 0u);
        QVERIFY(rig.writer->writesFailed() >= 5);
        QVERIFY(rig.probe() == "no answer"); // queued behind the journal

        rig.isFailing->store(false);
        rig.executor.advance(1s);
        QVERIFY(flushed);
        QVERIFY(!rig.writer->isStoreFailing());
        QCOMPARE(rig.outages.size(), 2u);
        QCOMPARE(rig.outages[1].first, PersistenceWriter::Outage::Ended);
        QCOMPARE(rig.writer->defectsStored(), 5u);
        QCOMPARE(rig.writer->defectsUnstored(), 0u);
        QCOMPARE(rig.writer->outages(), 1u);
        QCOMPARE(rig.ledger->totals().defectsStored, 5u);
        const core::InspectionStore store(rig.database());
        std::vector<std::uint64_t> ids;
        for (const core::DefectRecord &d : store.defects(kRun)) {
            ids.push_back(d.id);
        }
        QCOMPARE(ids, (std::vector<std::uint64_t>{1, 2, 3, 4, 5}));
        QCOMPARE(store.duplicateDefectCount(), 0u);
    }

    void abandonedJournalKeepsItsDefectsInAFileNextToTheDatabaseAndTheRunWindsDownFast()
    {
        WriterRig rig;
        rig.beginRunAndWafer();
        rig.isFailing->store(true);
        for (std::uint64_t id = 1; id <= 3; ++id) {
            send(rig.commands, defect(id));
        }
        send(rig.commands, PersistenceCommand::SetRunState{kRun, core::RunState::Paused});
        rig.executor.runReady();
        QVERIFY(rig.writer->isStoreFailing());

        rig.writer->abandonJournal("aborted by the operator");
        send(rig.commands, defect(4)); // detected after the abort: to the file at once
        send(rig.commands, PersistenceCommand::EndRun{kRun, core::RunState::Aborted, "aborted by the operator", kStart});
        bool flushed = false;
        send(rig.commands, PersistenceCommand::Flush{[&flushed] { flushed = true; }});
        rig.executor.advance(100ms); // one outage slice: no lifecycle retry waits on the fake clock
        QVERIFY(flushed);
        QVERIFY(!rig.writer->isStoreFailing());
        QCOMPARE(rig.writer->defectsUnstored(), 4u);
        QCOMPARE(rig.ledger->totals().defectsUnstored, 4u);
        const std::filesystem::path file = rig.writer->unstoredFile();
        QCOMPARE(file.parent_path(), rig.root);
        QVERIFY2(file.filename().string().starts_with("inspection.db.unstored-"), file.c_str());
        QVERIFY(!hasZeroBytes(file)); // the run's end cut the reserve's tail off
        const std::vector<std::string> lines = linesOf(file);
        QCOMPARE(lines.size(), 5u); // a header and one line a defect, in order
        QVERIFY(lines[0].starts_with("id\trun\twafer"));
        for (std::size_t i = 1; i <= 4; ++i) {
            QVERIFY2(lines[i].starts_with(std::to_string(i) + "\trun-21\tW01\t3\t4\t"), lines[i].c_str());
        }
        QVERIFY(!rig.errors.empty());
        bool isNamed = false;
        for (const std::string &e : rig.errors) {
            isNamed = isNamed || (e.find("aborted by the operator") != std::string::npos &&
                                  e.find(file.string()) != std::string::npos);
        }
        QVERIFY2(isNamed, rig.errors.back().c_str());
    }

    void writerStoppedDuringAnOutageKeepsTheHeldDefectsInTheFile()
    {
        WriterRig rig;
        rig.beginRunAndWafer();
        rig.isFailing->store(true);
        send(rig.commands, defect(1));
        send(rig.commands, defect(2));
        rig.executor.runReady();
        QVERIFY(rig.writer->isStoreFailing());
        rig.executor.cancelTimers(); // as the executor's shutdown does when the program ends
        rig.executor.runReady();
        QCOMPARE(rig.executor.liveJobs(), 0);
        QCOMPARE(rig.writer->defectsUnstored(), 2u);
        QVERIFY(!hasZeroBytes(rig.writer->unstoredFile()));
        QCOMPARE(linesOf(rig.writer->unstoredFile()).size(), 3u);
    }

    void outageThatOutlastsItsLimitIsGivenUpAndReported()
    {
        PersistenceWriter::Options options;
        options.maxOutage = 3s;
        WriterRig rig(options);
        rig.beginRunAndWafer();
        rig.isFailing->store(true);
        send(rig.commands, defect(1));
        send(rig.commands, defect(2));
        rig.executor.runReady();
        rig.executor.advance(2s);
        QCOMPARE(rig.outages.size(), 1u);
        rig.executor.advance(2s);
        QCOMPARE(rig.outages.size(), 2u);
        QCOMPARE(rig.outages[1].first, PersistenceWriter::Outage::GaveUp);
        QCOMPARE(rig.writer->defectsUnstored(), 2u);
        QCOMPARE(linesOf(rig.writer->unstoredFile()).size(), 3u);
        QVERIFY(hasZeroBytes(rig.writer->unstoredFile())); // written into the reserve, the run still open
        QVERIFY(!rig.writer->isStoreFailing());
    }

    void recordTheStoreRefusesAmongGoodOnesIsKeptAndTheRestStoredWithoutAnOutage()
    {
        WriterRig rig;
        rig.beginRunAndWafer();
        send(rig.commands, defect(1));
        core::DefectRecord stray = defect(2);
        stray.waferId = core::WaferId("W99"); // never begun
        send(rig.commands, stray);
        send(rig.commands, defect(3));
        bool flushed = false;
        send(rig.commands, PersistenceCommand::Flush{[&flushed] { flushed = true; }});
        rig.executor.runReady();
        QVERIFY(flushed);
        QCOMPARE(rig.writer->outages(), 0u);
        QCOMPARE(rig.writer->defectsStored(), 2u);
        QCOMPARE(rig.writer->defectsUnstored(), 1u);
        QCOMPARE(linesOf(rig.writer->unstoredFile()).size(), 2u);
    }

    void probeSaysWhetherTheDatabaseCanBeWritten()
    {
        WriterRig rig;
        QCOMPARE(rig.probe(), std::string());
        rig.isFailing->store(true);
        const std::string problem = rig.probe();
        QVERIFY2(problem.find("cannot be written") != std::string::npos &&
                     problem.find("database or disk is full") != std::string::npos,
                 problem.c_str());
    }

    void damagedDatabaseIsMovedAsideAndANewOneStartedWithAnAuditEntry()
    {
        WriterRig rig({}, true);
        QCOMPARE(rig.writer->databasesReplaced(), 1u);
        std::vector<std::filesystem::path> kept;
        for (const auto &entry : std::filesystem::directory_iterator(rig.root)) {
            if (entry.path().filename().string().starts_with("inspection.db.damaged-")) {
                kept.push_back(entry.path());
            }
        }
        QCOMPARE(kept.size(), 1u);
        QVERIFY(linesOf(kept[0]).front().starts_with("garbage, not a database"));
        QCOMPARE(rig.probe(), std::string());
        const core::InspectionStore store(rig.database());
        const auto audit = store.auditEntries(10);
        QCOMPARE(audit.size(), 1u);
        QCOMPARE(audit[0].action, std::string("database.replaced"));
        QVERIFY2(audit[0].detail.find(kept[0].string()) != std::string::npos, audit[0].detail.c_str());
        QVERIFY(!rig.errors.empty());
        QVERIFY2(rig.errors.back().find("moved to " + kept[0].string()) != std::string::npos, rig.errors.back().c_str());
    }

    void damagedDatabaseIsLeftAloneWhenRefusedAndNothingWaitsOnIt()
    {
        PersistenceWriter::Options options;
        options.onDamagedDatabase = pipelines::DamagedDatabasePolicy::Refuse;
        WriterRig rig(options, true);
        QCOMPARE(rig.writer->databasesReplaced(), 0u);
        const std::string problem = rig.probe();
        QVERIFY2(problem.find("is damaged") != std::string::npos, problem.c_str());
        // Every command fails at once, without a retry: the flush comes with no time passing.
        rig.beginRunAndWafer();
        send(rig.commands, defect(1));
        bool flushed = false;
        send(rig.commands, PersistenceCommand::Flush{[&flushed] { flushed = true; }});
        rig.executor.runReady();
        QVERIFY(flushed);
        QCOMPARE(rig.writer->defectsUnstored(), 1u);
        QVERIFY(linesOf(rig.database()).front().starts_with("garbage, not a database"));
    }
};

QTEST_GUILESS_MAIN(PersistenceWriterFaultsTest)
#include "persistence_writer_faults_test.moc"
