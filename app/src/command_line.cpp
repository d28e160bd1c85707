#include "command_line.h"

#include <QCommandLineParser>
#include <QStandardPaths>

#include <stdexcept>

#include <waferscope/core/lot_id.h>

namespace waferscope::app {

CommandLine parseCommandLine(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        "Waferscope: the operator console of an optical wafer-inspection machine, on a simulated machine.\n"
        "--headless runs one lot without a window, shows a progress bar on the terminal and prints a JSON\n"
        "summary on stdout. Exit codes: 0 completed with balanced books; 1 aborted, failed or unbalanced;\n"
        "2 unusable options or recipe; 3 run refused (storage not ready); 4 damaged database refused;\n"
        "128+N stopped by signal N (SIGHUP 129, SIGINT 130, SIGTERM 143), the run aborted cleanly.");
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption headless("headless", "Run one lot without a window and print a JSON summary.");
    const QCommandLineOption recipe("recipe", "Recipe JSON file (default: the default recipe).", "file");
    const QCommandLineOption lot("lot", "Lot id (default LOT-DEMO).", "id", "LOT-DEMO");
    const QCommandLineOption wafers("wafers", "Wafers in the lot, one cassette: 1…25 (default 1).", "n", "1");
    const QCommandLineOption out("out", "Data folder for the database, crops and KLARF files.", "dir");
    const QCommandLineOption seed("seed", "Simulator seed (default: the recipe's).", "s");
    const QCommandLineOption fault("fault",
                                   "Simulator fault, repeatable, e.g. vacuum-drop:start=10s,duration=5s,kpa=20.",
                                   "spec");
    const QCommandLineOption unpaced("unpaced", "Simulator delivers frames as fast as the pipeline takes them.");
    const QCommandLineOption logLevel("log-level", "trace, debug, info, warn, error (default info).", "level",
                                      "info");
    const QCommandLineOption data("data", "Data folder (the same as --out).", "dir");
    const QCommandLineOption recipes("recipes", "Recipe folder the console lists (default: the bundled recipes).",
                                     "dir");
    const QCommandLineOption gemPort("gem-port",
                                     "Serve a SECS/GEM host (HSMS-SS) on this TCP port (0: a free one). With\n"
                                     "--headless the lot is the one the host starts (S2F41 START).",
                                     "port");
    const QCommandLineOption gemAddress("gem-address",
                                        "Address the GEM link listens on (default 127.0.0.1). HSMS has no\n"
                                        "authentication: any other address lets anyone who reaches it drive the machine.",
                                        "ip", "127.0.0.1");
    const QCommandLineOption gemControl("gem-initial-control",
                                        "host-offline, local or remote: the control state the GEM link starts in,\n"
                                        "kept for the next starts (an equipment constant; default local).",
                                        "state");
    const QCommandLineOption camera("camera",
                                    "GigE Vision camera instead of the simulator's, opened by address only: gige:ADDRESS.",
                                    "gige:address");
    const QCommandLineOption packetSize("camera-packet-size", "GVSP packet size for --camera (default 1500).",
                                        "bytes");

    const QCommandLineOption damaged("on-damaged-database",
                                     "replace (default): move a damaged database aside and start a new one; "
                                     "refuse: do not start (exit code 4).",
                                     "policy", "replace");
    const QCommandLineOption pausedLimit("paused-limit",
                                         "--headless: seconds a run paused by an alarm waits for a GEM host to "
                                         "resume it before it is aborted (default 300).",
                                         "seconds", "300");
    parser.addOptions({headless, recipe, lot, wafers, out, data, seed, fault, unpaced, logLevel, recipes, gemPort,
                       gemAddress, gemControl, camera, packetSize, damaged, pausedLimit});
    parser.process(arguments);

    CommandLine options;
    options.isHeadless = parser.isSet(headless);
    options.recipeFile = parser.value(recipe).toStdString();
    options.lotId = parser.value(lot).toStdString();
    if (const std::string problem = core::LotId::problemWith(options.lotId); !problem.empty()) {
        throw std::invalid_argument("--lot: '" + options.lotId + "': " + problem);
    }
    bool ok = false;
    options.wafers = parser.value(wafers).toInt(&ok);
    if (!ok || options.wafers < 1 || options.wafers > static_cast<int>(core::LotId::kCassetteSlots)) {
        throw std::invalid_argument("--wafers: '" + parser.value(wafers).toStdString() +
                                    "' is not a whole number from 1 to 25");
    }
    if (parser.isSet(out) && parser.isSet(data) && parser.value(out) != parser.value(data)) {
        throw std::invalid_argument("--out and --data name different folders; give one");
    }
    options.outputFolder = parser.isSet(out)    ? std::filesystem::path(parser.value(out).toStdString())
                           : parser.isSet(data) ? std::filesystem::path(parser.value(data).toStdString())
                                                : defaultDataFolder();
    options.recipeFolder = parser.isSet(recipes) ? std::filesystem::path(parser.value(recipes).toStdString())
                                                 : std::filesystem::path(WAFERSCOPE_RECIPES_DIR);
    if (!std::filesystem::is_directory(options.recipeFolder)) {
        throw std::invalid_argument("--recipes: '" + options.recipeFolder.string() + "' is not a folder");
    }
    if (parser.isSet(seed)) {
        const qulonglong value = parser.value(seed).toULongLong(&ok);
        if (!ok) {
            throw std::invalid_argument("--seed: '" + parser.value(seed).toStdString() + "' is not a whole number");
        }
        options.seed = value;
    }
    for (const QString &spec : parser.values(fault)) {
        options.faults.push_back(spec.toStdString());
    }
    options.isUnpaced = parser.isSet(unpaced);
    options.logLevel = parser.value(logLevel).toStdString();
    if (parser.isSet(gemPort)) {
        const uint port = parser.value(gemPort).toUInt(&ok);
        if (!ok || port > 65535) {
            throw std::invalid_argument("--gem-port: '" + parser.value(gemPort).toStdString() +
                                        "' is not a TCP port (0 to 65535)");
        }
        options.gemPort = static_cast<std::uint16_t>(port);
    }
    options.gemAddress = parser.value(gemAddress).toStdString();
    if (parser.isSet(gemControl)) {
        const std::string control = parser.value(gemControl).toStdString();
        if (control != "host-offline" && control != "local" && control != "remote") {
            throw std::invalid_argument("--gem-initial-control: '" + control + "' is not host-offline, local or remote");
        }
        options.gemInitialControl = control;
    }
    options.camera = parser.value(camera).toStdString();
    if (parser.isSet(camera) && !options.camera.starts_with("gige:")) {
        throw std::invalid_argument("--camera: '" + options.camera + "' is not gige:ADDRESS");
    }
    if (parser.isSet(packetSize)) {
        const int bytes = parser.value(packetSize).toInt(&ok);
        if (!ok || bytes < 576 || bytes > 65000) {
            throw std::invalid_argument("--camera-packet-size: '" + parser.value(packetSize).toStdString() +
                                        "' is not a whole number from 576 to 65000");
        }
        options.cameraPacketSize = bytes;
    }
    const std::string policy = parser.value(damaged).toStdString();
    const auto parsedPolicy = pipelines::damagedDatabasePolicyFromText(policy);
    if (!parsedPolicy) {
        throw std::invalid_argument("--on-damaged-database: '" + policy + "' is not replace or refuse");
    }
    options.onDamagedDatabase = *parsedPolicy;
    const int limitSeconds = parser.value(pausedLimit).toInt(&ok);
    if (!ok || limitSeconds < 1 || limitSeconds > 86'400) {
        throw std::invalid_argument("--paused-limit: '" + parser.value(pausedLimit).toStdString() +
                                    "' is not a number of seconds from 1 to 86400");
    }
    options.pausedLimit = std::chrono::seconds(limitSeconds);
    return options;
}

std::filesystem::path defaultDataFolder()
{
    return std::filesystem::path(QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation).toStdString()) /
           "waferscope";
}

} // namespace waferscope::app
