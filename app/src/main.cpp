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

int runConsole(const waferscope::app::CommandLine &options)
{
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
        return 2;
    }
    int exitCode = 2;
    if (!isHeadless) {
        exitCode = runConsole(options);
    } else {
        // A run refused before it starts (a bad recipe, a camera that cannot be opened) completes
        // before the event loop would: exit() then has no loop to end, so the loop is not entered.
        bool isDone = false;
        waferscope::app::runHeadless(options).then([&exitCode, &isDone](int code) {
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
