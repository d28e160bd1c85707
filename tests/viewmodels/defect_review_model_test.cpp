#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <chrono>
#include <string>
#include <vector>

#include <waferscope/core/persistence/inspection_store.h>
#include <waferscope/viewmodels/history/history_view_model.h>

#include "console_rig.h"

using waferscope::core::DefectClass;
using waferscope::core::DefectRecord;
using waferscope::core::InspectionStore;
using waferscope::core::RunId;
using waferscope::core::RunState;
using waferscope::core::WaferId;
using waferscope::testing::ConsoleRig;
using waferscope::viewmodels::DefectReviewModel;
using waferscope::viewmodels::HistoryViewModel;
using waferscope::viewmodels::SessionViewModel;

namespace {

const RunId kRun{5};

/// Defect `id` of wafer W-1 of kRun: a particle, larger with each id; odd ids have a staged crop.
DefectRecord defect(std::uint64_t id)
{
    DefectRecord d;
    d.id = id;
    d.runId = kRun;
    d.waferId = WaferId("W-1");
    d.die = {static_cast<int>(id), 2};
    d.box = {10 * static_cast<int>(id), 20, 6, 5};
    d.xRelUm = 100.0 * static_cast<double>(id);
    d.yRelUm = 50.0;
    d.xSizeUm = 12.0;
    d.ySizeUm = 10.0;
    d.areaUm2 = 1000.0 - 100.0 * static_cast<double>(id); // so area order is the reverse of id order
    d.defectClass = DefectClass::ParticleBright;
    if (id % 2 == 1) {
        d.imagePath = "/data/crops/" + std::to_string(id) + ".png";
    }
    d.detectedAt = std::chrono::system_clock::now();
    return d;
}

/// An ended run with one wafer and defects 1 … 4, stored as the persistence writer would.
void storeRun(ConsoleRig &rig)
{
    // Once the writer has stored an audit entry it has opened the database: opening it here cannot
    // race its switch to WAL.
    static_cast<void>(rig.audit());
    InspectionStore store(rig.engine->databaseFile());
    waferscope::core::RunRecord run;
    run.id = kRun;
    run.lotId = "LOT-REVIEW";
    run.recipeName = "quick-200mm";
    run.state = RunState::Running;
    run.startedAt = std::chrono::system_clock::now() - std::chrono::minutes(10);
    store.beginRun(run);
    waferscope::core::WaferRecord wafer;
    wafer.runId = kRun;
    wafer.waferId = WaferId("W-1");
    wafer.slot = 1;
    wafer.state = RunState::Running;
    wafer.startedAt = run.startedAt;
    store.beginWafer(wafer);
    std::ignore = store.insertDefects(std::vector<DefectRecord>{defect(1), defect(2), defect(3), defect(4)});
    store.endRun(kRun, RunState::Completed, "all wafers inspected", std::chrono::system_clock::now());
}

DefectClass storedClass(ConsoleRig &rig, std::uint64_t id)
{
    const InspectionStore store(rig.engine->databaseFile());
    return store.defect(id)->defectClass;
}

/// Another tool's KLARF 1.2 of a 200 mm wafer with four 40 × 40 mm dies around the centre and two
/// defects; `rowEnd` ends the second defect's row (a value too many makes it malformed at line 25).
QString writeForeignKlarf(const QTemporaryDir &folder, const QString &name, const std::string &rowEnd = "")
{
    const std::string text = "FileVersion 1 2;\n"
                             "FileTimestamp 03-02-24 08:15:00;\n"
                             "InspectionStationID \"OTHER\" \"SCAN-9\" \"T2\";\n"
                             "SampleType WAFER;\n"
                             "ResultTimestamp 03-02-24 08:10:00;\n"
                             "LotID \"AB12\";\n"
                             "SampleSize 1 200;\n"
                             "DeviceID \"DEV-9\";\n"
                             "DiePitch 40000.0 40000.0;\n"
                             "DieOrigin 0.0 0.0;\n"
                             "WaferID \"AB12-03\";\n"
                             "Slot 3;\n"
                             "SampleCenterLocation 40000.0 40000.0;\n"
                             "ClassLookup 2\n 1 \"0.3_open\"\n 2 \"Particle Dark\";\n"
                             "SampleTestPlan 4\n 0 0\n 1 0\n 0 1\n 1 1;\n"
                             "DefectRecordSpec 13 DEFECTID XREL YREL XINDEX YINDEX XSIZE YSIZE DEFECTAREA DSIZE "
                             "CLASSNUMBER TEST IMAGECOUNT IMAGELIST;\n"
                             "DefectList\n"
                             " 11 1000.0 2000.0 0 1 5.0 4.0 20.0 5.0 1 1 0 0\n"
                             " 12 30000.0 5000.0 1 0 8.0 8.0 50.0 8.0 2 1 0 0" + rowEnd + ";\n"
                             "EndOfFile;\n";
    QFile file(folder.filePath(name));
    if (!file.open(QIODevice::WriteOnly) || file.write(text.data(), static_cast<qint64>(text.size())) < 0) {
        return {};
    }
    return file.fileName();
}

bool hasReclassifyEntry(const std::vector<waferscope::core::AuditEntry> &audit)
{
    return std::any_of(audit.begin(), audit.end(), [](const auto &e) { return e.action == "defect.reclassify"; });
}

} // namespace

/// A past wafer's defects are reviewed from the History: each with its crop and measurements, and an
/// engineer's reclassification is stored and audited.
class DefectReviewModelTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void openingAWaferListsItsDefectsAndPickingOneShowsItsCropAndMeasurements()
    {
        ConsoleRig rig;
        storeRun(rig);
        SessionViewModel session(rig.services());
        HistoryViewModel history(rig.services(), session);
        QVERIFY(QCoro::waitFor(history.refreshTask()));
        QCOMPARE(history.runs().first().toMap().value("startedBy").toString(), QString());
        QCOMPARE(history.runs().first().toMap().value("endText").toString(), QString("Ended: all wafers inspected"));
        QVERIFY(QCoro::waitFor(history.openRunTask("5")));
        DefectReviewModel &review = *history.review();
        QCOMPARE(review.count(), 4);
        QVERIFY(!review.hasPick());
        QCOMPARE(review.headerData(DefectReviewModel::AreaColumn, Qt::Horizontal, Qt::DisplayRole).toString(),
                 QString("Area (µm²)"));

        review.pick(review.rowOf("3"));
        QVERIFY(review.hasPick());
        QCOMPARE(review.pickedId(), QString("3"));
        QCOMPARE(review.imageUrl(), QUrl::fromLocalFile("/data/crops/3.png"));
        QVERIFY2(review.detailText().contains("Defect 3 · Particle bright"), qPrintable(review.detailText()));
        QVERIFY2(review.detailText().contains("Die (3, 2) at x 300 µm"), qPrintable(review.detailText()));
        QCOMPARE(review.pickedClassIndex(), static_cast<int>(DefectClass::ParticleBright));
        // The picked defect is marked on the map, where its dot is.
        const auto dots = history.map()->dots();
        const auto dot = std::find_if(dots.begin(), dots.end(), [](const auto &d) { return d.id == 3; });
        QVERIFY(dot != dots.end());
        QVERIFY(history.map()->hasMark());
        QCOMPARE(history.map()->markMm(), QPointF(dot->xMm, dot->yMm));
        review.pick(review.rowOf("2"));
        QCOMPARE(review.imageUrl(), QUrl());
        QVERIFY(history.map()->hasMark());
        QVERIFY(history.map()->markMm() != QPointF(dot->xMm, dot->yMm));
        review.pick(-1);
        QVERIFY(!history.map()->hasMark());
        review.pick(review.rowOf("2"));

        review.sortBy(DefectReviewModel::AreaColumn);
        QCOMPARE(review.rowKey(0), QString("4"));
        QCOMPARE(review.cell(0, DefectReviewModel::AreaColumn), QString("600"));
    }

    void anEngineerReclassifiesADefectWhichIsStoredAuditedAndRedrawn()
    {
        ConsoleRig rig;
        storeRun(rig);
        SessionViewModel session(rig.services());
        HistoryViewModel history(rig.services(), session);
        QVERIFY(QCoro::waitFor(session.loginTask("engineer", "engineer")));
        QVERIFY(QCoro::waitFor(history.openRunTask("5")));
        DefectReviewModel &review = *history.review();
        review.pick(review.rowOf("2"));
        int redrawn = 0;
        connect(&review, &DefectReviewModel::defectsChanged, this, [&redrawn] { ++redrawn; });

        QVERIFY(QCoro::waitFor(review.reclassifyTask(static_cast<int>(DefectClass::Scratch))));
        QCOMPARE(review.errorText(), QString());
        QCOMPARE(storedClass(rig, 2), DefectClass::Scratch);
        QCOMPARE(storedClass(rig, 1), DefectClass::ParticleBright);
        QCOMPARE(review.cell(review.rowOf("2"), DefectReviewModel::ClassColumn), QString("Scratch"));
        QCOMPARE(review.pickedId(), QString("2"));
        QCOMPARE(review.pickedClassIndex(), static_cast<int>(DefectClass::Scratch));
        QCOMPARE(redrawn, 1);

        const auto audit = rig.audit();
        const auto entry = std::find_if(audit.begin(), audit.end(), [](const auto &e) { return e.action == "defect.reclassify"; });
        QVERIFY(entry != audit.end());
        QCOMPARE(entry->userName, std::string("engineer"));
        QCOMPARE(entry->role, std::string("engineer"));
        QCOMPARE(entry->detail, std::string("defect 2 of run-5, wafer W-1: particle-bright → scratch"));
    }

    void anOperatorMayNotReclassifyAndNothingChanges()
    {
        ConsoleRig rig;
        storeRun(rig);
        SessionViewModel session(rig.services());
        HistoryViewModel history(rig.services(), session);
        QVERIFY(QCoro::waitFor(session.loginTask("operator", "operator")));
        QVERIFY(QCoro::waitFor(history.openRunTask("5")));
        DefectReviewModel &review = *history.review();
        review.pick(review.rowOf("1"));
        QVERIFY(!QCoro::waitFor(review.reclassifyTask(static_cast<int>(DefectClass::Scratch))));
        QVERIFY2(review.errorText().contains("operator"), qPrintable(review.errorText()));
        QCOMPARE(storedClass(rig, 1), DefectClass::ParticleBright);
        QCOMPARE(review.cell(review.rowOf("1"), DefectReviewModel::ClassColumn), QString("Particle bright"));
        QVERIFY(!hasReclassifyEntry(rig.audit()));
    }

    void anEngineerOpensAnotherToolsKlarfBesideOurRunsReadOnly()
    {
        ConsoleRig rig;
        storeRun(rig);
        QTemporaryDir folder;
        const QString good = writeForeignKlarf(folder, "tool-t2.klarf");
        const QString bad = writeForeignKlarf(folder, "broken.klarf", " 99");
        QVERIFY(!good.isEmpty() && !bad.isEmpty());
        SessionViewModel session(rig.services());
        HistoryViewModel history(rig.services(), session);
        QVERIFY(QCoro::waitFor(session.loginTask("engineer", "engineer")));
        QVERIFY(QCoro::waitFor(history.openRunTask("5")));

        // A file dialog's URL opens it too.
        QVERIFY(QCoro::waitFor(history.openKlarfTask(QUrl::fromLocalFile(good).toString())));
        QCOMPARE(history.errorText(), QString());
        QCOMPARE(history.klarfTitle(), QString("KLARF tool-t2.klarf: lot AB12, wafer AB12-03, slot 3, from OTHER SCAN-9 T2"));
        QCOMPARE(history.openRunId(), QString());
        QVERIFY(history.wafers().isEmpty()); // nothing of ours to export or choose
        QCOMPARE(history.statusText(), QString("tool-t2.klarf: 2 defects on 4 dies; read only"));
        QCOMPARE(history.map()->dieCount(), 4);
        QCOMPARE(history.map()->defectCount(), 2);
        QCOMPARE(history.map()->diameterMm(), 200.0);
        DefectReviewModel &review = *history.review();
        QVERIFY(review.isImported());
        QCOMPARE(review.count(), 2);
        QCOMPARE(review.cell(review.rowOf("11"), DefectReviewModel::ClassColumn), QString("0.3_open"));
        QCOMPARE(review.cell(review.rowOf("12"), DefectReviewModel::ClassColumn), QString("Particle Dark"));
        // Defect 11: KLARF die (0, 1) is the top-left die, column 0 and row 0 here.
        QCOMPARE(review.cell(review.rowOf("11"), DefectReviewModel::DieColumn), QString("(0, 0)"));
        QCOMPARE(review.cell(review.rowOf("11"), DefectReviewModel::XColumn), QString("1000"));
        review.pick(review.rowOf("12"));
        QVERIFY2(review.detailText().contains("From another tool's KLARF file"), qPrintable(review.detailText()));
        QCOMPARE(review.imageUrl(), QUrl());
        QVERIFY(!QCoro::waitFor(review.reclassifyTask(static_cast<int>(DefectClass::Scratch))));
        QVERIFY2(review.errorText().contains("cannot be reclassified"), qPrintable(review.errorText()));
        QVERIFY(!hasReclassifyEntry(rig.audit()));

        // A malformed file names its line and reason, and what was shown stays.
        QVERIFY(!QCoro::waitFor(history.openKlarfTask(bad)));
        QVERIFY2(history.errorText().contains("broken.klarf, line 25"), qPrintable(history.errorText()));
        QCOMPARE(history.map()->defectCount(), 2);
        QCOMPARE(review.count(), 2);

        // Opening one of our runs again leaves the file.
        QVERIFY(QCoro::waitFor(history.openRunTask("5")));
        QCOMPARE(history.klarfTitle(), QString());
        QVERIFY(!review.isImported());
        QCOMPARE(review.count(), 4);
    }

    void anOperatorMayNotOpenAnotherToolsKlarf()
    {
        ConsoleRig rig;
        QTemporaryDir folder;
        const QString good = writeForeignKlarf(folder, "tool-t2.klarf");
        SessionViewModel session(rig.services());
        HistoryViewModel history(rig.services(), session);
        QVERIFY(QCoro::waitFor(session.loginTask("operator", "operator")));
        QVERIFY(!QCoro::waitFor(history.openKlarfTask(good)));
        QVERIFY2(history.errorText().contains("operator"), qPrintable(history.errorText()));
        QCOMPARE(history.klarfTitle(), QString());
        QCOMPARE(history.review()->count(), 0);
    }
};

QTEST_MAIN(DefectReviewModelTest)
#include "defect_review_model_test.moc"
