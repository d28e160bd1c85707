#include <QTest>

#include <waferscope/core/validation_error.h>
#include <waferscope/hardware/sim/simulator_config.h>

using namespace std::chrono_literals;
using waferscope::core::ValidationError;
using namespace waferscope::hardware::sim;

namespace {

ValidationError errorOf(const SimulatorConfig &config)
{
    try {
        config.validate();
    } catch (const ValidationError &e) {
        return e;
    }
    throw std::logic_error("validate() accepted the configuration");
}

} // namespace

class SimulatorConfigTest : public QObject
{
    Q_OBJECT

private slots:
    void defaultsAreValidAndDescribeTheBriefsMachine()
    {
        const SimulatorConfig config;
        config.validate();
        QCOMPARE(config.image.width, 1024);
        QCOMPARE(config.image.height, 1024);
        QCOMPARE(config.timing.framesPerSecond, 50.0);
        QVERIFY(config.framePeriod() == 20ms);
        QCOMPARE(config.timing.pacing, SimulatorConfig::Pacing::Realtime);
        // One field of view per die: 1024 px of 12 µm see 12.288 mm, more than the 12 mm pitch.
        QVERIFY(config.image.width * config.image.pixelSizeUm / 1000.0 >= config.wafer.pitchXMm);
        QVERIFY(config.image.height * config.image.pixelSizeUm / 1000.0 >= config.wafer.pitchYMm);
    }

    void imageFormatFollowsTheImageSettings()
    {
        SimulatorConfig config;
        config.image.width = 2048;
        config.image.height = 512;
        config.image.pixelSizeUm = 6.0;
        QCOMPARE(config.imageFormat().width, 2048);
        QCOMPARE(config.imageFormat().height, 512);
        QCOMPARE(config.imageFormat().pixelSizeUm, 6.0);
        QCOMPARE(config.imageFormat().frameBytes(), std::size_t{2048} * 512);
    }

    void namesEveryWrongFieldAndWhatIsWrong()
    {
        SimulatorConfig config;
        config.image.width = 8192;
        config.timing.framesPerSecond = 0.0;
        config.devices.clampThresholdKpa = 90.0;
        config.defects.minParticlePx = 30;
        config.defects.maxParticlePx = 10;
        const ValidationError e = errorOf(config);
        QVERIFY(e.problemWith("image.width").find("8192 is outside 16…4096 pixels") != std::string_view::npos);
        QVERIFY(e.problemWith("timing.frames_per_second").find("outside") != std::string_view::npos);
        QVERIFY(e.problemWith("devices.clamp_threshold_kpa").find("no wafer would ever clamp") != std::string_view::npos);
        QVERIFY(e.problemWith("defects.max_particle_px").find("smaller than") != std::string_view::npos);
        QVERIFY(e.problemWith("image.height").empty());
        QCOMPARE(e.subject(), std::string("simulator configuration"));
    }

    void waferGeometryProblemsAreNamedUnderWafer()
    {
        SimulatorConfig config;
        config.wafer.diameterMm = 150.0;
        QVERIFY(errorOf(config).problemWith("wafer.diameter_mm").find("not a supported diameter") !=
                std::string_view::npos);
    }

    void aWrongFaultIsNamedByItsPlaceInTheList()
    {
        SimulatorConfig config;
        config.faults.push_back(FaultSpec::parse("encoder-error:start=1s,duration=1s"));
        FaultSpec bad = FaultSpec::parse("vacuum-drop:start=1s,duration=1s");
        bad.kpa = 500.0;
        config.faults.push_back(bad);
        const ValidationError e = errorOf(config);
        QVERIFY(e.problemWith("faults[1]").find("kpa: '500' is outside") != std::string_view::npos);
        QVERIFY(e.problemWith("faults[0]").empty());
    }

    void exposureLongerThanAFramePeriodIsRejected()
    {
        SimulatorConfig config;
        config.timing.exposure = 30ms;
        QVERIFY(!errorOf(config).problemWith("timing.exposure").empty());
    }
};

QTEST_GUILESS_MAIN(SimulatorConfigTest)
#include "simulator_config_test.moc"
