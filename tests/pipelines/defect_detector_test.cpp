#include <QTest>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <stdexcept>
#include <vector>

#include <waferscope/pipelines/detection/defect_detector.h>
#include <waferscope/testing/allocation_counter.h>

#include "detection_fixtures.h"
#include "detection_scoring.h"

using namespace waferscope;
using core::DefectClass;
using pipelines::DetectedDefect;
using pipelines::FrameInspection;
using testing::cleanMachine;
using testing::DetectionRig;
using testing::detectorFor;
using testing::Frame;
using testing::Inspected;
using testing::paintDisc;
using testing::paintSegment;

namespace {

constexpr double kBright = 245.0; // the simulator's particle levels
constexpr double kDark = 12.0;
// Steady-state allocations of one inspection, all cv::connectedComponentsWithStats' own (its labelling
// scratch and its statistics), counted at malloc as well as operator new: 23 to 26 a frame when
// measured (454 to 505 for the test's 20 frames; OpenCV's parallel chunking varies with the load).
// A guard against more, not the goal of none.
constexpr std::uint64_t kAllocationsPerFrame = 40;

/// Where a frame position lies on its die, in die-relative µm (y up), for a die whose content
/// lies `shiftX`, `shiftY` pixels off the frame's centre.
QPointF dieMicrons(double x, double y, double shiftX, double shiftY, const pipelines::DetectorConfig &config)
{
    const double pixel = config.format.pixelSizeUm;
    const double u = (x - 0.5 * config.format.width - shiftX) * pixel + 0.5 * config.diePitchXUm;
    const double fromTop = (y - 0.5 * config.format.height - shiftY) * pixel + 0.5 * config.diePitchYUm;
    return {u, config.diePitchYUm - fromTop};
}

bool boxContains(const DetectedDefect::PixelBox &outer, int x0, int y0, int x1, int y1)
{
    return outer.x <= x0 && outer.y <= y0 && outer.x + outer.width - 1 >= x1 && outer.y + outer.height - 1 >= y1;
}

std::size_t defectsIn(const std::vector<Inspected> &inspections)
{
    std::size_t n = 0;
    for (const Inspected &i : inspections) {
        n += i.defects.size();
    }
    return n;
}

} // namespace

class DefectDetectorTest : public QObject
{
    Q_OBJECT

private slots:
    void framesSeenWhileLearningAreInspectedOnceTheReferenceIsLearnt()
    {
        DetectionRig rig(cleanMachine());
        pipelines::DefectDetector &detector = rig.detector();
        std::vector<Frame> frames;
        for (std::size_t k = 0; k + 1 < 5; ++k) {
            frames.push_back(rig.render(k));
            QVERIFY(rig.inspect(k, frames.back()).empty());
            QCOMPARE(detector.heldFrames(), k + 1);
            frames.back().assign(frames.back().size(), std::byte{0}); // the caller reuses its buffer at once
            QVERIFY(!detector.hasReference());
        }
        frames.push_back(rig.render(4));
        const std::vector<Inspected> learnt = rig.inspect(4, frames.back());
        QVERIFY(detector.hasReference());
        QCOMPARE(detector.heldFrames(), std::size_t{0});
        QCOMPARE(learnt.size(), std::size_t{5});
        for (std::size_t k = 0; k < learnt.size(); ++k) {
            QCOMPARE(learnt[k].inspection.metadata.sequence, std::uint64_t{k});
            QCOMPARE(learnt[k].inspection.metadata.die, rig.die(k));
            QCOMPARE(learnt[k].inspection.status, FrameInspection::Status::Inspected);
            QVERIFY(learnt[k].pixels == rig.render(k)); // the detector's own copy of the frame
        }
        for (std::size_t k = 5; k < 8; ++k) {
            const Frame frame = rig.render(k);
            const auto done = detector.inspect(rig.metadata(k), frame);
            QCOMPARE(done.size(), std::size_t{1});
            QCOMPARE(done[0].metadata.sequence, std::uint64_t{k});
            QCOMPARE(done[0].pixels.data(), frame.data()); // a later frame is inspected where it lies
        }
    }

    void aCleanDieHasNoDefects()
    {
        DetectionRig rig(cleanMachine());
        const std::vector<Inspected> learnt = rig.learn();
        QCOMPARE(defectsIn(learnt), std::size_t{0});
        for (std::size_t k = 5; k < 25; ++k) {
            const std::vector<Inspected> done = rig.inspect(k, rig.render(k));
            QCOMPARE(done.size(), std::size_t{1});
            QCOMPARE(done[0].defects.size(), std::size_t{0});
            QCOMPARE(done[0].inspection.overflowCount, std::size_t{0});
            // The whole frame is inspected but for a few pixels at its edges.
            QVERIFY(done[0].inspection.inspectedArea.width >= rig.width() - 8);
            QVERIFY(done[0].inspection.inspectedArea.height >= rig.height() - 8);
            QVERIFY(done[0].inspection.noiseSigma > 2.0 && done[0].inspection.noiseSigma < 3.5);
        }
    }

    void aParticleIsFoundWhereItIsWithItsSizeAndPolarity_data()
    {
        QTest::addColumn<double>("level");
        QTest::addColumn<double>("radius");
        QTest::addColumn<int>("polarity");
        QTest::addColumn<int>("expectedClass");
        QTest::newRow("bright, 9 px across") << kBright << 4.5 << int(DetectedDefect::Polarity::Bright)
                                             << int(DefectClass::ParticleBright);
        QTest::newRow("dark, 6 px across") << kDark << 3.0 << int(DetectedDefect::Polarity::Dark)
                                           << int(DefectClass::ParticleDark);
    }
    void aParticleIsFoundWhereItIsWithItsSizeAndPolarity()
    {
        QFETCH(double, level);
        QFETCH(double, radius);
        QFETCH(int, polarity);
        QFETCH(int, expectedClass);
        DetectionRig rig(cleanMachine());
        static_cast<void>(rig.learn());
        const std::size_t k = 7;
        Frame frame = rig.render(k);
        const double cx = 300.25; // on a line's edge: half on the line, half on the background
        const double cy = 180.75;
        paintDisc(frame, rig.width(), cx, cy, radius, level);
        const std::vector<Inspected> done = rig.inspect(k, frame);
        QCOMPARE(done[0].defects.size(), std::size_t{1});
        const DetectedDefect &d = done[0].defects[0];
        // The box holds every pixel the disc covers by half or more, and reaches at most one beyond.
        const int x0 = static_cast<int>(std::floor(cx - radius + 0.5));
        const int x1 = static_cast<int>(std::ceil(cx + radius - 0.5)) - 1;
        const int y0 = static_cast<int>(std::floor(cy - radius + 0.5));
        const int y1 = static_cast<int>(std::ceil(cy + radius - 0.5)) - 1;
        QVERIFY(boxContains(d.box, x0, y0, x1, y1));
        QVERIFY(boxContains({x0 - 1, y0 - 1, x1 - x0 + 3, y1 - y0 + 3}, d.box.x, d.box.y, d.box.x + d.box.width - 1,
                            d.box.y + d.box.height - 1));
        QVERIFY2(std::abs(d.centroidXPx - cx) < 0.25 && std::abs(d.centroidYPx - cy) < 0.25,
                 qPrintable(QString("centroid (%1, %2) px").arg(d.centroidXPx).arg(d.centroidYPx)));
        const double discArea = std::numbers::pi * radius * radius;
        QVERIFY2(d.areaPx > 0.7 * discArea && d.areaPx < 1.5 * discArea, qPrintable(QString::number(d.areaPx)));
        QCOMPARE(d.areaUm2, d.areaPx * 12.0 * 12.0);
        // On the die: where the disc lies once the die's own misregistration is taken out, to within a pixel.
        const auto &truth = rig.registration(k);
        const QPointF expected = dieMicrons(cx, cy, truth.shiftXPx, truth.shiftYPx, rig.detector().config());
        QVERIFY2(std::abs(d.xUm - expected.x()) < 12.0 && std::abs(d.yUm - expected.y()) < 12.0,
            qPrintable(
                QString("(%1, %2) µm, expected (%3, %4)").arg(d.xUm).arg(d.yUm).arg(expected.x()).arg(expected.y())));
        QCOMPARE(int(d.polarity), polarity);
        QCOMPARE(int(d.defectClass), expectedClass);
        QVERIFY(d.contrastSigma > 20.0);
    }

    void aScratchIsClassedAsAScratch()
    {
        DetectionRig rig(cleanMachine());
        static_cast<void>(rig.learn());
        const std::size_t k = 9;
        Frame frame = rig.render(k);
        // Across lines, vias and background: dark on most of it, barely darker than a via.
        paintSegment(frame, rig.width(), 250.0, 300.0, 800.0, 520.0, 0.75, 20.0);
        const std::vector<Inspected> done = rig.inspect(k, frame);
        QCOMPARE(done[0].defects.size(), std::size_t{1});
        const DetectedDefect &d = done[0].defects[0];
        QCOMPARE(d.defectClass, DefectClass::Scratch);
        QCOMPARE(d.polarity, DetectedDefect::Polarity::Dark);
        const double length = std::hypot(550.0, 220.0);
        QVERIFY2(std::abs(d.lengthPx - length) < 0.05 * length, qPrintable(QString::number(d.lengthPx)));
        QVERIFY(d.widthPx < 4.0);
    }

    void everyClassIsRecognisedByItsRules()
    {
        // A dense wafer: the simulator's own defects of every class, its truth saying which is which.
        hardware::sim::SimulatorConfig machine;
        machine.defects.densityPerCm2 = 3.0;
        DetectionRig rig(machine);
        testing::DetectionScorer scorer(3, 3);
        std::vector<Inspected> done = rig.learn();
        for (std::size_t k = 5; k < 60; ++k) {
            for (Inspected &i : rig.inspect(k, rig.render(k))) {
                done.push_back(std::move(i));
            }
        }
        for (const Inspected &i : done) {
            scorer.addDie(i.inspection.metadata.die, rig.renderer().truth().defectsOn(i.inspection.metadata.die),
                          i.defects);
        }
        const testing::DetectionScore &score = scorer.score();
        for (const DefectClass c : core::kAllDefectClasses) {
            if (c == DefectClass::Unknown) {
                continue;
            }
            const auto index = std::size_t(c);
            std::size_t matched = 0;
            for (const std::size_t n : score.confusion[index]) {
                matched += n;
            }
            qInfo(
                "%s: %zu of %zu matched defects classed so", toText(c).data(), score.confusion[index][index], matched);
            QVERIFY(matched >= 8);
            QVERIFY(score.confusion[index][index] >= 0.9 * double(matched));
        }
    }

    void misregistrationAndIlluminationDriftMakeNoNuisanceDefects()
    {
        hardware::sim::SimulatorConfig machine = cleanMachine();
        machine.image.maxMisregistrationPx = 0.5;
        machine.image.illuminationDrift = 0.05;
        DetectionRig rig(machine);
        static_cast<void>(rig.learn());
        double leftmost = 0.0;
        double rightmost = 0.0;
        double highest = 0.0;
        double lowest = 0.0;
        for (std::size_t k = 5; k < 45; ++k) {
            // Over the wafer's own drift, the lamp a few per cent up or down.
            const double lamp = k % 2 == 0 ? 0.97 : 1.03;
            const std::vector<Inspected> done = rig.inspect(k, rig.render(k, lamp));
            QCOMPARE(done[0].defects.size(), std::size_t{0});
            const auto &truth = rig.registration(k);
            leftmost = std::min(leftmost, truth.shiftXPx);
            rightmost = std::max(rightmost, truth.shiftXPx);
            highest = std::min(highest, truth.shiftYPx);
            lowest = std::max(lowest, truth.shiftYPx);
            QVERIFY(std::abs(done[0].inspection.gain / (lamp * truth.illuminationGain) - 1.0) < 0.05);
        }
        // The dies tried reach close to ±0.5 pixel on both axes.
        QVERIFY(leftmost < -0.4 && rightmost > 0.4 && highest < -0.4 && lowest > 0.4);
    }

    void subPixelRegistrationRecoversEachDiesShiftWithinATenthOfAPixel()
    {
        hardware::sim::SimulatorConfig machine = cleanMachine();
        machine.image.maxMisregistrationPx = 3.0; // whole pixels too
        DetectionRig rig(machine);
        const std::vector<Inspected> learnt = rig.learn();
        // A shift is reported against the reference's nominal place: the learning dies' mean.
        double nominalX = 0.0;
        double nominalY = 0.0;
        for (std::size_t k = 0; k < learnt.size(); ++k) {
            nominalX += rig.registration(k).shiftXPx / double(learnt.size());
            nominalY += rig.registration(k).shiftYPx / double(learnt.size());
        }
        std::vector<Inspected> done = learnt;
        for (std::size_t k = 5; k < 35; ++k) {
            done.push_back(rig.inspect(k, rig.render(k))[0]);
        }
        for (std::size_t k = 0; k < done.size(); ++k) {
            const auto &truth = rig.registration(k);
            const double errorX = done[k].inspection.shiftXPx - (truth.shiftXPx - nominalX);
            const double errorY = done[k].inspection.shiftYPx - (truth.shiftYPx - nominalY);
            QVERIFY2(std::abs(errorX) < 0.1 && std::abs(errorY) < 0.1,
                     qPrintable(QString("die %1: off by (%2, %3) px").arg(k).arg(errorX).arg(errorY)));
        }
    }

    void aDefectOnALearningDieIsVotedOutOfTheReference()
    {
        DetectionRig rig(cleanMachine());
        std::vector<Inspected> done;
        for (std::size_t k = 0; k < 5; ++k) {
            Frame frame = rig.render(k);
            if (k == 1 || k == 3) { // two learning dies, a particle at the same place on both
                paintDisc(frame, rig.width(), 420.5, 610.5, 5.0, k == 1 ? kBright : kDark);
            }
            done = rig.inspect(k, frame);
        }
        for (std::size_t k = 5; k < 15; ++k) {
            done.push_back(rig.inspect(k, rig.render(k))[0]);
        }
        for (std::size_t k = 0; k < done.size(); ++k) {
            if (k == 1 || k == 3) {
                QCOMPARE(done[k].defects.size(), std::size_t{1});
                QVERIFY(boxContains(done[k].defects[0].box, 417, 607, 423, 613));
                QCOMPARE(done[k].defects[0].polarity,
                         k == 1 ? DetectedDefect::Polarity::Bright : DetectedDefect::Polarity::Dark);
            } else {
                QCOMPARE(done[k].defects.size(), std::size_t{0});
            }
        }
    }

    void twoLearningDiesWithParticlesOverlappingAtCoarsePixelsLeaveNoGhost()
    {
        // The quick-200mm machine: 256² frames of 80 µm over 20 × 20 mm dies, where a pattern edge
        // spans a pixel. Two of the five learning dies have bright particles over each other; what
        // the reference keeps of them would show on every later die as a missing feature.
        hardware::sim::SimulatorConfig machine = cleanMachine();
        machine.wafer.diameterMm = 200.0;
        machine.wafer.pitchXMm = 20.0;
        machine.wafer.pitchYMm = 20.0;
        machine.wafer.edgeExclusionMm = 3.0;
        machine.image.width = 256;
        machine.image.height = 256;
        machine.image.pixelSizeUm = 80.0;
        pipelines::DetectorConfig config = detectorFor(machine);
        config.minDefectSizePx = 2;
        config.cropSizePx = 16;
        DetectionRig rig(machine, config);
        std::vector<Inspected> done;
        for (std::size_t k = 0; k < 5; ++k) {
            Frame frame = rig.render(k);
            if (k == 0) {
                paintDisc(frame, rig.width(), 51.5, 81.5, 5.0, kBright);
            } else if (k == 2) {
                paintDisc(frame, rig.width(), 42.5, 75.5, 10.0, kBright);
            }
            done = rig.inspect(k, frame);
        }
        for (std::size_t k = 5; k < 25; ++k) {
            done.push_back(rig.inspect(k, rig.render(k))[0]);
        }
        for (std::size_t k = 0; k < done.size(); ++k) {
            QVERIFY2(done[k].defects.size() == (k == 0 || k == 2 ? 1U : 0U),
                     qPrintable(QString("die %1: %2 defects").arg(k).arg(done[k].defects.size())));
        }
    }

    void aFaintRimOfTheOtherPolarityBesideADefectIsPartOfIt()
    {
        DetectionRig rig(cleanMachine());
        static_cast<void>(rig.learn());
        // A dark square with a faint bright rim along its right side (about ten noise sigmas, as a
        // feature gone from the die leaves at coarse pixels), and a bright particle touching a dark
        // one, both at full contrast.
        Frame frame = rig.render(5);
        for (int y = 600; y < 608; ++y) {
            for (int x = 400; x < 408; ++x) {
                testing::blend(frame, rig.width(), x, y, 1.0, kDark);
            }
            testing::blend(frame, rig.width(), 408, y, 0.15, kBright);
        }
        paintDisc(frame, rig.width(), 600.5, 300.5, 6.0, kDark);
        paintDisc(frame, rig.width(), 608.5, 300.5, 3.0, kBright);
        const std::vector<Inspected> done = rig.inspect(5, frame);
        QCOMPARE(done.size(), std::size_t{1});
        QCOMPARE(done[0].defects.size(), std::size_t{3});
        std::size_t rims = 0;
        for (const DetectedDefect &d : done[0].defects) {
            if (boxContains({398, 598, 12, 12}, d.box.x, d.box.y, d.box.x + d.box.width - 1, d.box.y + d.box.height - 1)) {
                ++rims;
                QCOMPARE(d.polarity, DetectedDefect::Polarity::Dark);
            }
        }
        QCOMPARE(rims, std::size_t{1});
    }

    void defectsBeyondTheCapAreCountedNotReported()
    {
        pipelines::DetectorConfig config = detectorFor(cleanMachine());
        config.maxDefectsPerFrame = 3;
        DetectionRig rig(cleanMachine(), config);
        static_cast<void>(rig.learn());
        Frame frame = rig.render(6);
        for (int i = 0; i < 7; ++i) {
            paintDisc(frame, rig.width(), 150.5 + 100.0 * i, 200.5 + 90.0 * i, 4.0, kBright);
        }
        const std::vector<Inspected> done = rig.inspect(6, frame);
        QCOMPARE(done[0].defects.size(), std::size_t{3});
        QCOMPARE(done[0].inspection.overflowCount, std::size_t{4});
        for (int i = 0; i < 3; ++i) { // the first in raster order
            QVERIFY(boxContains(done[0].defects[static_cast<std::size_t>(i)].box, 148 + 100 * i, 198 + 90 * i,
                                152 + 100 * i, 202 + 90 * i));
        }
    }

    void cropsAreCentredOnTheDefectAndMovedInsideTheFrame()
    {
        DetectionRig rig(cleanMachine());
        static_cast<void>(rig.learn());
        const std::size_t k = 8;
        Frame frame = rig.render(k);
        paintDisc(frame, rig.width(), 14.5, 16.5, 4.0, kBright);                         // top left corner
        paintDisc(frame, rig.width(), 600.5, 500.5, 4.0, kBright);                       // well inside
        paintDisc(frame, rig.width(), rig.width() - 12.5, rig.height() - 20.5, 4.0, kDark); // bottom right
        const auto done = rig.detector().inspect(rig.metadata(k), frame);
        QCOMPARE(done[0].defects.size(), std::size_t{3});
        const int side = rig.detector().config().cropSizePx;
        std::vector<std::byte> crop(static_cast<std::size_t>(side * side));
        const DetectedDefect::PixelBox corner = rig.detector().copyCrop(done[0], done[0].defects[0], crop);
        QCOMPARE(corner, (DetectedDefect::PixelBox{0, 0, side, side}));
        const DetectedDefect::PixelBox inside = rig.detector().copyCrop(done[0], done[0].defects[1], crop);
        QVERIFY(std::abs(inside.x + side / 2 - done[0].defects[1].centroidXPx) <= 1.0);
        QVERIFY(std::abs(inside.y + side / 2 - done[0].defects[1].centroidYPx) <= 1.0);
        const DetectedDefect::PixelBox far = rig.detector().copyCrop(done[0], done[0].defects[2], crop);
        QCOMPARE(far, (DetectedDefect::PixelBox{rig.width() - side, rig.height() - side, side, side}));
        for (const DetectedDefect::PixelBox &box : {corner, inside, far}) {
            QCOMPARE(box.width, side);
            QCOMPARE(box.height, side);
        }
        // The bytes are the frame's, row by row.
        static_cast<void>(rig.detector().copyCrop(done[0], done[0].defects[1], crop));
        for (int y = 0; y < side; ++y) {
            for (int x = 0; x < side; ++x) {
                const std::size_t at = static_cast<std::size_t>(inside.y + y) * static_cast<std::size_t>(rig.width()) +
                                       static_cast<std::size_t>(inside.x + x);
                QCOMPARE(crop[static_cast<std::size_t>(y * side + x)], frame[at]);
            }
        }
    }

    void flushLearnsFromTheFramesHeldOrReportsThemUninspected()
    {
        {
            DetectionRig rig(cleanMachine());
            for (std::size_t k = 0; k < 3; ++k) {
                QVERIFY(rig.inspect(k, rig.render(k)).empty());
            }
            const std::vector<Inspected> flushed = testing::copyOf(rig.detector().flush());
            QCOMPARE(flushed.size(), std::size_t{3});
            for (std::size_t k = 0; k < 3; ++k) {
                QCOMPARE(flushed[k].inspection.status, FrameInspection::Status::Inspected);
                QCOMPARE(flushed[k].inspection.metadata.die, rig.die(k));
                QCOMPARE(flushed[k].defects.size(), std::size_t{0});
            }
            QVERIFY(rig.detector().hasReference());
            QCOMPARE(rig.inspect(3, rig.render(3)).size(), std::size_t{1});
            QVERIFY(rig.detector().flush().empty());
        }
        {
            DetectionRig rig(cleanMachine());
            for (std::size_t k = 0; k < 2; ++k) {
                QVERIFY(rig.inspect(k, rig.render(k)).empty());
            }
            const std::vector<Inspected> flushed = testing::copyOf(rig.detector().flush());
            QCOMPARE(flushed.size(), std::size_t{2});
            for (std::size_t k = 0; k < 2; ++k) {
                QCOMPARE(flushed[k].inspection.status, FrameInspection::Status::NoReference);
                QCOMPARE(flushed[k].inspection.metadata.die, rig.die(k));
                QVERIFY(flushed[k].defects.empty());
            }
            QVERIFY(!rig.detector().hasReference());
            QCOMPARE(rig.detector().heldFrames(), std::size_t{0});
        }
    }

    void resetForgetsTheReference()
    {
        DetectionRig rig(cleanMachine());
        static_cast<void>(rig.learn());
        QVERIFY(rig.inspect(5, rig.render(5)).size() == 1);
        QVERIFY(rig.inspect(6, rig.render(6)).empty() == false);
        rig.detector().reset();
        QVERIFY(!rig.detector().hasReference());
        for (std::size_t k = 7; k < 11; ++k) {
            QVERIFY(rig.inspect(k, rig.render(k)).empty());
        }
        QCOMPARE(rig.inspect(11, rig.render(11)).size(), std::size_t{5});
    }

    void inspectingAFrameAllocatesAtMostOpenCvsOwnScratch()
    {
        hardware::sim::SimulatorConfig machine;
        machine.defects.densityPerCm2 = 3.0; // frames with defects to measure, join and class
        DetectionRig rig(machine);
        static_cast<void>(rig.learn());
        std::vector<Frame> frames;
        for (std::size_t k = 5; k < 25; ++k) {
            frames.push_back(rig.render(k));
        }
        for (std::size_t i = 0; i < 3; ++i) { // OpenCV sets itself up on first use
            static_cast<void>(rig.detector().inspect(rig.metadata(5 + i), frames[i]));
        }
        std::size_t defects = 0;
        const testing::AllocationScope scope;
        for (std::size_t i = 0; i < frames.size(); ++i) {
            defects += rig.detector().inspect(rig.metadata(5 + i), frames[i])[0].defects.size();
        }
        const std::uint64_t allocations = scope.thread();
        qInfo("%llu allocations for %zu frames with %zu defects", static_cast<unsigned long long>(allocations),
              frames.size(), defects);
        QVERIFY(defects > 20);
        QVERIFY(allocations <= kAllocationsPerFrame * frames.size());
    }

    void refusesAFrameOrACropBufferTooSmall()
    {
        DetectionRig rig(cleanMachine());
        Frame small(rig.renderer().format().frameBytes() - 1);
        QVERIFY_THROWS_EXCEPTION(
            std::invalid_argument, static_cast<void>(rig.detector().inspect(rig.metadata(0), small)));
        static_cast<void>(rig.learn());
        Frame frame = rig.render(5);
        paintDisc(frame, rig.width(), 500.5, 500.5, 4.0, kBright);
        const auto done = rig.detector().inspect(rig.metadata(5), frame);
        QCOMPARE(done[0].defects.size(), std::size_t{1});
        std::vector<std::byte> crop(128 * 128 - 1);
        QVERIFY_THROWS_EXCEPTION(
            std::invalid_argument, static_cast<void>(rig.detector().copyCrop(done[0], done[0].defects[0], crop)));
    }
};

QTEST_GUILESS_MAIN(DefectDetectorTest)
#include "defect_detector_test.moc"
