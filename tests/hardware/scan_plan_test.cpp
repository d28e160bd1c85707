#include <QTest>

#include <waferscope/core/die_grid.h>
#include <waferscope/hardware/scan_plan.h>

using namespace waferscope;

class ScanPlanTest : public QObject
{
    Q_OBJECT

private slots:
    void fullWaferPlansEveryDieInTheGridsScanOrder()
    {
        const core::DieGrid grid{core::WaferGeometry{}};
        const hardware::ScanPlan plan = hardware::ScanPlan::fullWafer(core::RunId(7), core::WaferId("LOT1-01"), grid);
        QCOMPARE(plan.dies.size(), grid.dieCount());
        QVERIFY(std::equal(plan.dies.begin(), plan.dies.end(), grid.scanOrder().begin()));
    }

    void carriesTheRunAndTheWafer()
    {
        const core::DieGrid grid{core::WaferGeometry{}};
        const hardware::ScanPlan plan = hardware::ScanPlan::fullWafer(core::RunId(7), core::WaferId("LOT1-01"), grid);
        QCOMPARE(plan.runId, core::RunId(7));
        QCOMPARE(plan.waferId.text(), std::string_view("LOT1-01"));
    }
};

QTEST_GUILESS_MAIN(ScanPlanTest)
#include "scan_plan_test.moc"
