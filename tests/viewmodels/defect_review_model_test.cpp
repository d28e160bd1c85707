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
        review.pick(review.rowOf("2"));
        QCOMPARE(review.imageUrl(), QUrl());

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
};

QTEST_MAIN(DefectReviewModelTest)
#include "defect_review_model_test.moc"
