#include <QTest>

#include <waferscope/core/recipes/recipe.h>
#include <waferscope/core/validation_error.h>
#include <waferscope/pipelines/detection/detector_config.h>

using namespace waferscope;
using pipelines::DetectorConfig;

class DetectorConfigTest : public QObject
{
    Q_OBJECT

private slots:
    void fromRecipeTakesTheFramesDiePitchSensitivityAndCropSize()
    {
        core::Recipe recipe;
        recipe.frame = {2048, 1536, 6.0};
        recipe.wafer.pitchXMm = 8.0;
        recipe.wafer.pitchYMm = 9.5;
        recipe.detection = {7.5, 4};
        recipe.staging.cropSizePx = 96;
        const DetectorConfig config = DetectorConfig::fromRecipe(recipe);
        QCOMPARE(config.format, (hardware::ImageFormat{2048, 1536, 6.0}));
        QCOMPARE(config.diePitchXUm, 8000.0);
        QCOMPARE(config.diePitchYUm, 9500.0);
        QCOMPARE(config.thresholdSigma, 7.5);
        QCOMPARE(config.minDefectSizePx, 4);
        QCOMPARE(config.cropSizePx, 96);
        // What a recipe does not say keeps its default.
        QCOMPARE(config.referenceSize, DetectorConfig{}.referenceSize);
        QCOMPARE(config.maxDefectsPerFrame, DetectorConfig{}.maxDefectsPerFrame);
        config.validate();
    }

    void theDefaultsAreValid()
    {
        DetectorConfig{}.validate();
        DetectorConfig::fromRecipe(core::Recipe{}).validate();
    }

    void validateNamesEveryFieldOutOfRange()
    {
        DetectorConfig config;
        config.format = {16, 5000, 0.0};
        config.diePitchXUm = 0.0;
        config.diePitchYUm = -1.0;
        config.thresholdSigma = 0.5;
        config.minDefectSizePx = 0;
        config.referenceSize = 2;
        config.maxDefectsPerFrame = 0;
        config.cropSizePx = 20;
        try {
            config.validate();
            QFAIL("accepted a configuration with every field wrong");
        } catch (const core::ValidationError &e) {
            QCOMPARE(e.subject(), std::string("detector configuration"));
            for (const char *field :
                { "format.width", "format.height", "format.pixelSizeUm", "diePitchXUm", "diePitchYUm", "thresholdSigma",
                    "minDefectSizePx", "referenceSize", "maxDefectsPerFrame", "cropSizePx" }) {
                QVERIFY2(!e.problemWith(field).empty(), field);
            }
            QCOMPARE(e.problemWith("referenceSize"), std::string_view("is 2, must be 3…15"));
        }
    }

    void aCropLargerThanTheFrameIsRefused()
    {
        DetectorConfig config;
        config.format = {256, 128, 12.0};
        config.cropSizePx = 129;
        QVERIFY_THROWS_EXCEPTION(core::ValidationError, config.validate());
        config.cropSizePx = 128;
        config.validate();
    }
};

QTEST_GUILESS_MAIN(DetectorConfigTest)
#include "detector_config_test.moc"
