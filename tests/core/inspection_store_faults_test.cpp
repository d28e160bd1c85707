// The inspection store under faults a test can make without privileges: a database file truncated
// or overwritten with garbage (damage), and the write hook standing in for a full disk.

#include <QCoreApplication>
#include <QTest>

#include <array>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "store_fixtures.h"

using namespace waferscope;
using core::InspectionStore;
using namespace waferscope::testing::store;

namespace {

/// A store with one run, one wafer and `count` defects, closed again.
void fill(const std::filesystem::path &file, std::size_t count)
{
    InspectionStore store(file);
    store.beginRun(runRecord(1));
    store.beginWafer(waferRecord(core::RunId(1), 1));
    static_cast<void>(store.insertDefects(defects(1, count, core::RunId(1), core::WaferId("W-1"))));
}

void truncate(const std::filesystem::path &file, std::uintmax_t size)
{
    std::filesystem::resize_file(file, size);
}

} // namespace

class InspectionStoreFaultsTest : public QObject
{
    Q_OBJECT

private slots:
    void twoConnectionsOpeningANewFileAtOnceBothSucceed()
    {
        // The persistence writer and a reader (a view model, a test) may open a new database in
        // the same moment: both find it in rollback mode and both switch it to WAL, which SQLite
        // refuses to the second at once. Each open must still succeed, on every try.
        constexpr int kTries = 40;
        for (int attempt = 0; attempt < kTries; ++attempt) {
            StoreFolder folder;
            std::atomic<int> ready{0};
            std::array<std::string, 2> errors;
            std::array<std::thread, 2> openers;
            for (std::size_t i = 0; i < openers.size(); ++i) {
                openers[i] = std::thread([&, i] {
                    ready.fetch_add(1);
                    while (ready.load() < 2) {
                        std::this_thread::yield();
                    }
                    try {
                        InspectionStore store(folder.file());
                        static_cast<void>(store.runs(10));
                    } catch (const std::exception &e) {
                        errors[i] = e.what();
                    }
                });
            }
            for (std::thread &opener : openers) {
                opener.join();
            }
            QVERIFY2(errors[0].empty(), errors[0].c_str());
            QVERIFY2(errors[1].empty(), errors[1].c_str());
            InspectionStore store(folder.file());
            QCOMPARE(store.journalMode(), std::string("wal"));
        }
    }

    void truncatedFileIsReportedAsDamage()
    {
        StoreFolder folder;
        const auto file = folder.file();
        fill(file, 2000);
        // Checkpointed on close: the defects are in the main file, whose tail is now cut off.
        QVERIFY(std::filesystem::file_size(file) > 3 * 4096);
        truncate(file, 3 * 4096);
        const std::optional<std::string> damage = InspectionStore::findDamage(file);
        QVERIFY2(damage.has_value(), "a truncated database was not found damaged");
        qInfo("damage: %s", damage->c_str());
    }

    void garbageFileIsDamageNamedInTheError()
    {
        StoreFolder folder;
        const auto file = folder.file();
        {
            std::ofstream out(file, std::ios::binary);
            for (int i = 0; i < 2000; ++i) {
                out << "not a database at all ";
            }
        }
        const auto error = storeErrorOf([&] { InspectionStore store(file); });
        QVERIFY(error.has_value());
        QVERIFY(error->isDamage());
        QVERIFY2(contains(error->what(), file.string()), error->what());
        QVERIFY(InspectionStore::findDamage(file).has_value());
    }

    void soundOrMissingFileIsNotDamage()
    {
        StoreFolder folder;
        const auto file = folder.file();
        QVERIFY(!InspectionStore::findDamage(file).has_value());
        QVERIFY(!std::filesystem::exists(file)); // looking creates nothing
        fill(file, 10);
        QVERIFY(!InspectionStore::findDamage(file).has_value());
        InspectionStore store(file);
        QCOMPARE(store.quickCheck(), std::string("ok"));
    }

    void refusalThatIsNotDamageIsNotMarkedAsDamage()
    {
        StoreFolder folder;
        const auto file = folder.file();
        InspectionStore store(file);
        store.beginRun(runRecord(1));
        const auto error = storeErrorOf([&] { store.beginRun(runRecord(1)); }); // the same id twice
        QVERIFY(error.has_value());
        QVERIFY(!error->isDamage());
    }

    void moveAsideKeepsTheFileAndItsWalUnderATimestampedName()
    {
        StoreFolder folder;
        const auto file = folder.file();
        fill(file, 10);
        std::filesystem::path wal = file;
        wal += "-wal";
        std::ofstream(wal) << "wal";
        const std::filesystem::path kept = InspectionStore::moveAside(file, at(0));
        QCOMPARE(kept.filename().string(), file.filename().string() + ".damaged-20240617T140000Z");
        QVERIFY(!std::filesystem::exists(file));
        QVERIFY(!std::filesystem::exists(wal));
        QVERIFY(std::filesystem::exists(kept));
        std::filesystem::path keptWal = kept;
        keptWal += "-wal";
        QVERIFY(std::filesystem::exists(keptWal));
        // A second damaged file at the same second does not overwrite the first.
        fill(file, 1);
        const std::filesystem::path second = InspectionStore::moveAside(file, at(0));
        QVERIFY(second != kept);
        QVERIFY(std::filesystem::exists(kept) && std::filesystem::exists(second));
    }

    void writeHookThatThrowsFailsTheWriteAndStoresNothing()
    {
        StoreFolder folder;
        InspectionStore store(folder.file());
        store.beginRun(runRecord(1));
        store.beginWafer(waferRecord(core::RunId(1), 1));
        std::string seen;
        store.setWriteHook([&seen](const std::string &action) {
            seen = action;
            throw std::runtime_error("database or disk is full");
        });
        const auto batch = defects(1, 5, core::RunId(1), core::WaferId("W-1"));
        bool isRefused = false;
        try {
            static_cast<void>(store.insertDefects(batch));
        } catch (const std::runtime_error &e) {
            isRefused = std::string(e.what()) == "database or disk is full";
        }
        QVERIFY(isRefused);
        QVERIFY2(contains(seen, "5 defects"), seen.c_str());
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, store.checkWritable());
        store.setWriteHook({});
        QCOMPARE(store.defectCount(core::RunId(1)), std::int64_t(0));
        const core::DefectBatchResult result = store.insertDefects(batch);
        QCOMPARE(result.storedCount, std::size_t(5));
        store.checkWritable();
    }
};

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    InspectionStoreFaultsTest test;
    return QTest::qExec(&test, argc, argv);
}

#include "inspection_store_faults_test.moc"
