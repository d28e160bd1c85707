#include <QTest>

#include <chrono>
#include <string>
#include <vector>

#include <waferscope/hardware/sim/wafer_renderer.h>
#include <waferscope/pipelines/detection/defect_detector.h>

#include "detection_scoring.h"

using namespace waferscope;

namespace {

/// One optical set-up: the pixel on the wafer, the frame, the die pitch. The usable radius keeps a
/// wafer to a few dozen dies so that every set-up and seed runs in a second or two.
struct Geometry {
    const char *name;
    double pixelUm;
    int framePx;
    double pitchXMm;
    double pitchYMm;
    double usableRadiusMm;
};

constexpr Geometry kGeometries[] = {
    {"80 um, 256 px, 20 x 20 mm dies (quick-200mm)", 80.0, 256, 20.0, 20.0, 70.0},
    {"40 um, 512 px, 20 x 20 mm dies", 40.0, 512, 20.0, 20.0, 50.0},
    {"12 um, 1024 px, 10 x 12 mm dies (default)", 12.0, 1024, 10.0, 12.0, 30.0},
    {"5 um, 2048 px, 10 x 12 mm dies", 5.0, 2048, 10.0, 12.0, 24.0},
    {"5 um, 256 px, 5 x 5 mm dies", 5.0, 256, 5.0, 5.0, 16.0},
    {"80 um, 1024 px, 3 x 4 mm dies", 80.0, 1024, 3.0, 4.0, 10.0},
    {"25 um, 768 px, 15 x 12 mm dies", 25.0, 768, 15.0, 12.0, 40.0},
    {"60 um, 320 px, 7 x 9 mm dies", 60.0, 320, 7.0, 9.0, 24.0},
};
constexpr std::uint64_t kSeeds[] = {1, 2, 3};

/// What the detector does not yet do on a set-up and seed, each checked as an expected failure so
/// that it shows in every run and fails the test the day it starts to hold (docs/detection.md).
struct KnownGap {
    int geometry;
    std::uint64_t seed;
    bool misregisters; ///< a die is registered pixels off, and floods
    bool misses;       ///< recall below 0.99: at 80 µm over 3 × 4 mm dies, frames of many dies
    bool floods;       ///< precision below 0.99: at 80 µm over 3 × 4 mm dies, frames of many dies
};
constexpr KnownGap kKnownGaps[] = {
    {5, 1, false, false, true}, {5, 3, false, true, true},
};

const KnownGap *knownGap(int geometry, std::uint64_t seed)
{
    for (const KnownGap &gap : kKnownGaps) {
        if (gap.geometry == geometry && gap.seed == seed) {
            return &gap;
        }
    }
    return nullptr;
}
constexpr int kMinDefectSizePx = 2;   // the bundled coarse recipes' minimum size
constexpr int kTolerancePx = 2;       // the headless summary's matching tolerance
constexpr double kDefectsPerDie = 2.0; // enough defects for a per-set-up score to mean something

hardware::sim::SimulatorConfig machineFor(const Geometry &g, std::uint64_t seed)
{
    hardware::sim::SimulatorConfig config;
    config.seed = seed;
    config.wafer.diameterMm = 200.0;
    config.wafer.pitchXMm = g.pitchXMm;
    config.wafer.pitchYMm = g.pitchYMm;
    config.wafer.edgeExclusionMm = 100.0 - g.usableRadiusMm;
    config.image.width = g.framePx;
    config.image.height = g.framePx;
    config.image.pixelSizeUm = g.pixelUm;
    config.defects.densityPerCm2 = kDefectsPerDie / (g.pitchXMm * g.pitchYMm / 100.0);
    return config;
}

pipelines::DetectorConfig detectorFor(const hardware::sim::SimulatorConfig &machine)
{
    pipelines::DetectorConfig config;
    config.format = machine.imageFormat();
    config.diePitchXUm = machine.wafer.pitchXMm * 1000.0;
    config.diePitchYUm = machine.wafer.pitchYMm * 1000.0;
    config.minDefectSizePx = kMinDefectSizePx;
    config.cropSizePx = 16;
    return config;
}

} // namespace

class DetectionGeometryTest : public QObject
{
    Q_OBJECT

private slots:
    void everyDefectIsFoundAndNothingElseAtEveryPixelSizeFrameAndPitch_data()
    {
        QTest::addColumn<int>("geometry");
        QTest::addColumn<quint64>("seed");
        for (int g = 0; g < static_cast<int>(std::size(kGeometries)); ++g) {
            for (const std::uint64_t seed : kSeeds) {
                const std::string row = std::string(kGeometries[g].name) + ", seed " + std::to_string(seed);
                QTest::newRow(row.c_str()) << g << quint64{seed};
            }
        }
    }
    void everyDefectIsFoundAndNothingElseAtEveryPixelSizeFrameAndPitch()
    {
        QFETCH(int, geometry);
        QFETCH(quint64, seed);
        const Geometry &g = kGeometries[geometry];
        const hardware::sim::SimulatorConfig machine = machineFor(g, seed);
        hardware::sim::WaferRenderer renderer(machine);
        renderer.loadWafer(core::WaferId("W01"));
        pipelines::DefectDetector detector(detectorFor(machine));
        testing::DetectionScorer scorer(kMinDefectSizePx, kTolerancePx, g.pixelUm);

        std::vector<std::byte> frame(renderer.format().frameBytes());
        const auto dies = renderer.dieGrid().scanOrder();
        std::size_t inspected = 0;
        std::size_t overflowing = 0;
        const KnownGap *gap = knownGap(geometry, seed);
        const auto start = std::chrono::steady_clock::now();
        for (std::size_t k = 0; k < dies.size(); ++k) {
            renderer.render(dies[k], frame);
            hardware::FrameMetadata metadata;
            metadata.sequence = k;
            metadata.waferId = renderer.truth().waferId();
            metadata.die = dies[k];
            for (const pipelines::FrameInspection &inspection : detector.inspect(metadata, frame)) {
                overflowing += inspection.overflowCount > 0 ? 1 : 0;
                scorer.addDie(inspection.metadata.die, renderer.truth().defectsOn(inspection.metadata.die),
                              inspection.defects);
                ++inspected;
            }
        }
        QCOMPARE(inspected, dies.size()); // every die exactly once

        const testing::DetectionScore &s = scorer.score();
        qInfo("%zu dies, %zu truth defects: recall %.3f, precision %.3f (%zu of %zu), %.0f ms", dies.size(),
              s.truthCount, s.recall(), s.precision(), s.matchedDetections, s.detectionCount,
              std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
        for (const std::string &miss : s.misses) {
            qInfo("  missed %s", miss.c_str());
        }
        for (const std::string &alarm : s.falseAlarms) {
            qInfo("  false alarm %s", alarm.c_str());
        }
        QVERIFY(s.truthCount >= 10);
        if (gap != nullptr && gap->misregisters) {
            QEXPECT_FAIL("", "a die with a large defect is registered pixels off", Continue);
        }
        QCOMPARE(overflowing, std::size_t{0});
        if (gap != nullptr && gap->misses) {
            QEXPECT_FAIL("", "recall below 0.99 (docs/detection.md)", Continue);
        }
        QVERIFY2(s.recall() >= 0.99, qPrintable(QString::number(s.recall())));
        if (gap != nullptr && gap->floods) {
            QEXPECT_FAIL("", "precision below 0.99 (docs/detection.md)", Continue);
        }
        QVERIFY2(s.precision() >= 0.99, qPrintable(QString::number(s.precision())));
    }
};

QTEST_GUILESS_MAIN(DetectionGeometryTest)
#include "detection_geometry_test.moc"
