#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QTest>

#include <waferscope/viewmodels/defects/defect_list_model.h>
#include <waferscope/viewmodels/run/run_view_model.h>

#include "console_rig.h"

using waferscope::testing::ConsoleRig;
using waferscope::testing::waitUntil;
using waferscope::viewmodels::RunViewModel;
using waferscope::viewmodels::SessionViewModel;

namespace {

int indexOfRecipe(const RunViewModel &run, const QString &name)
{
    return static_cast<int>(run.recipeNames().indexOf(name));
}

} // namespace

class RunViewModelTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName("WaferscopeTest");
        QCoreApplication::setApplicationName("run_view_model_test");
    }

    void everyBundledRecipeIsListedWithASummary()
    {
        ConsoleRig rig;
        SessionViewModel session(rig.services());
        RunViewModel run(rig.services(), session);
        QVERIFY(indexOfRecipe(run, "default") >= 0);
        QVERIFY(indexOfRecipe(run, "quick-200mm") >= 0);
        run.setRecipeIndex(indexOfRecipe(run, "quick-200mm"));
        QVERIFY(run.recipeSummary().contains("200 mm"));
        QVERIFY(run.recipeError().isEmpty());
    }

    void theChosenRecipeIsRemembered()
    {
        ConsoleRig rig;
        SessionViewModel session(rig.services());
        {
            RunViewModel run(rig.services(), session);
            run.setRecipeIndex(indexOfRecipe(run, "quick-200mm"));
        }
        RunViewModel again(rig.services(), session);
        QCOMPARE(again.recipeIndex(), indexOfRecipe(again, "quick-200mm"));
    }

    void startIsRefusedWithoutPermissionOrLot()
    {
        ConsoleRig rig;
        SessionViewModel session(rig.services());
        RunViewModel run(rig.services(), session);
        run.setRecipeIndex(indexOfRecipe(run, "quick-200mm"));
        QVERIFY(!run.canStart());
        QVERIFY(!QCoro::waitFor(run.startTask()));
        QVERIFY(run.errorText().startsWith("Log in"));
        QVERIFY(!run.isRunning());
        QVERIFY(QCoro::waitFor(session.loginTask("operator", "operator")));
        QVERIFY(run.canStart());
        run.setLotId("   ");
        QVERIFY(!run.canStart());
        QVERIFY(!QCoro::waitFor(run.startTask()));
        QVERIFY(!run.isRunning());
    }

    void aLotIdThatCannotNameItsWafersIsRefusedWithTheReason()
    {
        ConsoleRig rig;
        SessionViewModel session(rig.services());
        RunViewModel run(rig.services(), session);
        run.setRecipeIndex(indexOfRecipe(run, "quick-200mm"));
        QVERIFY(QCoro::waitFor(session.loginTask("operator", "operator")));
        run.setLotId(QString(40, u'L'));
        // Said as it is typed, and again if Start is pressed anyway.
        QVERIFY2(run.lotIdProblem().contains("has 40 characters; at most 28"), qPrintable(run.lotIdProblem()));
        QVERIFY(!run.canStart());
        QVERIFY(!QCoro::waitFor(run.startTask()));
        QVERIFY2(run.errorText().contains("has 40 characters"), qPrintable(run.errorText()));
        QVERIFY(!run.isRunning());
        run.setLotId("LOT-OK");
        QVERIFY(run.lotIdProblem().isEmpty());
        QVERIFY(run.canStart());
    }

    void aLotIdThatCouldNameAPathIsRefusedAsTypedAndNoFileIsWritten()
    {
        ConsoleRig rig;
        SessionViewModel session(rig.services());
        RunViewModel run(rig.services(), session);
        run.setRecipeIndex(indexOfRecipe(run, "quick-200mm"));
        QVERIFY(QCoro::waitFor(session.loginTask("operator", "operator")));
        run.setLotId("LOT/../../x;DROP");
        QVERIFY2(run.lotIdProblem().contains("character 4 ('/') is not allowed"), qPrintable(run.lotIdProblem()));
        QVERIFY(!run.canStart());
        QVERIFY(!QCoro::waitFor(run.startTask()));
        QVERIFY(!run.isRunning());
        QVERIFY(QRegularExpression("^" + RunViewModel::lotIdPattern() + "$").match("LOT-0001").hasMatch());
        QVERIFY(!QRegularExpression("^" + RunViewModel::lotIdPattern() + "$").match("LOT/x").hasMatch());
        // Nothing named after it exists anywhere near the data folder.
        const auto data = rig.engine->dataFolder();
        for (const auto &entry : std::filesystem::recursive_directory_iterator(data)) {
            QVERIFY2(entry.path().filename().string().find("DROP") == std::string::npos, entry.path().c_str());
        }
        QVERIFY(!std::filesystem::exists(data.parent_path() / "x;DROP"));
        QVERIFY(!std::filesystem::exists(data.parent_path().parent_path() / "x;DROP"));
    }

    void aRememberedRecipeThisMachineCannotRunIsNotPickedAtStartUp()
    {
        ConsoleRig rig; // a machine set up for quick-200mm
        SessionViewModel session(rig.services());
        {
            // The last run used "default", on another machine set-up (the settings are shared).
            RunViewModel first(rig.services(), session);
            first.setRecipeIndex(indexOfRecipe(first, "default"));
        }
        QCOMPARE(QSettings().value("run/recipe").toString(), QString("default.json"));
        RunViewModel run(rig.services(), session);
        QVERIFY2(run.recipeIndex() >= 0, qPrintable(run.recipeNames().join(", ")));
        QVERIFY2(run.recipeError().isEmpty(), qPrintable(run.recipeError()));
        QCOMPARE(run.map()->grid()->geometry().diameterMm, 200.0);
        // Shown, not remembered: the other set-up's choice is still the one remembered.
        QCOMPARE(QSettings().value("run/recipe").toString(), QString("default.json"));

        // A remembered recipe it can run stays the pick.
        const int quick = indexOfRecipe(run, "quick-200mm");
        run.setRecipeIndex(quick);
        RunViewModel again(rig.services(), session);
        QCOMPARE(again.recipeIndex(), quick);
    }

    void aRecipeThisMachineCannotRunSaysWhyBeforeStartAndTheMapShowsItsWafer()
    {
        ConsoleRig rig; // a machine set up for quick-200mm
        SessionViewModel session(rig.services());
        RunViewModel run(rig.services(), session);
        QVERIFY(QCoro::waitFor(session.loginTask("operator", "operator")));
        run.setRecipeIndex(indexOfRecipe(run, "quick-200mm"));
        QVERIFY(run.canStart());
        QCOMPARE(run.map()->grid()->geometry().diameterMm, 200.0);

        const int other = indexOfRecipe(run, "default");
        QVERIFY2(other >= 0, qPrintable(run.recipeNames().join(", ")));
        run.setRecipeIndex(other);
        QVERIFY(!run.canStart());
        QVERIFY2(run.recipeError().contains("frame.widthPx: the recipe asks for 1024, the camera delivers 256"),
                 qPrintable(run.recipeError()));
        // The page's few lines name the settings that differ.
        QVERIFY2(run.recipeErrorHeadline().startsWith("Not for this machine as it is set up: frame.widthPx, frame.heightPx"),
                 qPrintable(run.recipeErrorHeadline()));
        // The map follows the selected recipe, even one this machine cannot run.
        QCOMPARE(run.map()->grid()->geometry().diameterMm, 300.0);
        QVERIFY(!QCoro::waitFor(run.startTask()));
        QVERIFY2(run.errorText().contains("not set up for this recipe"), qPrintable(run.errorText()));
        QVERIFY(!run.isRunning());

        // Back on a recipe it can run, Start works: nothing was left half-started.
        run.setRecipeIndex(indexOfRecipe(run, "quick-200mm"));
        QCOMPARE(run.map()->grid()->geometry().diameterMm, 200.0);
        QSignalSpy ended(&run, &RunViewModel::runEnded);
        QVERIFY(QCoro::waitFor(run.startTask()));
        QVERIFY(run.canAbort());
        QVERIFY(run.abort());
        QVERIFY(ended.wait(60'000));
        QVERIFY(!run.isRunning());
        QVERIFY(run.canStart());
    }

    void anOperatorRunsALotThatFillsTheMapAndTheHistoryKeepsIt()
    {
        ConsoleRig rig;
        SessionViewModel session(rig.services());
        RunViewModel run(rig.services(), session);
        waferscope::viewmodels::DefectListModel defects;
        QObject::connect(rig.engine.get(), &waferscope::pipelines::EngineFacade::defectsArrived,
                         [&](std::span<const waferscope::core::DefectRecord> batch) { defects.append(batch); });
        run.setRecipeIndex(indexOfRecipe(run, "quick-200mm"));
        QVERIFY(QCoro::waitFor(session.loginTask("operator", "operator")));
        run.setLotId("LOT-VM");
        run.setWaferCount(2);
        QSignalSpy ended(&run, &RunViewModel::runEnded);
        QVERIFY(QCoro::waitFor(run.startTask()));
        QVERIFY(run.isRunning());
        QVERIFY(!run.canStart());
        QVERIFY(run.canAbort());
        QVERIFY(ended.wait(60'000));
        QCOMPARE(ended.first().first().toString(), QString("completed"));
        QVERIFY(!run.isRunning());
        QVERIFY(run.canStart());
        // The map shows the lot's last wafer, and every defect the run found reached the UI.
        QCOMPARE(run.map()->waferId(), QString("LOT-VM-02"));
        QCOMPARE(run.diesDone(), run.diesTotal());
        QCOMPARE(run.waferNumber(), 2);
        QVERIFY(waitUntil([&] { return defects.totalReceived() == run.defectsFound(); }));
        QVERIFY(run.defectsFound() > 0);
        QVERIFY(run.lastResult().contains("completed"));
        // The same lot id again is allowed, but the page says it was just inspected.
        QCOMPARE(run.lotIdNotice(), QString("Lot LOT-VM was inspected by the last run: Start adds another run of the same lot"));
        run.setLotId("LOT-VM-B");
        QCOMPARE(run.lotIdNotice(), QString());
        const auto audit = rig.audit();
        QCOMPARE(audit.front().action, std::string("run.start"));
        QVERIFY(audit.front().detail.find("LOT-VM") != std::string::npos);
    }

    void pauseResumeAndAbortActOnTheRunAndAreAudited()
    {
        // Realtime pacing keeps the run going long enough to pause it.
        ConsoleRig rig({}, "default.json");
        SessionViewModel session(rig.services());
        RunViewModel run(rig.services(), session);
        run.setRecipeIndex(indexOfRecipe(run, "default"));
        QVERIFY(QCoro::waitFor(session.loginTask("operator", "operator")));
        QVERIFY(!run.pause());
        QVERIFY(QCoro::waitFor(run.startTask()));
        QVERIFY(waitUntil([&] { return run.state() == "running"; }));
        QVERIFY(run.canPause());
        QVERIFY(!run.canResume());
        QVERIFY(run.pause());
        // Pending until the engine answers: a second pause (a double click, a held key) is refused.
        QVERIFY(!run.canPause());
        QVERIFY(!run.pause());
        // The page says what is waiting until the engine answers at the next die.
        QCOMPARE(run.pendingText(), QString("pausing at the next die…"));
        QVERIFY(waitUntil([&] { return run.isPaused(); }));
        QCOMPARE(run.pendingText(), QString());
        QVERIFY(run.canResume());
        QVERIFY(run.resume());
        QCOMPARE(run.pendingText(), QString("resuming…"));
        QVERIFY(waitUntil([&] { return run.state() == "running"; }));
        QCOMPARE(run.pendingText(), QString());
        QSignalSpy ended(&run, &RunViewModel::runEnded);
        QVERIFY(run.abort());
        QCOMPARE(run.pendingText(), QString("aborting at the next die…"));
        QVERIFY(!run.canAbort());
        QVERIFY(ended.wait(30'000));
        QCOMPARE(run.state(), QString("aborted"));
        QVERIFY(run.stateReason().contains("operator"));
        // An ended run has no time left, though not every die was scanned.
        QCOMPARE(run.remainingText(), QString("–"));
        const auto audit = rig.audit();
        std::vector<std::string> actions;
        for (auto it = audit.rbegin(); it != audit.rend(); ++it) {
            actions.push_back(it->action);
        }
        const std::vector<std::string> expected{"login", "run.start", "run.pause", "run.resume", "run.abort"};
        QCOMPARE(actions, expected);
        // Each run command names its run and lot.
        QVERIFY(audit.front().detail.find("run-") != std::string::npos);
        QVERIFY(audit.front().detail.find("LOT-0001") != std::string::npos);
    }

    void aTechnicianLoggedInAfterwardsCanStillRunAndAnEmptySessionCannotAbort()
    {
        ConsoleRig rig({}, "default.json");
        SessionViewModel session(rig.services());
        RunViewModel run(rig.services(), session);
        run.setRecipeIndex(indexOfRecipe(run, "default"));
        QVERIFY(QCoro::waitFor(session.loginTask("technician", "technician")));
        QVERIFY(QCoro::waitFor(run.startTask()));
        QVERIFY(waitUntil([&] { return run.state() == "running"; }));
        session.logout();
        QVERIFY(!run.canAbort());
        QVERIFY(!run.abort());
        QVERIFY(run.errorText().startsWith("Log in"));
        QVERIFY(run.isRunning());
        QVERIFY(QCoro::waitFor(session.loginTask("operator", "operator")));
        QSignalSpy ended(&run, &RunViewModel::runEnded);
        QVERIFY(run.abort());
        QVERIFY(ended.wait(30'000));
    }
};

QTEST_GUILESS_MAIN(RunViewModelTest)
#include "run_view_model_test.moc"
