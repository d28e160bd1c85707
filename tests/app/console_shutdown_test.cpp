// Closing the console in the middle of a run: the window, view models, engine and machine come
// down without a hang or a crash, and the next start marks the interrupted run aborted with the
// defects stored before the close intact.

#include <QApplication>
#include <QQuickStyle>
#include <QTemporaryDir>
#include <QTest>

#include <QCoroTask>

#include <waferscope/core/persistence/inspection_store.h>
#include <waferscope/pipelines/engine/inspection_engine.h>
#include <waferscope/testing/wait_until.h>
#include <waferscope/viewmodels/console/console_view_model.h>

#include "command_line.h"
#include "console_session.h"

using waferscope::app::CommandLine;
using waferscope::app::ConsoleSession;
using waferscope::testing::waitUntil;

class ConsoleShutdownTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void closingDuringARunEndsTheRunAbortedWithTheReasonAndKeepsWhatItFound()
    {
        QTemporaryDir data;
        CommandLine options;
        options.outputFolder = data.path().toStdString();
        options.recipeFolder = WAFERSCOPE_RECIPES_DIR;
        std::filesystem::path database;
        {
            ConsoleSession session(options);
            QVERIFY(session.showWindow());
            auto &console = session.console();
            QVERIFY(QCoro::waitFor(console.session()->loginTask(QStringLiteral("operator"), QStringLiteral("operator"))));
            console.run()->setWaferCount(3);
            QVERIFY(QCoro::waitFor(console.run()->startTask()));
            QVERIFY(waitUntil([&] { return console.run()->defectsFound() >= 30; }, 30'000));
            QVERIFY(console.run()->isRunning());
            database = session.engine().databaseFile();
        }
        // The console went with the run in progress: the run was aborted with the reason, and
        // every defect it found is stored, before the program let go of the database.
        const waferscope::core::InspectionStore store(database);
        const auto runs = store.runs(10);
        QCOMPARE(runs.size(), std::size_t{1});
        const auto &run = runs.front().run;
        QCOMPARE(run.state, waferscope::core::RunState::Aborted);
        QCOMPARE(run.endReason, std::string("the inspection engine was shut down during the run"));
        QVERIFY(store.defectCount(run.id) >= 30);
    }
};

int main(int argc, char *argv[])
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    waferscope::app::registerConsoleQml();
    QQuickStyle::setStyle(QStringLiteral("Basic"));
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName("WaferscopeTest");
    ConsoleShutdownTest test;
    return QTest::qExec(&test, argc, argv);
}

#include "console_shutdown_test.moc"
