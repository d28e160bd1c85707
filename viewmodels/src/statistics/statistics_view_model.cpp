#include <waferscope/viewmodels/statistics/statistics_view_model.h>

#include <QtCharts/QXYSeries>

#include <algorithm>
#include <iterator>
#include <cmath>
#include <limits>

namespace waferscope::viewmodels {

namespace {

constexpr auto kRefreshInterval = std::chrono::milliseconds(250);
constexpr int kLagTimerMs = 50;
constexpr qint64 kLagWindowMs = 10'000;
constexpr double kSeriesSeconds = 300.0;
// Samples further apart than this (four refreshes) were not taken in between: the page was not
// allowed, or the UI thread stalled. A chart breaks its line there.
constexpr double kSeriesGapSeconds = 1.0;

/// The metrics shown first for each kind of entry (the rest are in `metrics`).
std::vector<std::string_view> keyMetrics(std::string_view kind)
{
    if (kind == "channel") {
        return {"items_written", "items_read", "depth", "capacity", "high_water", "sync_reads", "suspended_reads",
                "suspended_writes", "dropped", "read_wait_ns"};
    }
    if (kind == "frame_pool") {
        return {"in_use", "capacity", "high_water", "waits", "underruns"};
    }
    if (kind == "marshal") {
        return {"published", "delivered", "pending", "pending_high_water", "wakes", "dropped", "blocked_publishes"};
    }
    if (kind == "executor") {
        return {"posted", "resumed", "parks", "jobs_live", "jobs_failed"};
    }
    if (kind == "runtime") {
        return {"dropped_task_failures", "drop_callback_failures"};
    }
    if (kind == "stage") {
        return {"frames", "crops", "latency_p50_us", "latency_p99_us"};
    }
    return {};
}

/// Counters whose rate is worth showing (monotonic totals).
bool isCounter(std::string_view metric)
{
    return metric.starts_with("items_") || metric == "published" || metric == "delivered" || metric == "wakes" ||
           metric == "polls" || metric == "ticks" || metric == "beats" || metric == "samples" || metric == "events" ||
           metric == "defects_stored" || metric == "batches" || metric == "posted" || metric == "resumed" ||
           metric == "frames" || metric == "crops";
}

/// A stage of the pipeline as the Statistics page lists it: the registry entry that measures it, the
/// counter its throughput comes from, and what the latency spans.
struct StageSpec {
    const char *kind;
    const char *name;
    const char *counter;
    const char *label;
    const char *unit;
    const char *latency;
};

constexpr StageSpec kStages[] = {
    {"stage", "detection", "frames", "Detection", "frames", "exposure → inspected"},
    {"stage", "staging", "crops", "Crop staging", "crops", "one crop written"},
    {"service", "persistence", "defects_stored", "Persistence", "defects", "detected → stored"},
};

QString microseconds(std::int64_t us)
{
    if (us < 0) {
        return QStringLiteral("–");
    }
    return us >= 10000 ? QStringLiteral("%1 ms").arg(static_cast<double>(us) / 1000.0, 0, 'f', 0)
           : us >= 1000 ? QStringLiteral("%1 ms").arg(static_cast<double>(us) / 1000.0, 0, 'f', 1)
                        : QStringLiteral("%1 µs").arg(us);
}

/// A stable snake_case name as words: "items_written" → "items written", "frame_pool" → "frame pool";
/// "_ns" and "_us" read as units.
QString words(std::string_view name)
{
    QString text = QString::fromUtf8(name.data(), qsizetype(name.size()));
    if (text.endsWith(QStringLiteral("_ns"))) {
        text = text.chopped(3) + QStringLiteral(" (ns)");
    } else if (text.endsWith(QStringLiteral("_us"))) {
        text = text.chopped(3) + QStringLiteral(" (µs)");
    }
    return text.replace(QLatin1Char('_'), QLatin1Char(' '));
}

/// The table row of one registry entry: every metric as words with its rate where it has one, the
/// entry's key figures first. Adds the marshals' wakes per second and the frame pools' frames in use
/// to `totals`.
template <typename RateOf>
StatsTableModel::Entry entryRow(const pipelines::StatisticsEntry &entry, const RateOf &rateOf,
                                StatisticsViewModel::EntryTotals &totals)
{
    StatsTableModel::Entry row;
    row.kind = words(entry.kind);
    row.name = words(entry.name);
    QStringList all;     // as shown: "items written 10 (2.5/s)"
    QStringList allRaw;  // the metrics' own names, in the same order, for picking the key ones
    for (const pipelines::StatisticsEntry::Metric &m : entry.metrics) {
        const auto rate = rateOf(m.name, m.value);
        QString text = QStringLiteral("%1 %2").arg(words(m.name)).arg(m.value);
        if (rate) {
            text += QStringLiteral(" (%1/s)").arg(*rate, 0, 'f', 1);
        }
        all.append(text);
        allRaw.append(QString::fromStdString(m.name));
        if (entry.kind == "marshal" && m.name == "wakes" && rate) {
            totals.posts += *rate;
        }
        if (entry.kind == "frame_pool" && m.name == "in_use") {
            totals.poolInUse += static_cast<double>(m.value);
        }
    }
    QStringList summary;
    for (const std::string_view key : keyMetrics(entry.kind)) {
        const QString name = QString::fromUtf8(key.data(), qsizetype(key.size()));
        for (int i = 0; i < all.size(); ++i) {
            // "dropped" stands for every drop reason (dropped_oldest, dropped_newest, …).
            if (allRaw[i] == name || (key == "dropped" && allRaw[i].startsWith(name + u'_'))) {
                summary.append(all[i]);
            }
        }
    }
    if (entry.kind == "channel") {
        // Reads that completed without suspending: what value tasks make cheap.
        const auto sync = entry.value("sync_reads");
        const auto suspended = entry.value("suspended_reads");
        if (sync >= 0 && suspended >= 0 && sync + suspended > 0) {
            summary.insert(std::min<qsizetype>(2, summary.size()),
                           QStringLiteral("sync %1 %").arg(100.0 * double(sync) / double(sync + suspended), 0, 'f', 0));
        }
    }
    row.summary = summary.isEmpty() ? all.mid(0, 6).join(QStringLiteral(" · ")) : summary.join(QStringLiteral(" · "));
    row.metrics = all.join(QStringLiteral(" · "));
    return row;
}

double percentile(std::vector<double> values, double p)
{
    if (values.empty()) {
        return 0.0;
    }
    std::sort(values.begin(), values.end());
    const auto index = static_cast<std::size_t>(std::ceil(p * static_cast<double>(values.size()))) - 1;
    return values[std::min(index, values.size() - 1)];
}

} // namespace

StatsTableModel::StatsTableModel(QObject *parent)
    : RecordTableModel({{tr("Kind"), 110}, {tr("Name"), 190}, {tr("Key figures"), 640}, {tr("All metrics"), 900}},
                       parent)
{
}

void StatsTableModel::setEntries(const std::vector<Entry> &entries)
{
    std::vector<Row> rows;
    rows.reserve(entries.size());
    for (const Entry &entry : entries) {
        Row row;
        row.cells = {entry.kind, entry.name, entry.summary, entry.metrics};
        row.sortKeys = {entry.kind, entry.name, entry.summary, entry.metrics};
        row.key = entry.kind + u'/' + entry.name;
        rows.push_back(std::move(row));
    }
    // The same entries as shown (the common case): in place, so the view keeps its rows.
    const bool isSame = rows.size() == this->rows().size() &&
                        std::all_of(rows.begin(), rows.end(), [this](const Row &row) { return rowOf(row.key) >= 0; });
    if (!isSame) {
        setRows(std::move(rows));
        return;
    }
    for (Row &row : rows) {
        updateRow(std::move(row));
    }
}

StatisticsViewModel::StatisticsViewModel(ConsoleServices services, SessionViewModel &session, QObject *parent)
    : QObject(parent)
    , m_services(services)
    , m_session(session)
{
    m_clock.start();
    connect(&m_session, &SessionViewModel::userChanged, this, [this] {
        Q_EMIT allowedChanged();
        refresh();
    });
    connect(&m_refreshTimer, &QTimer::timeout, this, &StatisticsViewModel::refresh);
    m_refreshTimer.start(kRefreshInterval);
    connect(&m_lagTimer, &QTimer::timeout, this, &StatisticsViewModel::measureLag);
    m_lagTimer.setTimerType(Qt::PreciseTimer);
    m_lagExpectedMs = m_clock.elapsed() + kLagTimerMs;
    m_lagTimer.start(kLagTimerMs);
}

void StatisticsViewModel::measureLag()
{
    const qint64 now = m_clock.elapsed();
    const double lag = static_cast<double>(std::max<qint64>(0, now - m_lagExpectedMs));
    m_lagExpectedMs = now + kLagTimerMs;
    m_lagSamples.emplace_back(now, lag);
    while (!m_lagSamples.empty() && m_lagSamples.front().first < now - kLagWindowMs) {
        m_lagSamples.pop_front();
    }
}

void StatisticsViewModel::setPaused(bool paused)
{
    if (paused == isPaused()) {
        return;
    }
    if (paused) {
        m_refreshTimer.stop();
    } else {
        m_refreshTimer.start(kRefreshInterval);
        refresh();
    }
    Q_EMIT pausedChanged();
}

void StatisticsViewModel::refresh()
{
    const double t = static_cast<double>(m_clock.elapsed()) / 1000.0;
    const double dt = t - m_previousT;
    refreshLag();
    if (!isAllowed()) {
        m_table.setEntries({});
        return;
    }
    const auto entries = m_services.engine.statistics();
    Counters current;
    const EntryTotals totals = refreshTable(entries, dt, current);
    const double detectionP99 = refreshStages(entries, dt);
    const double defectsPerSecond = refreshRates(current, dt);
    m_postsPerSecond = totals.posts;
    m_previous = std::move(current);
    m_previousT = t;

    push("frames", t, m_framesPerSecond);
    push("defects", t, defectsPerSecond);
    push("detectionP99", t, detectionP99);
    push("poolInUse", t, totals.poolInUse);
    push("uiLag", t, m_lagP99);
    ++m_refreshCount;
    Q_EMIT refreshed();
}

void StatisticsViewModel::refreshLag()
{
    std::vector<double> lags;
    lags.reserve(m_lagSamples.size());
    for (const auto &[at, lag] : m_lagSamples) {
        lags.push_back(lag);
    }
    m_lagP50 = percentile(lags, 0.50);
    m_lagP99 = percentile(lags, 0.99);
}

StatisticsViewModel::EntryTotals StatisticsViewModel::refreshTable(const std::vector<pipelines::StatisticsEntry> &entries,
                                                                   double dt, Counters &current)
{
    EntryTotals totals;
    std::vector<StatsTableModel::Entry> rows;
    rows.reserve(entries.size());
    for (const pipelines::StatisticsEntry &entry : entries) {
        const auto rateOf = [&](std::string_view metric, std::int64_t value) -> std::optional<double> {
            const std::string key = entry.kind + "/" + entry.name + "/" + std::string(metric);
            current[key] = value;
            const auto it = m_previous.find(key);
            // A counter that went down belongs to a new primitive under the same name (a new run).
            if (it == m_previous.end() || dt <= 0.0 || !isCounter(metric) || value < it->second) {
                return std::nullopt;
            }
            return static_cast<double>(value - it->second) / dt;
        };
        rows.push_back(entryRow(entry, rateOf, totals));
    }
    std::sort(rows.begin(), rows.end(),
              [](const auto &a, const auto &b) { return a.kind != b.kind ? a.kind < b.kind : a.name < b.name; });
    m_table.setEntries(rows);
    return totals;
}

double StatisticsViewModel::refreshStages(const std::vector<pipelines::StatisticsEntry> &entries, double dt)
{
    // The stages, each from its registry entry; a stage with no entry (no run yet) shows dashes.
    QVariantList stages;
    double detectionP99 = std::numeric_limits<double>::quiet_NaN();
    for (const StageSpec &spec : kStages) {
        const auto found = std::find_if(entries.begin(), entries.end(), [&spec](const pipelines::StatisticsEntry &e) {
            return e.kind == spec.kind && e.name == spec.name;
        });
        QString throughput = QStringLiteral("–");
        std::int64_t p50 = -1;
        std::int64_t p99 = -1;
        if (found != entries.end()) {
            const std::string key = std::string(spec.kind) + "/" + spec.name + "/" + spec.counter;
            const auto previous = m_previous.find(key);
            const std::int64_t count = found->value(spec.counter);
            if (previous != m_previous.end() && dt > 0.0 && count >= previous->second) {
                throughput = QStringLiteral("%1 %2/s").arg(static_cast<double>(count - previous->second) / dt, 0, 'f', 1)
                                 .arg(QString::fromLatin1(spec.unit));
            }
            const bool hasSamples = count > 0;
            p50 = hasSamples ? found->value("latency_p50_us") : -1;
            p99 = hasSamples ? found->value("latency_p99_us") : -1;
            // The frame latency is charted while frames are inspected; the histogram keeps the last
            // run's figures after it ends, and the chart must not hold them as if they were current.
            const bool inspectedSince = previous != m_previous.end() && count > previous->second;
            if (spec.kind == std::string_view("stage") && spec.name == std::string_view("detection") &&
                inspectedSince && p99 >= 0) {
                detectionP99 = static_cast<double>(p99) / 1000.0;
            }
        }
        stages.append(QVariantMap{{QStringLiteral("stage"), QString::fromUtf8(spec.label)},
                                  {QStringLiteral("latencySpan"), QString::fromUtf8(spec.latency)},
                                  {QStringLiteral("throughput"), throughput},
                                  {QStringLiteral("p50"), microseconds(p50)},
                                  {QStringLiteral("p99"), microseconds(p99)}});
    }
    m_stages = std::move(stages);
    return detectionP99;
}

double StatisticsViewModel::refreshRates(Counters &current, double dt)
{
    const auto progress = m_services.engine.progress();
    const std::string framesKey = "engine/frames_processed";
    const std::string defectsKey = "engine/defects_detected";
    current[framesKey] = static_cast<std::int64_t>(progress.ledger.framesProcessed);
    current[defectsKey] = static_cast<std::int64_t>(progress.ledger.defectsDetected);
    const auto rate = [&](const std::string &key) {
        const auto it = m_previous.find(key);
        return it == m_previous.end() || dt <= 0.0 || current[key] < it->second
                   ? 0.0
                   : static_cast<double>(current[key] - it->second) / dt;
    };
    m_framesPerSecond = rate(framesKey);
    if (m_services.processAllocations) {
        const std::uint64_t allocations = m_services.processAllocations();
        m_allocationsPerSecond =
            dt > 0.0 && m_previousAllocations > 0 ? static_cast<double>(allocations - m_previousAllocations) / dt : 0.0;
        m_previousAllocations = allocations;
    }
    return rate(defectsKey);
}

void StatisticsViewModel::push(const char *key, double t, double value)
{
    auto &samples = m_series[QString::fromLatin1(key)];
    samples.push_back({t, value});
    while (!samples.empty() && samples.front().t < t - kSeriesSeconds) {
        samples.pop_front();
    }
}

std::vector<std::vector<QPointF>> StatisticsViewModel::segments(const QString &key) const
{
    std::vector<std::vector<QPointF>> result;
    const auto it = m_series.find(key);
    if (it == m_series.end() || it->second.empty()) {
        return result;
    }
    const double now = it->second.back().t;
    double previousT = -kSeriesSeconds - 1.0;
    bool open = false;
    for (const Sample &s : it->second) {
        const bool unsampled = s.t - previousT > kSeriesGapSeconds;
        previousT = s.t;
        if (std::isnan(s.value)) {
            open = false;
            continue;
        }
        if (!open || unsampled) {
            result.emplace_back();
            open = true;
        }
        result.back().emplace_back(s.t - now, s.value);
    }
    return result;
}

int StatisticsViewModel::segmentCount(const QString &key) const
{
    return static_cast<int>(segments(key).size());
}

void StatisticsViewModel::fillSegment(QAbstractSeries *series, const QString &key, int index) const
{
    auto *xy = qobject_cast<QXYSeries *>(series);
    if (xy == nullptr) {
        return;
    }
    const auto all = segments(key);
    if (index < 0 || static_cast<std::size_t>(index) >= all.size()) {
        xy->clear();
        return;
    }
    const auto &points = all[static_cast<std::size_t>(index)];
    xy->replace(QList<QPointF>(points.begin(), points.end()));
}

double StatisticsViewModel::seriesSeconds() const
{
    const auto it = m_series.find(QStringLiteral("frames"));
    if (it == m_series.end() || it->second.empty()) {
        return 0.0;
    }
    return it->second.back().t - it->second.front().t;
}

double StatisticsViewModel::seriesMax(const QString &key) const
{
    // Straight from the samples: building the stretches only to take their largest value is not needed.
    double result = 0.0;
    const auto it = m_series.find(key);
    if (it != m_series.end()) {
        for (const Sample &s : it->second) {
            if (!std::isnan(s.value)) {
                result = std::max(result, s.value);
            }
        }
    }
    return result;
}

} // namespace waferscope::viewmodels
