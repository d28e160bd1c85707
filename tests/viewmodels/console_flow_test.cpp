// The console's main flow through its view models, as the README tells a new user: an operator
// starts a run and the map fills in; a simulated vacuum drop raises a critical alarm and aborts the
// run as the recipe says; the operator cannot acknowledge it, a technician can; an engineer then
// sees the statistics and re-exports the wafer's KLARF file from the history.

#include <QCoreApplication>
#include <QFile>
#include <QSignalSpy>
#include <QTest>

#include <waferscope/viewmodels/console/console_view_model.h>

#include "console_rig.h"

using waferscope::testing::ConsoleRig;
using waferscope::testing::waitUntil;
using waferscope::viewmodels::ConsoleViewModel;

class ConsoleFlowTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName("WaferscopeTest");
        QCoreApplication::setApplicationName("console_flow_test");
    }

    void aVacuumDropDuringARunIsAcknowledgedByATechnicianAndTheEngineerExports()
    {
        ConsoleRig rig({}, "default.json");
        ConsoleViewModel console(rig.services(), "test");
        auto &run = *console.run();
        run.setRecipeIndex(static_cast<int>(run.recipeNames().indexOf("default")));

        QVERIFY(QCoro::waitFor(console.session()->loginTask("operator", "operator")));
        QVERIFY(!console.statistics()->isAllowed());
        run.setLotId("LOT-FLOW");
        QVERIFY(QCoro::waitFor(run.startTask()));
        QVERIFY(waitUntil([&] { return run.map()->defectCount() >= 5; }));
        QCOMPARE(console.defects()->count(), static_cast<int>(console.defects()->totalReceived()));

        const int vacuumDrop = static_cast<int>(console.machine()->simulatorFaults().indexOf("Vacuum drop (5 s)"));
        QVERIFY(vacuumDrop >= 0);
        QVERIFY(console.machine()->simulateFault(vacuumDrop));
        QVERIFY(waitUntil([&] { return console.alarms()->bannerTag() == "vacuum.low"; }, 5'000));
        QCOMPARE(console.alarms()->bannerPriority(), QString("critical"));
        QSignalSpy ended(&run, &waferscope::viewmodels::RunViewModel::runEnded);
        QVERIFY(ended.wait(30'000) || !run.isRunning());
        QCOMPARE(run.state(), QString("aborted"));
        QVERIFY(run.stateReason().contains("vacuum.low"));

        QVERIFY(!QCoro::waitFor(console.alarms()->acknowledgeTask("vacuum.low", "")));
        QVERIFY(console.alarms()->hasBanner());

        console.session()->logout();
        QVERIFY(QCoro::waitFor(console.session()->loginTask("technician", "technician")));
        QVERIFY(QCoro::waitFor(console.alarms()->acknowledgeTask("vacuum.low", "wafer re-seated")));
        QVERIFY(waitUntil([&] { return !console.alarms()->hasBanner(); }, 10'000));

        console.session()->logout();
        QVERIFY(QCoro::waitFor(console.session()->loginTask("engineer", "engineer")));
        QVERIFY(console.statistics()->isAllowed());
        console.statistics()->refresh();
        QVERIFY(console.statistics()->table()->rowCount() > 0);

        auto &history = *console.history();
        QVERIFY(waitUntil([&] { return !history.isBusy(); }));
        QVERIFY(QCoro::waitFor(history.refreshTask()));
        QVERIFY(!history.runs().isEmpty());
        const QVariantMap newest = history.runs().first().toMap();
        QCOMPARE(newest.value("lotId").toString(), QString("LOT-FLOW"));
        QCOMPARE(newest.value("state").toString(), QString("aborted"));
        QVERIFY(QCoro::waitFor(history.openRunTask(newest.value("runId").toString())));
        QCOMPARE(history.map()->defectCount(), newest.value("defects").toInt());
        const QString file = QCoro::waitFor(history.exportKlarfTask(0));
        QVERIFY2(!file.isEmpty(), qPrintable(history.errorText()));
        QFile klarf(file);
        QVERIFY(klarf.open(QIODevice::ReadOnly));
        const QByteArray text = klarf.readAll();
        QVERIFY(text.contains("LotID \"LOT-FLOW\""));
        QVERIFY(text.trimmed().endsWith("EndOfFile;"));

        // Who did what is in the audit, in order.
        std::vector<std::string> actions;
        const auto audit = rig.audit();
        for (auto it = audit.rbegin(); it != audit.rend(); ++it) {
            actions.push_back(it->userName + " " + it->action);
        }
        const std::vector<std::string> expected{
            "operator login",        "operator run.start",          "operator simulator.fault",
            "operator logout",       "technician login",            "technician alarm.acknowledge",
            "technician logout",     "engineer login",              "engineer klarf.export"};
        QCOMPARE(actions, expected);
    }

    void anExportIsRefusedBelowEngineer()
    {
        ConsoleRig rig;
        ConsoleViewModel console(rig.services(), "test");
        QVERIFY(QCoro::waitFor(console.session()->loginTask("technician", "technician")));
        QVERIFY(QCoro::waitFor(console.history()->refreshTask()));
        QVERIFY(QCoro::waitFor(console.history()->exportKlarfTask(0)).isEmpty());
        QVERIFY(console.history()->errorText().contains("technician"));
    }
};

QTEST_GUILESS_MAIN(ConsoleFlowTest)
#include "console_flow_test.moc"
