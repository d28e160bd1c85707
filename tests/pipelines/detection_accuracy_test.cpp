#include <QTest>

#include <chrono>
#include <filesystem>

#include <waferscope/core/recipes/recipe_parser.h>
#include <waferscope/hardware/sim/wafer_renderer.h>
#include <waferscope/pipelines/detection/defect_detector.h>

#include "detection_scoring.h"

using namespace waferscope;

namespace {

const std::filesystem::path kRecipes{WAFERSCOPE_RECIPES_DIR};

/// The simulated machine a recipe describes; what the recipe does not set keeps the simulator's default.
hardware::sim::SimulatorConfig machineFor(const core::Recipe &recipe)
{
    hardware::sim::SimulatorConfig config;
    config.seed = recipe.simulator.seed;
    config.wafer = recipe.wafer;
    config.image.width = recipe.frame.widthPx;
    config.image.height = recipe.frame.heightPx;
    config.image.pixelSizeUm = recipe.frame.pixelSizeUm;
    config.defects.densityPerCm2 = recipe.simulator.defectDensityPerCm2;
    return config;
}

} // namespace

class DetectionAccuracyTest : public QObject
{
    Q_OBJECT

private slots:
    void findsNinetyNinePercentOfAWholeWafersDefectsAtNinetyNinePercentPrecision_data()
    {
        QTest::addColumn<QString>("wafer");
        QTest::newRow("W01") << QString("W01");
        QTest::newRow("W02") << QString("W02");
    }
    void findsNinetyNinePercentOfAWholeWafersDefectsAtNinetyNinePercentPrecision()
    {
        QFETCH(QString, wafer);
        const core::Recipe recipe = core::RecipeParser::parseFile(kRecipes / "default.json");
        hardware::sim::WaferRenderer renderer(machineFor(recipe));
        renderer.loadWafer(core::WaferId(wafer.toStdString()));
        pipelines::DefectDetector detector(pipelines::DetectorConfig::fromRecipe(recipe));
        testing::DetectionScorer scorer(recipe.detection.minDefectSizePx, 3);

        std::vector<std::byte> frame(renderer.format().frameBytes());
        const auto score = [&](std::span<const pipelines::FrameInspection> done) {
            for (const pipelines::FrameInspection &inspection : done) {
                QCOMPARE(inspection.overflowCount, std::size_t{0});
                scorer.addDie(inspection.metadata.die, renderer.truth().defectsOn(inspection.metadata.die),
                              inspection.defects);
            }
        };
        std::chrono::steady_clock::duration inspecting{};
        std::size_t inspected = 0;
        const auto dies = renderer.dieGrid().scanOrder();
        for (std::size_t k = 0; k < dies.size(); ++k) {
            renderer.render(dies[k], frame);
            hardware::FrameMetadata metadata;
            metadata.sequence = k;
            metadata.waferId = renderer.truth().waferId();
            metadata.die = dies[k];
            const auto start = std::chrono::steady_clock::now();
            const auto done = detector.inspect(metadata, frame);
            inspecting += std::chrono::steady_clock::now() - start;
            inspected += done.size();
            score(done);
        }
        QCOMPARE(inspected, dies.size()); // every die exactly once

        const testing::DetectionScore &s = scorer.score();
        qInfo("%s: %zu dies, %zu truth defects of %d px or more: recall %.4f (%zu found), precision %.4f (%zu of %zu "
              "detections right), class right for %zu of %zu; %.1f ms a die, learning included",
              qPrintable(wafer), dies.size(), s.truthCount, recipe.detection.minDefectSizePx, s.recall(),
              s.matchedTruth, s.precision(), s.matchedDetections, s.detectionCount, s.classAgreements(),
              s.matchedTruth, std::chrono::duration<double, std::milli>(inspecting).count() / double(dies.size()));
        for (const core::DefectClass c : core::kAllDefectClasses) {
            const auto i = std::size_t(c);
            if (s.truthByClass[i] > 0) {
                qInfo("  %-16s %4zu, missed %zu", toText(c).data(), s.truthByClass[i], s.missedByClass[i]);
            }
        }
        for (const std::string &miss : s.misses) {
            qInfo("  missed %s", miss.c_str());
        }
        for (const std::string &alarm : s.falseAlarms) {
            qInfo("  false alarm %s", alarm.c_str());
        }
        QVERIFY(s.truthCount > 250);
        QVERIFY2(s.recall() >= 0.99, qPrintable(QString::number(s.recall())));
        QVERIFY2(s.precision() >= 0.99, qPrintable(QString::number(s.precision())));
    }
};

QTEST_GUILESS_MAIN(DetectionAccuracyTest)
#include "detection_accuracy_test.moc"
