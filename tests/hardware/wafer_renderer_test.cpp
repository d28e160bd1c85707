#include <QTest>

#include <cmath>
#include <cstdlib>
#include <vector>

#include <waferscope/core/validation_error.h>
#include <waferscope/hardware/sim/wafer_renderer.h>
#include <waferscope/testing/allocation_counter.h>

#include "sim_fixtures.h"

using namespace waferscope;
using namespace waferscope::hardware::sim;
using waferscope::testing::hashBytes;
using waferscope::testing::meanOf;
using waferscope::testing::smallConfig;
using waferscope::testing::AllocationScope;

namespace {

using Frame = std::vector<std::byte>;

Frame render(WaferRenderer &renderer, core::DieIndex die, double illuminationFactor = 1.0)
{
    Frame frame(renderer.format().frameBytes());
    renderer.render(die, frame, illuminationFactor);
    return frame;
}

std::vector<std::uint64_t> hashWafer(const SimulatorConfig &config, const core::WaferId &wafer)
{
    WaferRenderer renderer(config);
    renderer.loadWafer(wafer);
    std::vector<std::uint64_t> hashes;
    for (const core::DieIndex die : renderer.dieGrid().scanOrder()) {
        hashes.push_back(hashBytes(render(renderer, die)));
    }
    return hashes;
}

int at(const Frame &frame, int width, int x, int y)
{
    return static_cast<int>(frame[static_cast<std::size_t>(y) * static_cast<std::size_t>(width) + static_cast<std::size_t>(x)]);
}

/// A plain machine: no noise, no drift, no defects, optionally no misregistration.
SimulatorConfig plainConfig(double misregistration)
{
    SimulatorConfig config = smallConfig();
    config.image.noiseSigma = 0.0;
    config.image.illuminationDrift = 0.0;
    config.image.maxMisregistrationPx = misregistration;
    config.defects.densityPerCm2 = 0.0;
    return config;
}

} // namespace

class WaferRendererTest : public QObject
{
    Q_OBJECT

private slots:
    void sameSeedAndWaferGiveTheSameFramesByteForByte()
    {
        SimulatorConfig config = smallConfig();
        config.defects.densityPerCm2 = 1.0;
        QCOMPARE(hashWafer(config, core::WaferId("W01")), hashWafer(config, core::WaferId("W01")));
    }

    void anotherSeedGivesOtherFrames()
    {
        SimulatorConfig config = smallConfig();
        SimulatorConfig other = config;
        other.seed = 99;
        const auto a = hashWafer(config, core::WaferId("W01"));
        const auto b = hashWafer(other, core::WaferId("W01"));
        for (std::size_t i = 0; i < a.size(); ++i) {
            QVERIFY(a[i] != b[i]);
        }
    }

    void anotherWaferGivesOtherFrames()
    {
        const auto a = hashWafer(smallConfig(), core::WaferId("W01"));
        const auto b = hashWafer(smallConfig(), core::WaferId("W02"));
        for (std::size_t i = 0; i < a.size(); ++i) {
            QVERIFY(a[i] != b[i]);
        }
    }

    void aFrameDoesNotDependOnWhatWasRenderedBefore()
    {
        WaferRenderer renderer(smallConfig());
        renderer.loadWafer(core::WaferId("W01"));
        const core::DieIndex die = renderer.dieGrid().scanOrder()[17];
        const std::uint64_t first = hashBytes(render(renderer, die));
        static_cast<void>(render(renderer, renderer.dieGrid().scanOrder()[3]));
        renderer.loadWafer(core::WaferId("W02"));
        static_cast<void>(render(renderer, die));
        renderer.loadWafer(core::WaferId("W01"));
        QCOMPARE(hashBytes(render(renderer, die)), first);
    }

    void everyDieShowsTheSamePattern()
    {
        WaferRenderer renderer(plainConfig(0.0));
        renderer.loadWafer(core::WaferId("W01"));
        const std::uint64_t first = hashBytes(render(renderer, renderer.dieGrid().scanOrder()[0]));
        for (const core::DieIndex die : renderer.dieGrid().scanOrder()) {
            QCOMPARE(hashBytes(render(renderer, die)), first);
        }
        // …and the pattern has structure: streets, lines, pads and vias span the grey scale.
        const Frame frame = render(renderer, renderer.dieGrid().scanOrder()[0]);
        int darkest = 255;
        int brightest = 0;
        for (const std::byte b : frame) {
            darkest = std::min(darkest, static_cast<int>(b));
            brightest = std::max(brightest, static_cast<int>(b));
        }
        QVERIFY(darkest < 60);
        QVERIFY(brightest > 180);
    }

    void eachDieLandsWhereItsRegistrationSays()
    {
        // Compare against an unshifted reference: the integer shift with the least difference is
        // the registration rounded (picked dies have fractions well away from one half).
        WaferRenderer reference(plainConfig(0.0));
        WaferRenderer shifted(plainConfig(3.0));
        reference.loadWafer(core::WaferId("W01"));
        shifted.loadWafer(core::WaferId("W01"));
        const int width = shifted.format().width;
        const int height = shifted.format().height;
        int checked = 0;
        for (const core::DieIndex die : shifted.dieGrid().scanOrder()) {
            const auto &r = shifted.truth().registration(die);
            const auto farFromHalf = [](double v) { return std::abs(std::abs(v - std::floor(v)) - 0.5) > 0.25; };
            if (!farFromHalf(r.shiftXPx) || !farFromHalf(r.shiftYPx)) {
                continue;
            }
            const Frame ref = render(reference, die);
            const Frame img = render(shifted, die);
            int bestDx = 0;
            int bestDy = 0;
            long best = -1;
            for (int dy = -4; dy <= 4; ++dy) {
                for (int dx = -4; dx <= 4; ++dx) {
                    long sad = 0;
                    for (int y = 8; y < height - 8; ++y) {
                        for (int x = 8; x < width - 8; ++x) {
                            sad += std::abs(at(img, width, x, y) - at(ref, width, x - dx, y - dy));
                        }
                    }
                    if (best < 0 || sad < best) {
                        best = sad;
                        bestDx = dx;
                        bestDy = dy;
                    }
                }
            }
            QCOMPARE(bestDx, static_cast<int>(std::lround(r.shiftXPx)));
            QCOMPARE(bestDy, static_cast<int>(std::lround(r.shiftYPx)));
            if (++checked == 6) {
                break;
            }
        }
        QCOMPARE(checked, 6);
    }

    void noiseHasTheConfiguredSpread()
    {
        SimulatorConfig quiet = plainConfig(0.5);
        SimulatorConfig noisy = quiet;
        noisy.image.noiseSigma = 5.0;
        WaferRenderer a(quiet);
        WaferRenderer b(noisy);
        a.loadWafer(core::WaferId("W01"));
        b.loadWafer(core::WaferId("W01"));
        const core::DieIndex die = a.dieGrid().scanOrder()[40];
        const Frame x = render(a, die);
        const Frame y = render(b, die);
        double sum = 0.0;
        double squares = 0.0;
        for (std::size_t i = 0; i < x.size(); ++i) {
            const double d = static_cast<double>(y[i]) - static_cast<double>(x[i]);
            sum += d;
            squares += d * d;
        }
        const double n = static_cast<double>(x.size());
        const double sigma = std::sqrt(squares / n - (sum / n) * (sum / n));
        QVERIFY2(std::abs(sigma - 5.0) < 0.5, qPrintable(QString::number(sigma)));
        QVERIFY(std::abs(sum / n) < 0.5);
    }

    void brightnessFollowsTheDiesIlluminationGain()
    {
        SimulatorConfig config = plainConfig(0.0);
        config.image.illuminationDrift = 0.2;
        WaferRenderer renderer(config);
        renderer.loadWafer(core::WaferId("W01"));
        const auto order = renderer.dieGrid().scanOrder();
        const double reference = meanOf(render(renderer, order[0])) / renderer.truth().registration(order[0]).illuminationGain;
        for (std::size_t i = 0; i < order.size(); i += 17) {
            const double expected = reference * renderer.truth().registration(order[i]).illuminationGain;
            QVERIFY(std::abs(meanOf(render(renderer, order[i])) / expected - 1.0) < 0.01);
        }
    }

    void illuminationFactorScalesBrightness()
    {
        WaferRenderer renderer(plainConfig(0.0));
        renderer.loadWafer(core::WaferId("W01"));
        const core::DieIndex die = renderer.dieGrid().scanOrder()[5];
        const double full = meanOf(render(renderer, die, 1.0));
        const double half = meanOf(render(renderer, die, 0.5));
        QVERIFY(std::abs(half / full - 0.5) < 0.01);
    }

    void defectsChangeThePixelsTheirTruthBoxesHoldAndNoOthers()
    {
        // Pixels of 25 µm: at the small machine's 50 µm a pixel is larger than a via, and a via that
        // is missing or extra changes it by only a few grey levels — true, but not what this tests.
        SimulatorConfig withDefects = smallConfig();
        withDefects.image.width = 512;
        withDefects.image.height = 512;
        withDefects.image.pixelSizeUm = 25.0;
        withDefects.defects.densityPerCm2 = 3.0;
        SimulatorConfig without = withDefects;
        without.defects.densityPerCm2 = 0.0;
        WaferRenderer a(withDefects);
        WaferRenderer b(without);
        a.loadWafer(core::WaferId("W01"));
        b.loadWafer(core::WaferId("W01"));
        const int width = a.format().width;
        std::size_t boxes = 0;
        for (const core::DieIndex die : a.dieGrid().scanOrder()) {
            const auto defects = a.truth().defectsOn(die);
            if (defects.empty()) {
                continue;
            }
            const Frame x = render(a, die);
            const Frame y = render(b, die);
            std::vector<bool> inBox(x.size(), false);
            for (const DefectTruth &d : defects) {
                int strongest = 0;
                for (int row = d.pixels.y; row < d.pixels.y + d.pixels.height; ++row) {
                    for (int column = d.pixels.x; column < d.pixels.x + d.pixels.width; ++column) {
                        inBox[static_cast<std::size_t>(row) * static_cast<std::size_t>(width) + static_cast<std::size_t>(column)] = true;
                        strongest = std::max(strongest, std::abs(at(x, width, column, row) - at(y, width, column, row)));
                    }
                }
                QVERIFY2(strongest >= 20, qPrintable(QString("%1 on %2 changes at most %3 grey levels")
                                                         .arg(toText(d.defectClass).data())
                                                         .arg(core::toText(die).c_str())
                                                         .arg(strongest)));
                ++boxes;
            }
            for (std::size_t i = 0; i < x.size(); ++i) {
                if (x[i] != y[i]) {
                    QVERIFY2(inBox[i], "a pixel changed outside every truth box");
                }
            }
        }
        QVERIFY(boxes > 100);
    }

    void renderingAllocatesNothing()
    {
        SimulatorConfig config = smallConfig();
        config.defects.densityPerCm2 = 3.0;
        WaferRenderer renderer(config);
        renderer.loadWafer(core::WaferId("W01"));
        Frame frame(renderer.format().frameBytes());
        const AllocationScope scope;
        for (const core::DieIndex die : renderer.dieGrid().scanOrder()) {
            renderer.render(die, frame);
        }
        QCOMPARE(scope.thread(), std::uint64_t{0});
    }

    void refusesAFrameTooSmallADieOffTheGridAndRenderingBeforeAWaferIsLoaded()
    {
        WaferRenderer renderer(smallConfig());
        Frame frame(renderer.format().frameBytes());
        const core::DieIndex die = renderer.dieGrid().scanOrder()[0];
        QVERIFY_THROWS_EXCEPTION(std::logic_error, renderer.render(die, frame));
        QVERIFY(!renderer.hasWafer());
        renderer.loadWafer(core::WaferId("W01"));
        QVERIFY(renderer.hasWafer());
        Frame small(frame.size() - 1);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, renderer.render(die, small));
        QVERIFY_THROWS_EXCEPTION(std::out_of_range, renderer.render({0, 0}, frame));
    }

    void constructionValidatesTheConfiguration()
    {
        SimulatorConfig config = smallConfig();
        config.image.width = 5;
        try {
            const WaferRenderer renderer(config);
        } catch (const core::ValidationError &e) {
            QVERIFY(!e.problemWith("image.width").empty());
            return;
        }
        QFAIL("accepted a 5 pixel wide image");
    }

    void truthIsTheWafersGeneratedTruth()
    {
        SimulatorConfig config = smallConfig();
        config.defects.densityPerCm2 = 1.0;
        WaferRenderer renderer(config);
        renderer.loadWafer(core::WaferId("W07"));
        const WaferTruth generated = WaferTruth::generate(config, core::WaferId("W07"));
        QCOMPARE(renderer.truth().defects().size(), generated.defects().size());
        QCOMPARE(renderer.truth().waferId(), core::WaferId("W07"));
    }

    void framesAreAsLargeAsConfigured()
    {
        SimulatorConfig config = smallConfig();
        config.image.width = 4096;
        config.image.height = 64;
        WaferRenderer renderer(config);
        QCOMPARE(renderer.format().frameBytes(), std::size_t{4096} * 64);
        renderer.loadWafer(core::WaferId("W01"));
        Frame frame(renderer.format().frameBytes());
        renderer.render(renderer.dieGrid().scanOrder()[0], frame);
    }
};

QTEST_GUILESS_MAIN(WaferRendererTest)
#include "wafer_renderer_test.moc"
