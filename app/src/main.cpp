// The composition root: parses the command line, sets up logging, builds the simulated machine and
// the engine, and runs the console or the headless mode.

#include <QCoreApplication>

#include <QCoroTask>

#include <spdlog/spdlog.h>

#include <cstdio>

#include "command_line.h"
#include "headless_run.h"
#include "logging.h"

int main(int argc, char *argv[])
{
    QCoreApplication application(argc, argv);
    QCoreApplication::setApplicationName("waferscope");
    QCoreApplication::setApplicationVersion(WAFERSCOPE_VERSION);

    waferscope::app::CommandLine options;
    try {
        options = waferscope::app::parseCommandLine(QCoreApplication::arguments());
        // The headless mode keeps the terminal for its progress bar: only warnings go there.
        waferscope::app::setUpLogging(options.outputFolder, options.logLevel, "warn");
    } catch (const std::exception &e) {
        std::fprintf(stderr, "waferscope: %s\n", e.what());
        return 2;
    }
    if (!options.isHeadless) {
        // The graphical console is not part of this build yet: run the demo lot headless instead.
        std::fprintf(stderr, "waferscope: the graphical console is not built yet; running one lot headless "
                             "on the simulated machine (see --help)\n");
    }
    int exitCode = 2;
    waferscope::app::runHeadless(options).then([&exitCode](int code) {
        exitCode = code;
        QCoreApplication::exit(code);
    });
    application.exec();
    spdlog::shutdown();
    return exitCode;
}
