#include <QTest>

#include <vector>

#include "detection_scoring.h"

using namespace waferscope;
using core::DefectClass;
using hardware::sim::DefectTruth;
using pipelines::DetectedDefect;
using testing::DetectionScorer;

namespace {

DefectTruth truthAt(int x, int y, int width, int height, DefectClass c = DefectClass::ParticleBright)
{
    DefectTruth t;
    t.defectClass = c;
    t.pixels = {x, y, width, height};
    return t;
}

DetectedDefect detectionAt(int x, int y, int width, int height, DefectClass c = DefectClass::ParticleBright)
{
    DetectedDefect d;
    d.box = {x, y, width, height};
    d.defectClass = c;
    return d;
}

} // namespace

class DetectionScoringTest : public QObject
{
    Q_OBJECT

private slots:
    void aDetectionOverlappingItsTruthMatchesIt()
    {
        DetectionScorer scorer(3, 3);
        const std::vector truth{truthAt(100, 100, 10, 10)};
        const std::vector found{detectionAt(102, 101, 7, 8)};
        scorer.addDie({4, 2}, truth, found);
        QCOMPARE(scorer.score().truthCount, std::size_t{1});
        QCOMPARE(scorer.score().matchedTruth, std::size_t{1});
        QCOMPARE(scorer.score().matchedDetections, std::size_t{1});
        QCOMPARE(scorer.score().recall(), 1.0);
        QCOMPARE(scorer.score().precision(), 1.0);
    }

    void aDetectionWithinTheToleranceMatchesAndOneBeyondDoesNot()
    {
        DetectionScorer scorer(3, 3);
        const std::vector truth{truthAt(100, 100, 5, 5), truthAt(300, 300, 5, 5)};
        const std::vector found{detectionAt(107, 100, 4, 4), detectionAt(309, 300, 4, 4)};
        scorer.addDie({0, 0}, truth, found); // 2 pixels apart, then 4
        QCOMPARE(scorer.score().matchedTruth, std::size_t{1});
        QCOMPARE(scorer.score().matchedDetections, std::size_t{1});
        QCOMPARE(scorer.score().misses.size(), std::size_t{1});
        QCOMPARE(scorer.score().falseAlarms.size(), std::size_t{1});
    }

    void matchesAreOneToOneBestOverlapFirst()
    {
        DetectionScorer scorer(3, 3);
        // One detection covering two truth defects finds one of them: the one it overlaps best.
        const std::vector truth{truthAt(100, 100, 4, 4), truthAt(110, 100, 20, 20)};
        const std::vector found{detectionAt(108, 98, 24, 24)};
        scorer.addDie({0, 0}, truth, found);
        QCOMPARE(scorer.score().matchedTruth, std::size_t{1});
        QCOMPARE(scorer.score().truthCount, std::size_t{2});
        QVERIFY(scorer.score().misses[0].find("(100,100) 4x4") != std::string::npos);
        // Two detections of one truth defect: one matches, the other is a false alarm.
        DetectionScorer twice(3, 3);
        twice.addDie({ 0, 0 }, std::vector { truthAt(50, 50, 30, 3) },
            std::vector { detectionAt(50, 50, 14, 3), detectionAt(66, 50, 14, 3) });
        QCOMPARE(twice.score().matchedDetections, std::size_t{1});
        QCOMPARE(twice.score().detectionCount, std::size_t{2});
        QCOMPARE(twice.score().precision(), 0.5);
    }

    void twoTruthDefectsDrawnOverEachOtherAreBothFoundByTheirOneDetection()
    {
        DetectionScorer scorer(3, 2);
        // A small particle inside a large one, and a third defect beside them that no detection reaches.
        const std::vector truth{truthAt(100, 100, 30, 30), truthAt(120, 110, 8, 8), truthAt(140, 100, 6, 6)};
        const std::vector found{detectionAt(100, 100, 30, 30)};
        scorer.addDie({0, 0}, truth, found);
        QCOMPARE(scorer.score().truthCount, std::size_t{3});
        QCOMPARE(scorer.score().matchedTruth, std::size_t{2});
        QCOMPARE(scorer.score().detectionCount, std::size_t{1});
        QCOMPARE(scorer.score().matchedDetections, std::size_t{1});
        QCOMPARE(scorer.score().misses.size(), std::size_t{1});
        QVERIFY(scorer.score().misses[0].find("(140,100) 6x6") != std::string::npos);
    }

    void truthSmallerThanTheMinimumSizeIsNotCountedNorIsItsDetection()
    {
        DetectionScorer scorer(3, 3);
        const std::vector truth{truthAt(10, 10, 2, 2), truthAt(50, 50, 3, 2)};
        const std::vector found{detectionAt(10, 10, 2, 2)};
        scorer.addDie({0, 0}, truth, found);
        QCOMPARE(scorer.score().truthCount, std::size_t{1});
        QCOMPARE(scorer.score().matchedTruth, std::size_t{0});
        QCOMPARE(scorer.score().detectionCount, std::size_t{0});
    }

    void eachDiesPieceOfAScratchIsScoredOnItsOwnDie()
    {
        DetectionScorer scorer(3, 3);
        DefectTruth left = truthAt(700, 400, 324, 6, DefectClass::Scratch);
        DefectTruth right = truthAt(0, 406, 300, 6, DefectClass::Scratch);
        left.sourceId = right.sourceId = 7;
        scorer.addDie({3, 5}, std::vector{left}, std::vector{detectionAt(702, 401, 318, 5, DefectClass::Scratch)});
        scorer.addDie({4, 5}, std::vector{right}, std::vector<DetectedDefect>{});
        QCOMPARE(scorer.score().truthCount, std::size_t{2});
        QCOMPARE(scorer.score().matchedTruth, std::size_t{1});
        QCOMPARE(scorer.score().truthByClass[std::size_t(DefectClass::Scratch)], std::size_t{2});
        QCOMPARE(scorer.score().missedByClass[std::size_t(DefectClass::Scratch)], std::size_t{1});
        QVERIFY(scorer.score().misses[0].find("(4,5)") == 0);
    }

    void theConfusionCountsTruthAgainstDetectedClass()
    {
        DetectionScorer scorer(3, 3);
        scorer.addDie({ 0, 0 },
            std::vector {
                truthAt(10, 10, 5, 5, DefectClass::Bridge), truthAt(90, 90, 5, 5, DefectClass::ParticleDark) },
            std::vector { detectionAt(10, 10, 5, 5, DefectClass::MissingFeature),
                detectionAt(90, 90, 5, 5, DefectClass::ParticleDark) });
        const auto &score = scorer.score();
        QCOMPARE(score.confusion[std::size_t(DefectClass::Bridge)][std::size_t(DefectClass::MissingFeature)],
            std::size_t { 1 });
        QCOMPARE(score.confusion[std::size_t(DefectClass::ParticleDark)][std::size_t(DefectClass::ParticleDark)],
            std::size_t { 1 });
        QCOMPARE(score.classAgreements(), std::size_t{1});
    }
};

QTEST_GUILESS_MAIN(DetectionScoringTest)
#include "detection_scoring_test.moc"
