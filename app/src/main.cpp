// The composition root: parses the command line, sets up logging, builds the simulated machine and
// the engine, and runs the console (by default) or the headless mode (--headless).

#include <QApplication>
#include <QCoreApplication>
#include <QQuickStyle>

#include <QCoroTask>

#include <spdlog/spdlog.h>

#include <cstdio>
#include <cstring>
#include <initializer_list>
#include <memory>

#include "command_line.h"
#include "console_session.h"
#include "headless_run.h"
#include "logging.h"
#include "stop_signals.h"

#include <QTimer>

#include <waferscope/core/persistence/inspection_store.h>
#include <waferscope/pipelines/engine/inspection_engine.h>

namespace {

bool hasArgument(int argc, char *argv[], std::initializer_list<const char *> names)
{
    for (int i = 1; i < argc; ++i) {
        for (const char *name : names) {
            if (std::strcmp(argv[i], name) == 0) {
                return true;
            }
        }
    }
    return false;
}

/// How long the console waits for a stopped run to wind down before it quits regardless.
constexpr int kConsoleStopGraceMs = 10000;

int runConsole(const waferscope::app::CommandLine &options, waferscope::app::StopSignals &stops)
{
    namespace exit_code = waferscope::app::exit_code;
    if (options.onDamagedDatabase == waferscope::pipelines::DamagedDatabasePolicy::Refuse) {
        const std::filesystem::path database = options.outputFolder / "inspection.db";
        if (const auto damage = waferscope::core::InspectionStore::findDamage(database)) {
            std::fprintf(stderr,
                         "waferscope: the inspection database %s is damaged (%s); it was left as it is and nothing "
                         "was started (--on-damaged-database refuse)\n",
                         database.c_str(), damage->c_str());
            return exit_code::kDamagedDatabase;
        }
    }
    waferscope::app::registerConsoleQml();
    QQuickStyle::setStyle(QStringLiteral("Basic"));
    std::unique_ptr<waferscope::app::ConsoleSession> session;
    try {
        session = std::make_unique<waferscope::app::ConsoleSession>(options);
    } catch (const std::exception &e) {
        std::fprintf(stderr, "waferscope: %s\n", e.what());
        return 2;
    }
    if (!session->showWindow()) {
        return 1;
    }
    QObject::connect(qApp, &QCoreApplication::aboutToQuit, [&session] { session->saveWindowState(); });
    // A stop signal aborts the run through the engine (its usual wind-down: KLARF files for the
    // wafers done, the run stored aborted with the reason) and quits once it has ended; without a
    // run, or if the wind-down outlasts the grace period, it quits at once.
    waferscope::pipelines::InspectionEngine &engine = session->engine();
    QObject::connect(&stops, &waferscope::app::StopSignals::stopRequested, &engine, [&engine](int signalNumber) {
        const int code = exit_code::kStoppedBySignal + signalNumber;
        if (!engine.progress().isRunning) {
            QCoreApplication::exit(code);
            return;
        }
        spdlog::warn("{} received: the run is aborted", waferscope::app::StopSignals::nameOf(signalNumber));
        QObject::connect(&engine, &waferscope::pipelines::InspectionEngine::runStateChanged, &engine,
                         [code](quint64, int state, const QString &) {
                             if (waferscope::core::isFinal(static_cast<waferscope::core::RunState>(state))) {
                                 QCoreApplication::exit(code);
                             }
                         });
        QTimer::singleShot(kConsoleStopGraceMs, &engine, [code] {
            spdlog::error("the run did not wind down within {} s; quitting", kConsoleStopGraceMs / 1000);
            QCoreApplication::exit(code);
        });
        engine.abort("stopped by " + waferscope::app::StopSignals::nameOf(signalNumber));
    });
    const int code = QCoreApplication::exec();
    session.reset();
    return code;
}

} // namespace

int main(int argc, char *argv[])
{
    // The console needs QApplication (Qt Charts draws with widgets' styles); the headless mode runs
    // without any display, so it makes a plain QCoreApplication.
    // --help and --version only print, so they need no display either.
    const bool isHeadless = hasArgument(argc, argv, {"--headless"});
    const bool needsWindow =
        !isHeadless && !hasArgument(argc, argv, {"--help", "-h", "--help-all", "-?", "--version", "-v"});
    std::unique_ptr<QCoreApplication> application =
        needsWindow ? std::make_unique<QApplication>(argc, argv) : std::make_unique<QCoreApplication>(argc, argv);
    QCoreApplication::setOrganizationName("Waferscope");
    QCoreApplication::setApplicationName("waferscope");
    QCoreApplication::setApplicationVersion(WAFERSCOPE_VERSION);

    waferscope::app::CommandLine options;
    try {
        options = waferscope::app::parseCommandLine(QCoreApplication::arguments());
        // The headless mode keeps the terminal for its progress bar: only warnings go there.
        waferscope::app::setUpLogging(options.outputFolder, options.logLevel, isHeadless ? "warn" : "info");
    } catch (const std::exception &e) {
        std::fprintf(stderr, "waferscope: %s\n", e.what());
        return waferscope::app::exit_code::kBadOptions;
    }
    std::unique_ptr<waferscope::app::StopSignals> stops;
    try {
        stops = std::make_unique<waferscope::app::StopSignals>();
    } catch (const std::exception &e) {
        std::fprintf(stderr, "waferscope: %s\n", e.what());
        return waferscope::app::exit_code::kBadOptions;
    }
    int exitCode = waferscope::app::exit_code::kBadOptions;
    if (!isHeadless) {
        exitCode = runConsole(options, *stops);
    } else {
        // A run refused at once ends the task before the event loop runs, when exit() has no loop to end.
        bool isDone = false;
        waferscope::app::runHeadless(options, stops.get()).then([&exitCode, &isDone](int code) {
            exitCode = code;
            isDone = true;
            QCoreApplication::exit(code);
        });
        if (!isDone) {
            QCoreApplication::exec();
        }
    }
    spdlog::shutdown();
    return exitCode;
}
