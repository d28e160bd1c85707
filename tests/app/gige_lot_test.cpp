// Whole lots through a GigE Vision camera on loopback: the headless program against Aravis' fake
// camera program, and the engine with the mixed machine while its camera is unplugged mid-lot.
#include <arv.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <QCoroTask>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>

#include <waferscope/core/recipes/recipe_parser.h>
#include <waferscope/pipelines/engine/detector_analyzer.h>
#include <waferscope/pipelines/engine/inspection_engine.h>
#include <waferscope/runtime/stats_registry.h>
#include <waferscope/testing/wait_until.h>

#include "machine_setup.h"

using namespace waferscope;

namespace {

/// True once something holds UDP 127.0.0.1:3956 (the GigE Vision control port); sends nothing.
bool isControlPortTaken()
{
    const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(3956);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const bool isTaken = ::bind(fd, reinterpret_cast<const sockaddr *>(&address), sizeof address) != 0 &&
                         errno == EADDRINUSE;
    ::close(fd);
    return isTaken;
}

/// The quick recipe at a frame rate the fake camera's ramp images can be inspected at, with the
/// frames-lost alarm out of the way (a headless run has nobody to resume a pause).
QString writeRecipe(const QTemporaryDir &dir)
{
    QFile in(QStringLiteral(WAFERSCOPE_RECIPES_DIR "/quick-200mm.json"));
    if (!in.open(QIODevice::ReadOnly)) {
        return {};
    }
    QJsonObject recipe = QJsonDocument::fromJson(in.readAll()).object();
    recipe["name"] = "gige-loopback";
    QJsonObject simulator = recipe["simulator"].toObject();
    simulator["framesPerSecond"] = 20.0;
    recipe["simulator"] = simulator;
    QJsonObject alarms = recipe["alarms"].toObject();
    alarms["framesLostThreshold"] = 1000000;
    recipe["alarms"] = alarms;
    const QString path = dir.filePath(QStringLiteral("gige-loopback.json"));
    QFile out(path);
    if (!out.open(QIODevice::WriteOnly)) {
        return {};
    }
    out.write(QJsonDocument(recipe).toJson());
    return path;
}

} // namespace

class GigeLotTest : public QObject
{
    Q_OBJECT

private slots:
    void aHeadlessLotThroughTheFakeGigeCameraProgramCompletesWithItsLedgerBalanced()
    {
        QTemporaryDir dir;
        const QString recipe = writeRecipe(dir);
        QVERIFY(!recipe.isEmpty());
        QProcess fake;
        fake.start(QStringLiteral(ARV_FAKE_GV_CAMERA), {QStringLiteral("-i"), QStringLiteral("lo")});
        QVERIFY(fake.waitForStarted(10'000));
        QVERIFY2(testing::waitUntil([] { return isControlPortTaken(); }, 10'000), "the fake camera listens");

        QProcess program;
        program.start(QStringLiteral(WAFERSCOPE_BINARY),
                      {"--headless", "--camera", "gige:127.0.0.1", "--camera-packet-size", "8000", "--recipe", recipe,
                       "--wafers", "2", "--out", dir.filePath("data")});
        QVERIFY(program.waitForFinished(180'000));
        fake.kill();
        fake.waitForFinished(10'000);
        const QByteArray errors = program.readAllStandardError();
        QCOMPARE(program.exitCode(), 0);
        const QJsonObject summary = QJsonDocument::fromJson(program.readAllStandardOutput()).object();
        QCOMPARE(summary["state"].toString(), QStringLiteral("completed"));
        QCOMPARE(summary["machine"].toString(), QStringLiteral("simulator with camera gige:127.0.0.1"));
        QVERIFY(summary["ledger_balances"].toBool());
        const QJsonObject frames = summary["frames"].toObject();
        const QJsonObject dropped = frames["dropped"].toObject();
        const qint64 acquired = frames["acquired"].toInteger();
        QVERIFY2(acquired > 0, errors.constData());
        QCOMPARE(acquired, frames["processed"].toInteger() + dropped["detection_failed"].toInteger() +
                               dropped["run_aborted"].toInteger());
        QCOMPARE(frames["slots"].toInteger(),
                 acquired + dropped["lost_in_camera"].toInteger() + dropped["camera_disconnected"].toInteger());
        QVERIFY(summary["accuracy"].isNull()); // no truth for a real camera's images
        qInfo("frames: %s; camera drops: %s", QJsonDocument(frames).toJson(QJsonDocument::Compact).constData(),
              QJsonDocument(summary["camera_frames_dropped"].toObject()).toJson(QJsonDocument::Compact).constData());
    }

    void anUnreachableCameraStopsTheHeadlessProgramBeforeTheRunNamingIt()
    {
        QTemporaryDir dir;
        QProcess program;
        program.start(QStringLiteral(WAFERSCOPE_BINARY),
                      {"--headless", "--camera", "gige:127.0.0.3", "--out", dir.filePath("data")});
        QVERIFY(program.waitForFinished(60'000));
        const QByteArray errors = program.readAllStandardError();
        QCOMPARE(program.exitCode(), 2);
        QVERIFY2(errors.contains("camera gige:127.0.0.3") && errors.contains("cannot be opened"), errors.constData());
        QVERIFY(program.readAllStandardOutput().isEmpty()); // no run, no summary
    }

    void unpluggingTheCameraMidLotRaisesTheCameraAlarmAndTheRecipesAbortWithTheLedgerBalanced()
    {
        QTemporaryDir dir;
        const QString recipeFile = writeRecipe(dir);
        ArvGvFakeCamera *fake = arv_gv_fake_camera_new("lo", "WS-UNPLUG");
        QVERIFY(arv_gv_fake_camera_is_running(fake));

        app::CommandLine options;
        options.camera = "gige:127.0.0.1";
        options.cameraPacketSize = 8000;
        const core::Recipe recipe = core::RecipeParser::parseFile(recipeFile.toStdString());
        QCOMPARE(recipe.faultActions.camera, core::FaultAction::Abort);
        app::MachineSetup machine(recipe, options);
        runtime::StatsRegistry stats;
        pipelines::InspectionEngine::Setup setup;
        setup.dataFolder = dir.filePath("data").toStdString();
        setup.makeAnalyzer = [](const core::Recipe &r) { return std::make_unique<pipelines::DetectorAnalyzer>(r); };
        pipelines::InspectionEngine engine(machine.machine(), setup, stats);

        pipelines::RunRequest request;
        request.recipe = recipe;
        request.lotId = "UNPLUG";
        request.wafers = {core::WaferId("UNPLUG-01"), core::WaferId("UNPLUG-02"), core::WaferId("UNPLUG-03")};
        QTimer unplug;
        QObject::connect(&unplug, &QTimer::timeout, [&] {
            if (fake != nullptr && engine.progress().ledger.framesAcquired >= 5) {
                g_object_unref(fake); // the cable is pulled
                fake = nullptr;
            }
        });
        unplug.start(20);
        pipelines::RunReport report = QCoro::waitFor(engine.runLot(request));
        unplug.stop();
        QVERIFY2(fake == nullptr, "the camera was unplugged mid-lot");
        QCOMPARE(report.state, core::RunState::Aborted);
        QVERIFY2(report.reason.find("camera") != std::string::npos, report.reason.c_str());
        QVERIFY(report.ledger.balances());
        QVERIFY(report.ledger.framesAcquired >= 5);
        QCOMPARE(report.ledger.framesAcquired, report.ledger.framesProcessed +
                                                   report.ledger.dropped(pipelines::FrameDropReason::DetectionFailed) +
                                                   report.ledger.dropped(pipelines::FrameDropReason::RunAborted));
    }
};

QTEST_MAIN(GigeLotTest)
#include "gige_lot_test.moc"
