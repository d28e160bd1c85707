#pragma once

/// StatisticsViewModel: the engineer's pipeline statistics — every channel, pool, executor, marshal
/// and service the stats registry knows, with each counter's value and its rate, the process's
/// allocations per second, and the UI thread's own lag; plus the last minutes of a few series for
/// the live charts.
/// Refresh: at most 10 Hz (every 250 ms by default), only while someone allowed to see it
/// (ViewStatistics) is logged in: for anyone else rows stay empty and `isAllowed` is false.
/// UI lag: a 50 ms timer on the UI thread measures how late it fires; lagP50Ms/lagP99Ms are over
/// the latest 10 seconds.
/// Series (by key): "frames" (frames processed per second), "defects" (per second),
/// "poolInUse" (frames rented), "uiLag" (p99 ms); one point per refresh, the last 5 minutes.
/// Threads: the GUI thread. Allocates: per refresh (the snapshot).

#include <QAbstractListModel>
#include <QElapsedTimer>
#include <QPointF>
#include <QTimer>
#include <QtCharts/QAbstractSeries>
#include <QtQml/qqmlregistration.h>

#include <deque>
#include <map>

#include <waferscope/viewmodels/console/console_services.h>
#include <waferscope/viewmodels/session/session_view_model.h>
#include <waferscope/viewmodels/tables/record_table_model.h>


namespace waferscope::viewmodels {

/// StatsTableModel: every registry entry as a sortable table row — Kind, Name, Key figures (the
/// metrics that matter most, with rates) and All metrics, names written as words ("frame pool",
/// "items written"). A refresh with the same entries updates the rows where they stand (the
/// selection and the scroll position stay); other entries replace them.
// The base is named in full: qmltyperegistrar finds a base class only by its full name (qmllint
// then knows the model is a RecordTableModel).
class StatsTableModel : public waferscope::viewmodels::RecordTableModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The statistics view model owns the table")

public:
    enum Column { KindColumn, NameColumn, SummaryColumn, MetricsColumn };
    Q_ENUM(Column)

    struct Entry {
        QString kind;
        QString name;
        QString summary; ///< the key figures, " · " between them
        QString metrics; ///< every metric, " · " between them
    };

    explicit StatsTableModel(QObject *parent = nullptr);
    void setEntries(const std::vector<Entry> &entries);
};

class StatisticsViewModel : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The console owns the statistics view model")
    Q_PROPERTY(waferscope::viewmodels::StatsTableModel *table READ table CONSTANT)
    Q_PROPERTY(bool isAllowed READ isAllowed NOTIFY allowedChanged)
    Q_PROPERTY(double lagP50Ms READ lagP50Ms NOTIFY refreshed)
    Q_PROPERTY(double lagP99Ms READ lagP99Ms NOTIFY refreshed)
    Q_PROPERTY(double allocationsPerSecond READ allocationsPerSecond NOTIFY refreshed)
    Q_PROPERTY(double marshalPostsPerSecond READ marshalPostsPerSecond NOTIFY refreshed)
    Q_PROPERTY(double framesPerSecond READ framesPerSecond NOTIFY refreshed)
    Q_PROPERTY(int refreshCount READ refreshCount NOTIFY refreshed)
    /// Frozen: the figures, tables and charts stay as they are (to read them, or to compare) until
    /// resumed; time while frozen is not sampled, so the charts show a gap there.
    Q_PROPERTY(bool isPaused READ isPaused WRITE setPaused NOTIFY pausedChanged)
    /// The pipeline's stages, in the order a frame passes them: per stage its name, what it counts,
    /// its throughput (/s) and its latency p50 and p99 — {stage, unit, throughput, p50, p99}, as text.
    Q_PROPERTY(QVariantList stages READ stages NOTIFY refreshed)
    /// How many seconds the series hold so far (at most 300), for the charts' time axis.
    Q_PROPERTY(double seriesSeconds READ seriesSeconds NOTIFY refreshed)

public:
    StatisticsViewModel(ConsoleServices services, SessionViewModel &session, QObject *parent = nullptr);

    Q_INVOKABLE void refresh();
    /// How many unbroken stretches series `key` has: a stretch ends where the series has no value
    /// (no frame was inspected since the last refresh) or where it was not sampled (the page was not
    /// allowed), so that a chart never draws a line across time it knows nothing of.
    Q_INVOKABLE int segmentCount(const QString &key) const;
    /// Replaces the points of a chart's XY series with stretch `index` of series `key` (x: seconds,
    /// relative to now); a stretch that does not exist empties the series.
    Q_INVOKABLE void fillSegment(QAbstractSeries *series, const QString &key, int index) const;
    /// The largest y of series `key`, for a chart's axis.
    Q_INVOKABLE double seriesMax(const QString &key) const;
    /// The stretches of series `key`, oldest first (x: seconds, relative to now).
    [[nodiscard]] std::vector<std::vector<QPointF>> segments(const QString &key) const;

    [[nodiscard]] StatsTableModel *table() noexcept { return &m_table; }
    [[nodiscard]] bool isAllowed() const noexcept { return m_session.canViewStatistics(); }
    [[nodiscard]] double lagP50Ms() const noexcept { return m_lagP50; }
    [[nodiscard]] double lagP99Ms() const noexcept { return m_lagP99; }
    [[nodiscard]] double allocationsPerSecond() const noexcept { return m_allocationsPerSecond; }
    [[nodiscard]] double marshalPostsPerSecond() const noexcept { return m_postsPerSecond; }
    [[nodiscard]] double framesPerSecond() const noexcept { return m_framesPerSecond; }
    [[nodiscard]] int refreshCount() const noexcept { return m_refreshCount; }
    [[nodiscard]] bool isPaused() const noexcept { return !m_refreshTimer.isActive(); }
    void setPaused(bool paused);
    [[nodiscard]] QVariantList stages() const { return m_stages; }
    [[nodiscard]] double seriesSeconds() const;

    /// What the table's entries add up to: the marshals' wakes per second, the frames in use.
    struct EntryTotals {
        double posts = 0.0;
        double poolInUse = 0.0;
    };

Q_SIGNALS:
    void allowedChanged();
    void pausedChanged();
    void refreshed();

private:
    struct Sample {
        double t = 0.0; // seconds since the view model was made
        double value = 0.0; // NaN: nothing to show at t
    };
    using Counters = std::map<std::string, std::int64_t>; ///< "kind/name/metric" → value
    void measureLag();
    void refreshLag();
    EntryTotals refreshTable(const std::vector<pipelines::StatisticsEntry> &entries, double dt, Counters &current);
    /// Returns the frame latency p99 to chart, NaN when no frame was inspected since the last refresh.
    double refreshStages(const std::vector<pipelines::StatisticsEntry> &entries, double dt);
    /// Frames/s and allocations/s; returns defects/s.
    double refreshRates(Counters &current, double dt);
    void push(const char *key, double t, double value);

    ConsoleServices m_services;
    SessionViewModel &m_session;
    StatsTableModel m_table;
    QTimer m_refreshTimer;
    QTimer m_lagTimer;
    QElapsedTimer m_clock;
    qint64 m_lagExpectedMs = 0;
    std::deque<std::pair<qint64, double>> m_lagSamples; // (at ms, lag ms), the latest 10 s
    Counters m_previous; // at the last refresh
    double m_previousT = 0.0;
    std::uint64_t m_previousAllocations = 0;
    std::map<QString, std::deque<Sample>> m_series;
    double m_lagP50 = 0.0;
    double m_lagP99 = 0.0;
    double m_allocationsPerSecond = 0.0;
    double m_postsPerSecond = 0.0;
    double m_framesPerSecond = 0.0;
    int m_refreshCount = 0;
    QVariantList m_stages;
};

} // namespace waferscope::viewmodels
