#include <QTest>

#include <waferscope/hardware/aravis/frame_id_unwrapper.h>

using waferscope::hardware::aravis::FrameIdUnwrapper;

class FrameIdUnwrapperTest : public QObject
{
    Q_OBJECT

private slots:
    void firstIdCountsZeroAndConsecutiveIdsCountOn()
    {
        FrameIdUnwrapper ids;
        QCOMPARE(ids.next(40), std::optional<std::uint64_t>(0));
        QCOMPARE(ids.next(41), std::optional<std::uint64_t>(1));
        QCOMPARE(ids.next(44), std::optional<std::uint64_t>(4)); // 42 and 43 lost: a gap of two
    }

    void shortIdsWrapFrom65535ToOneWithoutAGap()
    {
        FrameIdUnwrapper ids;
        QCOMPARE(ids.next(65534), std::optional<std::uint64_t>(0));
        QCOMPARE(ids.next(65535), std::optional<std::uint64_t>(1));
        QCOMPARE(ids.next(1), std::optional<std::uint64_t>(2));
        QCOMPARE(ids.next(2), std::optional<std::uint64_t>(3));
    }

    void aGapAcrossTheWrapCountsOnlyTheLostFrames()
    {
        FrameIdUnwrapper ids;
        QCOMPARE(ids.next(65533), std::optional<std::uint64_t>(0));
        QCOMPARE(ids.next(3), std::optional<std::uint64_t>(5)); // 65534, 65535, 1, 2 lost
    }

    void countsKeepGrowingOverManyWraps()
    {
        FrameIdUnwrapper ids;
        std::uint64_t id = 1;
        std::optional<std::uint64_t> count;
        for (std::uint64_t i = 0; i < 3 * 65535 + 10; ++i) {
            count = ids.next(id);
            id = id == 65535 ? 1 : id + 1;
        }
        QCOMPARE(count, std::optional<std::uint64_t>(3 * 65535 + 9));
    }

    void aRepeatedOrLateIdIsRefused()
    {
        FrameIdUnwrapper ids;
        QVERIFY(ids.next(100).has_value());
        QVERIFY(ids.next(101).has_value());
        QVERIFY(!ids.next(101).has_value());
        QVERIFY(!ids.next(99).has_value());
        QCOMPARE(ids.next(102), std::optional<std::uint64_t>(2));
    }

    void idZeroIsNeverAFrame()
    {
        FrameIdUnwrapper ids;
        QVERIFY(!ids.next(0).has_value());
        QCOMPARE(ids.next(7), std::optional<std::uint64_t>(0));
    }

    void extendedIdsCountOnWithoutWrapping()
    {
        FrameIdUnwrapper ids;
        QCOMPARE(ids.next(70000), std::optional<std::uint64_t>(0));
        QCOMPARE(ids.next(70001), std::optional<std::uint64_t>(1));
        QCOMPARE(ids.next(70010), std::optional<std::uint64_t>(10));
        QVERIFY(!ids.next(5).has_value());
    }

    void resetMakesTheNextIdCountZero()
    {
        FrameIdUnwrapper ids;
        QVERIFY(ids.next(10).has_value());
        QVERIFY(ids.next(11).has_value());
        ids.reset();
        QCOMPARE(ids.next(3), std::optional<std::uint64_t>(0));
    }
};

QTEST_GUILESS_MAIN(FrameIdUnwrapperTest)
#include "frame_id_unwrapper_test.moc"
