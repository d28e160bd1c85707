#include <QTest>

#include <filesystem>
#include <string>
#include <vector>

#include <waferscope/core/die_grid.h>
#include <waferscope/core/recipes/recipe_parser.h>
#include <waferscope/hardware/sim/fault_spec.h>

using waferscope::core::DieGrid;
using waferscope::core::Recipe;
using waferscope::core::RecipeParser;
using waferscope::hardware::sim::FaultSpec;

namespace {

const std::filesystem::path kRecipes{WAFERSCOPE_RECIPES_DIR};

std::vector<std::filesystem::path> bundledRecipes()
{
    std::vector<std::filesystem::path> files;
    for (const auto &entry : std::filesystem::directory_iterator(kRecipes)) {
        if (entry.path().extension() == ".json") {
            files.push_back(entry.path());
        }
    }
    return files;
}

} // namespace

/// The recipes shipped in resources/recipes: each one must load, and the simulator must accept
/// its fault timeline, since core only checks the specs' shape.
class BundledRecipesTest : public QObject
{
    Q_OBJECT

private slots:
    void everyBundledRecipeParsesAndIsNamedAfterItsFile()
    {
        const std::vector<std::filesystem::path> files = bundledRecipes();
        QVERIFY(files.size() >= 2);
        for (const std::filesystem::path &file : files) {
            const Recipe recipe = RecipeParser::parseFile(file);
            QCOMPARE(recipe.name, file.stem().string());
            QVERIFY2(!recipe.description.empty(), file.c_str());
        }
    }

    void defaultRecipeFileHoldsTheDefaultRecipe()
    {
        Recipe fromFile = RecipeParser::parseFile(kRecipes / "default.json");
        fromFile.description.clear();
        QVERIFY(fromFile == Recipe{});
    }

    void quickRecipeIsASmall200MillimetreWafer()
    {
        const Recipe recipe = RecipeParser::parseFile(kRecipes / "quick-200mm.json");
        QCOMPARE(recipe.wafer.diameterMm, 200.0);
        QVERIFY(recipe.simulator.faults.empty());
        const DieGrid grid(recipe.wafer);
        QVERIFY2(grid.dieCount() < 100, std::to_string(grid.dieCount()).c_str());
    }

    void bundledFaultSpecsParseWithTheSimulatorsParser()
    {
        std::size_t specs = 0;
        for (const std::filesystem::path &file : bundledRecipes()) {
            for (const std::string &text : RecipeParser::parseFile(file).simulator.faults) {
                QCOMPARE(FaultSpec::parse(text).toString(), text);
                ++specs;
            }
        }
        QVERIFY(specs > 0);
    }
};

QTEST_GUILESS_MAIN(BundledRecipesTest)
#include "bundled_recipes_test.moc"
