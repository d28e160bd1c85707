#include <QTest>

#include <chrono>
#include <cmath>
#include <latch>
#include <thread>

#include <waferscope/runtime/latency_histogram.h>
#include <waferscope/testing/allocation_counter.h>

using namespace waferscope::runtime;
using namespace std::chrono_literals;
using waferscope::testing::AllocationScope;

class LatencyHistogramTest : public QObject
{
    Q_OBJECT

private slots:
    void everyBucketHoldsTheValuesBetweenItsBounds()
    {
        for (std::size_t bucket = 0; bucket + 1 < LatencyHistogram::kBuckets; ++bucket) {
            const std::uint64_t low = LatencyHistogram::lowerBoundOf(bucket);
            const std::uint64_t high = LatencyHistogram::upperBoundOf(bucket);
            QVERIFY2(low <= high, qPrintable(QString::number(bucket)));
            QCOMPARE(LatencyHistogram::bucketOf(low), bucket);
            QCOMPARE(LatencyHistogram::bucketOf(high), bucket);
            QCOMPARE(LatencyHistogram::bucketOf(high + 1), bucket + 1);
            // Each bucket is within 12.5 % of its values: log-linear, 8 per power of two.
            QVERIFY2(static_cast<double>(high - low) <= 0.125 * static_cast<double>(low) + 1.0,
                     qPrintable(QStringLiteral("bucket %1: %2…%3").arg(bucket).arg(low).arg(high)));
        }
        QCOMPARE(LatencyHistogram::bucketOf(std::uint64_t{1} << 62), LatencyHistogram::kBuckets - 1);
    }

    void percentilesAreWithinABucketOfTheTruth()
    {
        LatencyHistogram histogram;
        QCOMPARE(histogram.percentileUs(0.99), std::uint64_t{0});
        for (int ms = 1; ms <= 100; ++ms) {
            histogram.record(std::chrono::milliseconds(ms));
        }
        QCOMPARE(histogram.count(), std::uint64_t{100});
        const auto near = [](std::uint64_t measured, double truth) {
            return std::abs(static_cast<double>(measured) - truth) <= 0.125 * truth;
        };
        QVERIFY2(near(histogram.percentileUs(0.50), 50000), qPrintable(QString::number(histogram.percentileUs(0.50))));
        QVERIFY2(near(histogram.percentileUs(0.99), 99000), qPrintable(QString::number(histogram.percentileUs(0.99))));
        QVERIFY2(near(histogram.percentileUs(0.0), 1000), qPrintable(QString::number(histogram.percentileUs(0.0))));
        QVERIFY(histogram.percentileUs(0.50) < histogram.percentileUs(0.99));
    }

    void smallAndNegativeDurationsAreExact()
    {
        LatencyHistogram histogram;
        histogram.record(-5us); // a clock that stepped back counts as zero
        histogram.record(3us);
        QCOMPARE(histogram.percentileUs(0.5), std::uint64_t{0});
        QCOMPARE(histogram.percentileUs(1.0), std::uint64_t{3});
    }

    void recordingFromTwoThreadsLosesNothingAndAllocatesNothing()
    {
        LatencyHistogram histogram;
        const auto hammer = [&histogram](int offset) {
            for (int i = 0; i < 100000; ++i) {
                histogram.record(std::chrono::microseconds(offset + i % 1000));
            }
        };
        std::latch go(1);
        std::jthread other([&go, &hammer] {
            go.wait();
            hammer(10);
        });
        {
            const AllocationScope scope;
            go.count_down();
            hammer(5000);
            QCOMPARE(scope.thread(), 0u);
        }
        other.join();
        QCOMPARE(histogram.count(), std::uint64_t{200000});
    }
};

QTEST_GUILESS_MAIN(LatencyHistogramTest)
#include "latency_histogram_test.moc"
