#include <QRegularExpression>
#include <QElapsedTimer>
#include <QTest>

#include <waferscope/viewmodels/statistics/statistics_view_model.h>

#include "fake_rig.h"

using waferscope::pipelines::StatisticsEntry;
using waferscope::testing::FakeRig;
using waferscope::viewmodels::SessionViewModel;
using waferscope::viewmodels::StatisticsViewModel;
using waferscope::viewmodels::StatsTableModel;

namespace {

StatisticsEntry channel(std::int64_t written)
{
    return StatisticsEntry{"channel",
                           "frames",
                           {{"items_written", written},
                            {"items_read", written - 2},
                            {"depth", 2},
                            {"capacity", 16},
                            {"sync_reads", 3},
                            {"suspended_reads", 1}}};
}

QString cell(const StatsTableModel &table, int row, StatsTableModel::Column column)
{
    return table.cell(row, column);
}

} // namespace

class StatisticsViewModelTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void onlySomeoneAllowedSeesTheEngineStatistics()
    {
        FakeRig rig;
        rig.engine.setStatistics({channel(10)});
        SessionViewModel session(rig.services());
        StatisticsViewModel statistics(rig.services(), session);
        statistics.refresh();
        QVERIFY(!statistics.isAllowed());
        QCOMPARE(statistics.table()->rowCount(), 0);
        QVERIFY(QCoro::waitFor(session.loginTask("operator", "operator")));
        statistics.refresh();
        QCOMPARE(statistics.table()->rowCount(), 0);
        session.logout();
        QVERIFY(QCoro::waitFor(session.loginTask("engineer", "engineer")));
        QVERIFY(statistics.isAllowed());
        statistics.refresh();
        QCOMPARE(statistics.table()->rowCount(), 1);
    }

    void eachEntryIsARowWithItsKeyMetricsFirst()
    {
        FakeRig rig;
        StatisticsEntry executor{"executor", "detection", {{"posted", 5}, {"resumed", 4}, {"parks", 1}, {"timers_fired", 0}}};
        rig.engine.setStatistics({executor, channel(10)});
        SessionViewModel session(rig.services());
        StatisticsViewModel statistics(rig.services(), session);
        QVERIFY(QCoro::waitFor(session.loginTask("engineer", "engineer")));
        statistics.refresh();
        const StatsTableModel &table = *statistics.table();
        QCOMPARE(table.count(), 2);
        // Sorted by kind, then name.
        QCOMPARE(cell(table, 0, StatsTableModel::KindColumn), QString("channel"));
        QCOMPARE(cell(table, 1, StatsTableModel::KindColumn), QString("executor"));
        const QString summary = cell(table, 0, StatsTableModel::SummaryColumn);
        const QString itemRate = QStringLiteral("( \\(\\d+\\.\\d/s\\))?");
        QVERIFY2(QRegularExpression("^items written 10" + itemRate + " · items read 8" + itemRate + " · sync 75 %")
                     .match(summary)
                     .hasMatch(),
                 qPrintable(summary));
        QVERIFY(cell(table, 0, StatsTableModel::MetricsColumn).contains("capacity 16"));
        QCOMPARE(cell(table, 1, StatsTableModel::NameColumn), QString("detection"));
        // Counters carry their rate once a refresh has one before it: " (0.0/s)" or none.
        const QString rate = QStringLiteral("( \\(\\d+\\.\\d/s\\))?");
        const QRegularExpression executorSummary("^posted 5" + rate + " · resumed 4" + rate + " · parks 1$");
        QVERIFY2(executorSummary.match(cell(table, 1, StatsTableModel::SummaryColumn)).hasMatch(),
                 qPrintable(cell(table, 1, StatsTableModel::SummaryColumn)));
        QVERIFY2(cell(table, 1, StatsTableModel::MetricsColumn).endsWith(" · parks 1 · timers fired 0"),
                 qPrintable(cell(table, 1, StatsTableModel::MetricsColumn)));
    }

    void theRuntimesUnreachedFailuresAreAmongTheRows()
    {
        FakeRig rig;
        rig.engine.setStatistics(
            {StatisticsEntry{"runtime", "failures", {{"dropped_task_failures", 2}, {"drop_callback_failures", 0}}}});
        SessionViewModel session(rig.services());
        StatisticsViewModel statistics(rig.services(), session);
        QVERIFY(QCoro::waitFor(session.loginTask("engineer", "engineer")));
        statistics.refresh();
        const StatsTableModel &table = *statistics.table();
        QCOMPARE(table.count(), 1);
        QCOMPARE(cell(table, 0, StatsTableModel::SummaryColumn),
                 QString("dropped task failures 2 · drop callback failures 0"));
    }

    void theStagesShowThroughputAndLatencyFromTheirEntries()
    {
        FakeRig rig;
        const StatisticsEntry detection{
            "stage", "detection", {{"frames", 100}, {"latency_p50_us", 8500}, {"latency_p99_us", 41000}, {"inspect_p50_us", 6000}}};
        const StatisticsEntry persistence{
            "service", "persistence", {{"defects_stored", 0}, {"latency_p50_us", 0}, {"latency_p99_us", 0}}};
        rig.engine.setStatistics({detection, persistence});
        SessionViewModel session(rig.services());
        StatisticsViewModel statistics(rig.services(), session);
        QVERIFY(QCoro::waitFor(session.loginTask("engineer", "engineer")));
        statistics.refresh();
        QVariantList stages = statistics.stages();
        QCOMPARE(stages.size(), 3);
        QVariantMap first = stages[0].toMap();
        QCOMPARE(first["stage"].toString(), QString("Detection"));
        QCOMPARE(first["p50"].toString(), QString("8.5 ms"));
        QCOMPARE(first["p99"].toString(), QString("41 ms"));
        QCOMPARE(first["latencySpan"].toString(), QString("exposure → inspected"));
        // No staging entry (no run, or staging off), and a store that stored nothing yet: dashes.
        QCOMPARE(stages[1].toMap()["p99"].toString(), QString("–"));
        QCOMPARE(stages[1].toMap()["throughput"].toString(), QString("–"));
        QCOMPARE(stages[2].toMap()["p50"].toString(), QString("–"));
        // Throughput is the counter's rate between two refreshes.
        StatisticsEntry later = detection;
        later.metrics[0].value = 160;
        rig.engine.setStatistics({later, persistence});
        // The next refresh at least a millisecond later shows the rate of the 60 new frames.
        QString throughput;
        for (int i = 0; i < 500 && (throughput.isEmpty() || throughput == "–"); ++i) {
            QTest::qWait(20);
            statistics.refresh();
            throughput = statistics.stages()[0].toMap()["throughput"].toString();
        }
        QVERIFY2(throughput.endsWith(" frames/s") && !throughput.startsWith("0.0 "), qPrintable(throughput));
        QVERIFY(!statistics.segments("detectionP99").empty());
        QCOMPARE(statistics.segments("detectionP99").back().back().y(), 41.0);
    }

    void theChartsBreakTheirLinesWhereNothingWasMeasured()
    {
        FakeRig rig;
        StatisticsEntry detection{"stage", "detection", {{"frames", 100}, {"latency_p50_us", 8500}, {"latency_p99_us", 41000}}};
        rig.engine.setStatistics({detection});
        SessionViewModel session(rig.services());
        StatisticsViewModel statistics(rig.services(), session);
        QVERIFY(QCoro::waitFor(session.loginTask("engineer", "engineer")));
        // Frozen, so that only this test's refreshes sample; each a little later than the one
        // before (rates need time to pass).
        statistics.setPaused(true);
        QVERIFY(statistics.isPaused());
        QElapsedTimer sinceRefresh;
        const auto refreshLater = [&](qint64 afterMs) {
            for (int i = 0; i < 10'000 && sinceRefresh.isValid() && sinceRefresh.elapsed() <= afterMs; ++i) {
                QTest::qWait(5);
            }
            statistics.refresh();
            sinceRefresh.start();
        };
        const auto inspect = [&](std::int64_t frames) {
            detection.metrics[0].value = frames;
            rig.engine.setStatistics({detection});
        };
        refreshLater(0);
        QCOMPARE(statistics.segmentCount("detectionP99"), 0); // no earlier count: nothing inspected since
        inspect(160);
        refreshLater(2);
        QCOMPARE(statistics.segmentCount("detectionP99"), 1);
        inspect(220);
        refreshLater(2);
        // The run ends: the histogram keeps its last p99, but the chart must not hold it.
        refreshLater(2);
        refreshLater(2);
        auto latency = statistics.segments("detectionP99");
        QCOMPARE(latency.size(), std::size_t{1});
        QCOMPARE(latency[0].size(), std::size_t{2});
        QVERIFY2(latency[0].back().x() < 0.0, "the last point lies before now: nothing was drawn since the run ended");
        // The next run: a new stretch, not a line across the idle time.
        inspect(300);
        refreshLater(2);
        latency = statistics.segments("detectionP99");
        QCOMPARE(latency.size(), std::size_t{2});
        QCOMPARE(latency[1].size(), std::size_t{1});
        QCOMPARE(latency[1].back(), QPointF(0.0, 41.0));

        // A stretch the page was not allowed to sample (an operator logged in) breaks every chart.
        QCOMPARE(statistics.segmentCount("frames"), 1);
        session.logout();
        refreshLater(1'200);
        QVERIFY(QCoro::waitFor(session.loginTask("engineer", "engineer")));
        refreshLater(2);
        refreshLater(2);
        const auto frames = statistics.segments("frames");
        QCOMPARE(frames.size(), std::size_t{2});
        QVERIFY(frames[1].size() >= 2); // the refreshes since the login (logging in may refresh too)

        // Resuming samples at once.
        const int refreshes = statistics.refreshCount();
        statistics.setPaused(false);
        QVERIFY(!statistics.isPaused());
        QCOMPARE(statistics.refreshCount(), refreshes + 1);
    }
};

QTEST_GUILESS_MAIN(StatisticsViewModelTest)
#include "statistics_view_model_test.moc"
