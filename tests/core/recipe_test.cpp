#include <QTest>

#include <string>

#include <waferscope/core/recipes/recipe.h>
#include <waferscope/core/validation_error.h>

using waferscope::core::DefectClass;
using waferscope::core::FaultAction;
using waferscope::core::FaultClass;
using waferscope::core::kAllDefectClasses;
using waferscope::core::kAllFaultClasses;
using waferscope::core::Recipe;
using waferscope::core::ValidationError;

namespace {

ValidationError validationErrorOf(const Recipe &recipe)
{
    try {
        recipe.validate();
    } catch (const ValidationError &error) {
        return error;
    }
    throw std::logic_error("validate() accepted the recipe");
}

} // namespace

class RecipeTest : public QObject
{
    Q_OBJECT

private slots:
    void defaultConstructedRecipeIsValid()
    {
        const Recipe recipe;
        recipe.validate();
        QCOMPARE(recipe.wafer.diameterMm, 300.0);
        QCOMPARE(recipe.wafer.pitchXMm, 10.0);
        QCOMPARE(recipe.wafer.pitchYMm, 12.0);
        QVERIFY(recipe.sampling.mode == Recipe::Sampling::Mode::AllDies);
    }

    void validateNamesEveryWrongFieldByItsJsonPath()
    {
        Recipe recipe;
        recipe.wafer.pitchXMm = -1.0;
        recipe.frame.widthPx = 8;
        recipe.detection.thresholdSigma = 0.0;
        recipe.alarms.vacuum.delay = std::chrono::milliseconds(-5);
        const ValidationError error = validationErrorOf(recipe);
        QCOMPARE(error.subject(), std::string("recipe 'default'"));
        QCOMPARE(error.issues().size(), std::size_t{4});
        QVERIFY(!error.problemWith("wafer.diePitch.x").empty());
        QVERIFY(!error.problemWith("frame.widthPx").empty());
        QVERIFY(!error.problemWith("detection.thresholdSigma").empty());
        QVERIFY(!error.problemWith("alarms.vacuum.delayMs").empty());
    }

    void outOfRangeNamesTheValueAndTheAllowedRange()
    {
        Recipe recipe;
        recipe.frame.widthPx = 5000;
        recipe.simulator.defectDensityPerCm2 = 250.0;
        const ValidationError error = validationErrorOf(recipe);
        QCOMPARE(error.problemWith("frame.widthPx"), std::string_view("5000 px is out of range (allowed 16…4096 px)"));
        QCOMPARE(error.problemWith("simulator.defectDensityPerCm2"),
                 std::string_view("250 defects/cm² is out of range (allowed 0…100 defects/cm²)"));
    }

    void aMinimumDefectSizeOfOnePixelIsRefusedAsBelowWhatTheOpticsResolve()
    {
        Recipe recipe;
        recipe.detection.minDefectSizePx = 1;
        const ValidationError error = validationErrorOf(recipe);
        QCOMPARE(error.problemWith("detection.minDefectSizePx"),
                 std::string_view("1 px is below what the optics resolve: a defect must span at least 2 px to be told "
                                  "from noise (allowed 2…1024 px)"));
        recipe.detection.minDefectSizePx = 2;
        recipe.validate();
    }

    void unsupportedDiameterIsNamedByItsJsonPath()
    {
        Recipe recipe;
        recipe.wafer.diameterMm = 250.0;
        const ValidationError error = validationErrorOf(recipe);
        QVERIFY(error.problemWith("wafer.diameterMm").find("200 or 300") != std::string_view::npos);
    }

    void pitchOnWhichNoDieFitsIsNamed()
    {
        Recipe recipe;
        recipe.wafer.pitchXMm = 290.0;
        recipe.wafer.pitchYMm = 290.0;
        const ValidationError error = validationErrorOf(recipe);
        QCOMPARE(error.issues().size(), std::size_t{1});
        QVERIFY(error.problemWith("wafer.diePitch").find("no die") != std::string_view::npos);
    }

    void listedDiesMustBeOnTheWaferAndListedOnce()
    {
        Recipe recipe;
        recipe.sampling.mode = Recipe::Sampling::Mode::Listed;
        recipe.sampling.dies = {{10, 10}, {500, 2}, {10, 10}};
        const ValidationError error = validationErrorOf(recipe);
        QCOMPARE(error.issues().size(), std::size_t{2});
        QVERIFY(error.problemWith("sampling.dies[1]").find("(500,2) is not a die of this wafer") != std::string_view::npos);
        QCOMPARE(error.problemWith("sampling.dies[2]"), std::string_view("(10,10) is listed twice (first at sampling.dies[0])"));
    }

    void listedSamplingWithoutDiesAndAllDiesWithDiesAreErrors()
    {
        Recipe listed;
        listed.sampling.mode = Recipe::Sampling::Mode::Listed;
        QVERIFY(!validationErrorOf(listed).problemWith("sampling.dies").empty());

        Recipe all;
        all.sampling.dies = {{10, 10}};
        QVERIFY(validationErrorOf(all).problemWith("sampling.dies").find("mode is 'all'") != std::string_view::npos);
    }

    void everyDefectClassNeedsExactlyOneEntry()
    {
        Recipe missing;
        missing.defectClasses.pop_back(); // drops "pattern": missing-feature, extra-feature, bridge
        const ValidationError error = validationErrorOf(missing);
        QCOMPARE(error.issues().size(), std::size_t{3});
        QCOMPARE(error.issues()[2].field, std::string("defectClasses"));
        QCOMPARE(error.issues()[2].problem,
                 std::string("'bridge' is in no entry; every defect class needs a class number"));

        Recipe twice;
        twice.defectClasses[2].classes.push_back(DefectClass::ParticleDark);
        QCOMPARE(validationErrorOf(twice).problemWith("defectClasses[2].classes[1]"),
                 std::string_view("'particle-dark' is already in defectClasses[1]"));
    }

    void classNumbersAndNamesAreUnique()
    {
        Recipe recipe;
        recipe.defectClasses[2].number = 1;
        recipe.defectClasses[3].name = "particle";
        const ValidationError error = validationErrorOf(recipe);
        QCOMPARE(error.problemWith("defectClasses[2].number"), std::string_view("1 is already the number of defectClasses[1]"));
        QCOMPARE(error.problemWith("defectClasses[3].name"),
                 std::string_view("'particle' is already the name of defectClasses[1]"));
    }

    void classNameMustFitAKlarfString()
    {
        Recipe recipe;
        recipe.defectClasses[1].name = "par\"ticle";
        QVERIFY(!validationErrorOf(recipe).problemWith("defectClasses[1].name").empty());
    }

    void cropMustFitInAFrame()
    {
        Recipe recipe;
        recipe.frame.heightPx = 100;
        recipe.staging.cropSizePx = 128;
        QCOMPARE(validationErrorOf(recipe).problemWith("staging.cropSizePx"),
                 std::string_view("128 px is larger than a frame (frame.heightPx is 100 px)"));
    }

    void illuminationBandMustNotBeEmpty()
    {
        Recipe recipe;
        recipe.alarms.illumination.minPercent = 80.0;
        recipe.alarms.illumination.maxPercent = 80.0;
        QVERIFY(validationErrorOf(recipe).problemWith("alarms.illumination.maxPercent").find("band would be empty") !=
                std::string_view::npos);
    }

    void nameMustNotBeEmpty()
    {
        Recipe recipe;
        recipe.name.clear();
        const ValidationError error = validationErrorOf(recipe);
        QCOMPARE(error.subject(), std::string("recipe (unnamed)"));
        QVERIFY(!error.problemWith("name").empty());
    }

    void faultSpecWithoutAKindIsRejected()
    {
        Recipe recipe;
        recipe.simulator.faults = {"vacuum-drop:start=10s,duration=5s", "vacuum-drop", ":start=1s"};
        const ValidationError error = validationErrorOf(recipe);
        QCOMPARE(error.issues().size(), std::size_t{2});
        QVERIFY(!error.problemWith("simulator.faults[1]").empty());
        QVERIFY(!error.problemWith("simulator.faults[2]").empty());
    }

    void faultSpecTextIsOtherwiseLeftToTheSimulatorsParser()
    {
        // Core does not know the simulator's keys; the composition root parses the text and names
        // the key that is wrong.
        Recipe recipe;
        recipe.simulator.faults = {"vacuum-drop:start=soon"};
        recipe.validate();
    }

    void classNumberOfFindsTheEntryThatCoversAClass()
    {
        const Recipe recipe;
        QCOMPARE(recipe.classNumberOf(DefectClass::Unknown), std::optional<int>(0));
        QCOMPARE(recipe.classNumberOf(DefectClass::ParticleDark), std::optional<int>(1));
        QCOMPARE(recipe.classNumberOf(DefectClass::Scratch), std::optional<int>(2));
        QCOMPARE(recipe.classNumberOf(DefectClass::Bridge), std::optional<int>(3));

        Recipe partial;
        partial.defectClasses.pop_back();
        QCOMPARE(partial.classNumberOf(DefectClass::Bridge), std::optional<int>());
    }

    void faultActionsOnAndSetAddressOneClassEach()
    {
        for (const FaultClass changed : kAllFaultClasses) {
            Recipe::FaultActions actions;
            const FaultAction flipped =
                actions.on(changed) == FaultAction::Pause ? FaultAction::Abort : FaultAction::Pause;
            const Recipe::FaultActions before = actions;
            actions.set(changed, flipped);
            QCOMPARE(actions.on(changed), flipped);
            for (const FaultClass other : kAllFaultClasses) {
                if (other != changed) {
                    QCOMPARE(actions.on(other), before.on(other));
                }
            }
        }
    }

    void summaryReadsLikeTheRecipePicker()
    {
        QCOMPARE(Recipe{}.summary(), std::string("300 mm · 10 × 12 mm dies · 1024² px @ 12.0 µm · 0.5 defects/cm²"));
    }

    void summaryShowsNonSquareFramesAndTheNumberOfListedDies()
    {
        Recipe recipe;
        recipe.wafer.diameterMm = 200.0;
        recipe.wafer.pitchXMm = 7.5;
        recipe.wafer.pitchYMm = 20.0;
        recipe.frame.widthPx = 256;
        recipe.frame.heightPx = 128;
        recipe.frame.pixelSizeUm = 80.0;
        recipe.simulator.defectDensityPerCm2 = 0.05;
        recipe.sampling.mode = Recipe::Sampling::Mode::Listed;
        recipe.sampling.dies = {{1, 1}, {2, 2}, {3, 3}};
        QCOMPARE(recipe.summary(),
                 std::string("200 mm · 7.5 × 20 mm dies · 256 × 128 px @ 80.0 µm · 0.05 defects/cm² · 3 dies sampled"));
    }
};

QTEST_GUILESS_MAIN(RecipeTest)
#include "recipe_test.moc"
