#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

#include <thread>
#include <vector>

#include <waferscope/pipelines/engine/defect_feed.h>
#include <waferscope/runtime/stats_registry.h>
#include <waferscope/testing/wait_until.h>

using waferscope::core::DefectClass;
using waferscope::core::DefectRecord;
using waferscope::pipelines::DefectFeed;

namespace {

DefectRecord defect(std::uint64_t id)
{
    DefectRecord d;
    d.id = id;
    d.waferId = waferscope::core::WaferId("W-01");
    d.die = {3, 4};
    d.defectClass = DefectClass::ParticleBright;
    d.detectedAt = std::chrono::system_clock::now();
    return d;
}

/// Remembers every defect it is handed, on whatever thread.
class RecordingListener final : public waferscope::pipelines::DefectListener
{
public:
    void defectsFound(std::span<const DefectRecord> defects) override
    {
        for (const DefectRecord &d : defects) {
            ids.push_back(d.id);
        }
    }
    std::vector<std::uint64_t> ids;
};

} // namespace

class DefectFeedTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void theFeedBatchesAStormIntoFewPostsAndLosesNothing()
    {
        constexpr std::uint64_t kDefects = 20'000;
        // Room for the whole storm: a feed that keeps up drops nothing.
        DefectFeed feed(nullptr, kDefects);
        std::vector<std::uint64_t> seen;
        std::size_t batches = 0;
        QObject::connect(&feed, &DefectFeed::defectsArrived, [&](std::span<const DefectRecord> batch) {
            ++batches;
            for (const auto &d : batch) {
                seen.push_back(d.id);
            }
        });
        QElapsedTimer elapsed;
        elapsed.start();
        std::thread producer([&] {
            for (std::uint64_t id = 1; id <= kDefects; ++id) {
                const DefectRecord d = defect(id);
                feed.defectsFound(std::span<const DefectRecord>(&d, 1));
            }
        });
        QVERIFY(waferscope::testing::waitUntil([&] { return seen.size() == kDefects; }, 30'000));
        producer.join();
        for (std::uint64_t i = 0; i < kDefects; ++i) {
            QCOMPARE(seen[i], i + 1);
        }
        QCOMPARE(feed.dropped(), std::uint64_t{0});
        QCOMPARE(feed.delivered(), kDefects);
        // At most one post per 17 ms however fast they come: far fewer than one per defect, and no
        // more than the elapsed time allows.
        QVERIFY2(feed.posts() < kDefects / 10, qPrintable(QString::number(feed.posts())));
        const auto allowed = elapsed.elapsed() / DefectFeed::kMinimumInterval.count() + 2;
        QVERIFY2(static_cast<qint64>(feed.posts()) <= allowed,
                 qPrintable(QString("%1 posts in %2 ms").arg(feed.posts()).arg(elapsed.elapsed())));
        QVERIFY(batches <= feed.posts() + 1);
    }

    void aFullFeedDropsAndCountsTheCopyInsteadOfBlockingDetection()
    {
        waferscope::runtime::StatsRegistry stats;
        DefectFeed feed(&stats, 8);
        std::vector<std::uint64_t> seen;
        QObject::connect(&feed, &DefectFeed::defectsArrived, [&](std::span<const DefectRecord> batch) {
            for (const auto &d : batch) {
                seen.push_back(d.id);
            }
        });
        // The GUI thread takes nothing while the detector hands over 100 defects: the calls return
        // (they never wait for room), keeping the first 8 and counting the other 92.
        std::vector<DefectRecord> storm;
        for (std::uint64_t id = 1; id <= 100; ++id) {
            storm.push_back(defect(id));
        }
        std::thread detector([&] { feed.defectsFound(storm); });
        detector.join();
        QCOMPARE(feed.dropped(), std::uint64_t{92});
        QCOMPARE(stats.find("ui.defects").value("dropped"), std::int64_t{92});
        feed.flush();
        QCOMPARE(seen.size(), std::size_t{8});
        for (std::uint64_t i = 0; i < 8; ++i) {
            QCOMPARE(seen[i], i + 1);
        }
        // With room again, the copy carries on.
        const DefectRecord later = defect(101);
        feed.defectsFound(std::span<const DefectRecord>(&later, 1));
        feed.flush();
        QCOMPARE(seen.back(), std::uint64_t{101});
        QCOMPARE(feed.delivered(), std::uint64_t{9});
    }

    void aChainedListenerSeesEveryDefectTheCopyDrops()
    {
        RecordingListener next;
        DefectFeed feed(nullptr, 2, &next);
        std::vector<DefectRecord> batch{defect(1), defect(2), defect(3), defect(4)};
        feed.defectsFound(batch);
        QCOMPARE(next.ids, (std::vector<std::uint64_t>{1, 2, 3, 4}));
        QCOMPARE(feed.dropped(), std::uint64_t{2});
    }

    void aClosedFeedDropsNewDefectsWithoutThrowingIntoTheDetector()
    {
        DefectFeed feed;
        std::size_t seen = 0;
        QObject::connect(&feed, &DefectFeed::defectsArrived,
                         [&](std::span<const DefectRecord> batch) { seen += batch.size(); });
        feed.close();
        const DefectRecord d = defect(1);
        feed.defectsFound(std::span<const DefectRecord>(&d, 1));
        feed.flush();
        QCOMPARE(seen, std::size_t{0});
    }
};

QTEST_GUILESS_MAIN(DefectFeedTest)
#include "defect_feed_test.moc"
