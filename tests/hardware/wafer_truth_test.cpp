#include <QTest>

#include <cmath>
#include <map>
#include <set>

#include <waferscope/hardware/sim/wafer_truth.h>

#include "sim_fixtures.h"

using namespace waferscope;
using namespace waferscope::hardware::sim;
using core::DefectClass;

namespace {

bool sameTruth(const WaferTruth &a, const WaferTruth &b)
{
    if (a.defects().size() != b.defects().size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.defects().size(); ++i) {
        const DefectTruth &x = a.defects()[i];
        const DefectTruth &y = b.defects()[i];
        if (x.id != y.id || x.sourceId != y.sourceId || x.defectClass != y.defectClass || x.die != y.die ||
            x.pixels.x != y.pixels.x || x.pixels.y != y.pixels.y || x.pixels.width != y.pixels.width ||
            x.pixels.height != y.pixels.height || x.microns.xMin != y.microns.xMin ||
            x.microns.yMax != y.microns.yMax) {
            return false;
        }
    }
    for (const core::DieIndex die : a.dieGrid().scanOrder()) {
        if (a.registration(die).shiftXPx != b.registration(die).shiftXPx ||
            a.registration(die).illuminationGain != b.registration(die).illuminationGain) {
            return false;
        }
    }
    return true;
}

SimulatorConfig denseConfig()
{
    SimulatorConfig config; // the full-size default machine: 300 mm, 1024² frames
    config.defects.densityPerCm2 = 2.0;
    return config;
}

} // namespace

class WaferTruthTest : public QObject
{
    Q_OBJECT

private slots:
    void sameSeedAndWaferGiveTheSameTruth()
    {
        const SimulatorConfig config = denseConfig();
        QVERIFY(sameTruth(WaferTruth::generate(config, core::WaferId("W01")),
                          WaferTruth::generate(config, core::WaferId("W01"))));
    }

    void anotherSeedGivesAnotherWafer()
    {
        SimulatorConfig other = denseConfig();
        other.seed = 2;
        QVERIFY(!sameTruth(WaferTruth::generate(denseConfig(), core::WaferId("W01")),
                           WaferTruth::generate(other, core::WaferId("W01"))));
    }

    void anotherWaferIdGivesAnotherWafer()
    {
        QVERIFY(!sameTruth(WaferTruth::generate(denseConfig(), core::WaferId("W01")),
                           WaferTruth::generate(denseConfig(), core::WaferId("W02"))));
    }

    void everyDefectsPixelBoxLiesInItsDiesFrame()
    {
        const SimulatorConfig config = denseConfig();
        const WaferTruth truth = WaferTruth::generate(config, core::WaferId("W01"));
        QVERIFY(truth.defects().size() > 500);
        for (const DefectTruth &d : truth.defects()) {
            QVERIFY(truth.dieGrid().contains(d.die));
            QVERIFY(d.pixels.width > 0 && d.pixels.height > 0);
            QVERIFY(d.pixels.x >= 0 && d.pixels.x + d.pixels.width <= config.image.width);
            QVERIFY(d.pixels.y >= 0 && d.pixels.y + d.pixels.height <= config.image.height);
        }
    }

    void everyDefectsMicronBoxLiesOnItsDie()
    {
        const SimulatorConfig config = denseConfig();
        const WaferTruth truth = WaferTruth::generate(config, core::WaferId("W01"));
        for (const DefectTruth &d : truth.defects()) {
            QVERIFY(d.microns.xMin >= 0.0 && d.microns.xMax <= config.wafer.pitchXMm * 1000.0);
            QVERIFY(d.microns.yMin >= 0.0 && d.microns.yMax <= config.wafer.pitchYMm * 1000.0);
            QVERIFY(d.microns.xMin < d.microns.xMax && d.microns.yMin < d.microns.yMax);
        }
    }

    void micronBoxIsThePixelBoxOnTheDieWithYUp()
    {
        // Frames are centred on the die centre and shifted by the die's registration; pixel rows
        // grow down, die-relative y grows up from the die's lower-left corner.
        const SimulatorConfig config = denseConfig();
        const WaferTruth truth = WaferTruth::generate(config, core::WaferId("W01"));
        const double pixel = config.image.pixelSizeUm;
        const double pitchX = config.wafer.pitchXMm * 1000.0;
        const double pitchY = config.wafer.pitchYMm * 1000.0;
        for (const DefectTruth &d : truth.defects()) {
            const auto &r = truth.registration(d.die);
            const double xMin = (d.pixels.x - config.image.width / 2.0 - r.shiftXPx) * pixel + pitchX / 2.0;
            const double xMax = xMin + d.pixels.width * pixel;
            const double vTop = (d.pixels.y - config.image.height / 2.0 - r.shiftYPx) * pixel + pitchY / 2.0;
            const double vBottom = vTop + d.pixels.height * pixel;
            QVERIFY(std::abs(d.microns.xMin - std::max(0.0, xMin)) < 1e-6);
            QVERIFY(std::abs(d.microns.xMax - std::min(pitchX, xMax)) < 1e-6);
            QVERIFY(std::abs(d.microns.yMax - (pitchY - std::max(0.0, vTop))) < 1e-6);
            QVERIFY(std::abs(d.microns.yMin - (pitchY - std::min(pitchY, vBottom))) < 1e-6);
        }
    }

    void defectsAreGroupedByDieInScanOrder()
    {
        const WaferTruth truth = WaferTruth::generate(denseConfig(), core::WaferId("W01"));
        std::size_t seen = 0;
        std::size_t lastPosition = 0;
        for (const core::DieIndex die : truth.dieGrid().scanOrder()) {
            for (const DefectTruth &d : truth.defectsOn(die)) {
                QCOMPARE(d.die, die);
                QCOMPARE(d.id, static_cast<std::uint32_t>(seen));
                ++seen;
            }
        }
        QCOMPARE(seen, truth.defects().size());
        for (const DefectTruth &d : truth.defects()) {
            const std::size_t position = *truth.dieGrid().scanPosition(d.die);
            QVERIFY(position >= lastPosition);
            lastPosition = position;
        }
        QVERIFY(truth.defectsOn({-1, -1}).empty());
    }

    void everyClassIsDrawn()
    {
        const WaferTruth truth = WaferTruth::generate(denseConfig(), core::WaferId("W01"));
        for (const DefectClass c : {DefectClass::ParticleBright, DefectClass::ParticleDark, DefectClass::Scratch,
                                    DefectClass::MissingFeature, DefectClass::ExtraFeature, DefectClass::Bridge}) {
            QVERIFY2(truth.count(c) > 0, toText(c).data());
        }
        QCOMPARE(truth.count(DefectClass::Unknown), std::size_t{0});
    }

    void aScratchAcrossSeveralDiesSharesItsSourceIdAcrossNeighbours()
    {
        SimulatorConfig config = denseConfig();
        config.defects.mix = {0, 0, 1, 0, 0, 0}; // scratches only
        config.defects.minScratchMm = 30.0;
        config.defects.maxScratchMm = 40.0;
        const WaferTruth truth = WaferTruth::generate(config, core::WaferId("W01"));
        std::map<std::uint32_t, std::vector<core::DieIndex>> pieces;
        for (const DefectTruth &d : truth.defects()) {
            QCOMPARE(d.defectClass, DefectClass::Scratch);
            pieces[d.sourceId].push_back(d.die);
        }
        std::size_t crossing = 0;
        for (const auto &[source, dies] : pieces) {
            std::set<core::DieIndex> unique(dies.begin(), dies.end());
            QCOMPARE(unique.size(), dies.size()); // one piece per die
            crossing += dies.size() > 1 ? 1 : 0;
            // The pieces of one scratch lie along one line no longer than the longest scratch.
            for (const core::DieIndex a : dies) {
                for (const core::DieIndex b : dies) {
                    const core::PointMm ca = truth.dieGrid().dieCentre(a);
                    const core::PointMm cb = truth.dieGrid().dieCentre(b);
                    QVERIFY(std::hypot(ca.x - cb.x, ca.y - cb.y) <= config.defects.maxScratchMm + std::hypot(10.0, 12.0));
                }
            }
        }
        QVERIFY(crossing > 10);
    }

    void densityGivesTheExpectedNumberOfDefects()
    {
        SimulatorConfig config = denseConfig();
        config.defects.mix = {1, 1, 0, 0, 0, 0}; // particles: one truth per defect
        config.defects.densityPerCm2 = 0.5;
        const WaferTruth truth = WaferTruth::generate(config, core::WaferId("W01"));
        const double expected = 0.5 * 1.2 * static_cast<double>(truth.dieGrid().dieCount()); // 1.2 cm² per die
        // Poisson: the count lies within four standard deviations of the mean.
        QVERIFY(std::abs(static_cast<double>(truth.defects().size()) - expected) < 4.0 * std::sqrt(expected));
    }

    void zeroDensityDrawsNoDefects()
    {
        SimulatorConfig config = denseConfig();
        config.defects.densityPerCm2 = 0.0;
        QVERIFY(WaferTruth::generate(config, core::WaferId("W01")).defects().empty());
    }

    void mixWeightsChooseTheClasses()
    {
        SimulatorConfig config = denseConfig();
        config.defects.mix = {0, 0, 0, 0, 0, 1}; // bridges only
        const WaferTruth truth = WaferTruth::generate(config, core::WaferId("W01"));
        QVERIFY(!truth.defects().empty());
        QCOMPARE(truth.count(DefectClass::Bridge), truth.defects().size());
    }

    void particleSizesStayInTheConfiguredRange()
    {
        SimulatorConfig config = denseConfig();
        config.defects.mix = {1, 1, 0, 0, 0, 0};
        const WaferTruth truth = WaferTruth::generate(config, core::WaferId("W01"));
        int smallest = 1000;
        int largest = 0;
        for (const DefectTruth &d : truth.defects()) {
            // The box holds the disc plus its antialiased rim: diameter + 1 pixel at most.
            QVERIFY(d.pixels.width >= config.defects.minParticlePx && d.pixels.width <= config.defects.maxParticlePx + 1);
            smallest = std::min(smallest, d.pixels.width);
            largest = std::max(largest, d.pixels.width);
        }
        QVERIFY(smallest <= 4);
        QVERIFY(largest >= 38);
    }

    void registrationStaysWithinTheConfiguredMisregistrationAndDrift()
    {
        const SimulatorConfig config = denseConfig();
        const WaferTruth truth = WaferTruth::generate(config, core::WaferId("W01"));
        double lowest = 2.0;
        double highest = 0.0;
        for (const core::DieIndex die : truth.dieGrid().scanOrder()) {
            const auto &r = truth.registration(die);
            QVERIFY(std::abs(r.shiftXPx) <= config.image.maxMisregistrationPx);
            QVERIFY(std::abs(r.shiftYPx) <= config.image.maxMisregistrationPx);
            QVERIFY(std::abs(r.illuminationGain - 1.0) <= config.image.illuminationDrift + 1e-12);
            lowest = std::min(lowest, r.illuminationGain);
            highest = std::max(highest, r.illuminationGain);
        }
        QVERIFY(highest - lowest > config.image.illuminationDrift); // it does drift across the wafer
        QVERIFY_THROWS_EXCEPTION(std::out_of_range, static_cast<void>(truth.registration({-1, 0})));
    }

    void neighbouringDiesHaveSimilarBrightness()
    {
        // Drift is slow: it changes little from one die to the next.
        const WaferTruth truth = WaferTruth::generate(denseConfig(), core::WaferId("W01"));
        const auto order = truth.dieGrid().scanOrder();
        for (std::size_t i = 1; i < order.size(); ++i) {
            if (order[i].row == order[i - 1].row) {
                QVERIFY(std::abs(truth.registration(order[i]).illuminationGain -
                                 truth.registration(order[i - 1]).illuminationGain) < 0.005);
            }
        }
    }
};

QTEST_GUILESS_MAIN(WaferTruthTest)
#include "wafer_truth_test.moc"
