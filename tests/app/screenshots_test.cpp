// Renders every page of the console during a simulated run, offscreen, and saves each as a PNG:
// to $WAFERSCOPE_SCREENSHOT_DIR when set (docs/screenshots is made that way), else to a temporary
// folder. Each image is checked to be a real page: not blank, and with the page's own content.

#include <QApplication>
#include <QDir>
#include <QImage>
#include <QQuickItem>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <QCoroTask>

#include <waferscope/pipelines/engine/inspection_engine.h>
#include <waferscope/testing/wait_until.h>
#include <waferscope/testing/watchdog.h>
#include <waferscope/viewmodels/console/console_view_model.h>

#include "command_line.h"
#include "console_session.h"

using waferscope::app::CommandLine;
using waferscope::app::ConsoleSession;
using waferscope::testing::waitUntil;

namespace {

/// Distinct colours in a coarse sample of the image: a blank or single-colour page has few.
int distinctColours(const QImage &image)
{
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 4) {
        for (int x = 0; x < image.width(); x += 4) {
            colours.insert(image.pixel(x, y) & 0xF0F0F0F0U);
        }
    }
    return static_cast<int>(colours.size());
}

} // namespace

class ScreenshotsTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyPageRendersDuringARun()
    {
        QTemporaryDir data;
        CommandLine options;
        options.outputFolder = data.path().toStdString();
        options.recipeFolder = WAFERSCOPE_RECIPES_DIR;
        ConsoleSession session(options);
        QVERIFY(session.showWindow());
        QQuickWindow *window = session.window();
        window->resize(1600, 960);
        auto &console = session.console();

        const QString folder = qEnvironmentVariableIsSet("WAFERSCOPE_SCREENSHOT_DIR")
                                   ? qEnvironmentVariable("WAFERSCOPE_SCREENSHOT_DIR")
                                   : data.filePath(QStringLiteral("screenshots"));
        QVERIFY(QDir().mkpath(folder));
        const auto shoot = [&](const QString &name) {
            QTest::qWait(700);
            const QImage image = window->grabWindow();
            QVERIFY2(!image.isNull(), qPrintable(name));
            QVERIFY(image.save(folder + "/" + name + ".png"));
            const int colours = distinctColours(image);
            QVERIFY2(colours > 12, qPrintable(name + ": looks blank (" + QString::number(colours) + " colours)"));
        };
        const auto showPage = [&](const QString &name) {
            const QStringList pages{"run", "defects", "statistics", "alarms", "machine", "history", "users", "audit"};
            window->setProperty("currentPage", pages.indexOf(name));
            auto *page = window->findChild<QQuickItem *>(name + "Page");
            QVERIFY(page != nullptr);
            QVERIFY(waitUntil([&] { return page->isVisible(); }, 2'000));
        };

        // The login, with the demo users on the simulated machine.
        shoot("login");
        QVERIFY(QCoro::waitFor(console.session()->loginTask(QStringLiteral("engineer"), QStringLiteral("engineer"))));
        console.run()->setLotId(QStringLiteral("LOT-SHOT"));
        console.run()->setWaferCount(2);
        QVERIFY(QCoro::waitFor(console.run()->startTask()));
        QVERIFY(waitUntil([&] { return console.run()->map()->defectCount() >= 60; }, 30'000));
        showPage("run");
        shoot("run");
        showPage("statistics");
        shoot("statistics");
        showPage("machine");
        shoot("machine");

        // A vacuum drop from the Machine page's simulator raises its alarm and aborts the run, as
        // the recipe says.
        const auto vacuumDrop = console.machine()->simulatorFaults().indexOf(QStringLiteral("Vacuum drop (5 s)"));
        QVERIFY(console.machine()->simulateFault(static_cast<int>(vacuumDrop)));
        QVERIFY(waitUntil([&] { return console.alarms()->hasBanner(); }, 30'000));
        showPage("alarms");
        shoot("alarms");
        showPage("defects");
        QVERIFY(console.defects()->count() > 0);
        console.defectTable()->pick(0);
        shoot("defects");
        QVERIFY(waitUntil([&] { return !console.run()->isRunning(); }, 120'000));
        QCOMPARE(console.run()->state(), QStringLiteral("aborted"));
        showPage("history");
        QVERIFY(waitUntil([&] { return !console.history()->runs().isEmpty() && !console.history()->isBusy(); }, 10'000));
        console.history()->openRun(console.history()->runs().first().toMap().value("runId").toString());
        QVERIFY(waitUntil([&] { return console.history()->map()->defectCount() > 0; }, 10'000));
        console.history()->review()->pick(0);
        shoot("history");

        // The alarm events of the run, from the database, on the Alarms page's History tab.
        showPage("alarms");
        window->findChild<QQuickItem *>("alarmsPage")->setProperty("currentTab", 1);
        QVERIFY(waitUntil([&] { return console.alarmLog()->count() > 0 && !console.alarmLog()->isBusy(); }, 10'000));
        shoot("alarm-history");
        // The same events measured by ISA-18.2, on the Performance tab.
        window->findChild<QQuickItem *>("alarmsPage")->setProperty("currentTab", 2);
        QVERIFY(waitUntil([&] { return !console.alarmKpis()->isLoading() && !console.alarmKpis()->badActors().isEmpty(); },
                          10'000));
        shoot("alarm-kpis");
        window->findChild<QQuickItem *>("alarmsPage")->setProperty("currentTab", 0);

        // The audit trail, as an engineer sees it.
        showPage("audit");
        QVERIFY(waitUntil([&] { return console.audit()->count() > 0 && !console.audit()->isBusy(); }, 10'000));
        shoot("audit");

        // User management, as an admin sees it.
        console.session()->logout();
        QVERIFY(QCoro::waitFor(console.session()->loginTask(QStringLiteral("admin"), QStringLiteral("admin"))));
        showPage("users");
        shoot("users");
    }
};

int main(int argc, char *argv[])
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    waferscope::app::registerConsoleQml();
    QQuickStyle::setStyle(QStringLiteral("Basic"));
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName("WaferscopeTest");
    ScreenshotsTest test;
    return QTest::qExec(&test, argc, argv);
}

#include "screenshots_test.moc"
