#include <waferscope/viewmodels/alarms/alarm_kpi_model.h>

#include <QPointer>
#include <QVariantMap>

#include <QCoroFuture>

#include <waferscope/core/alarms/alarm_priority.h>
#include <waferscope/core/alarms/alarm_state.h>

#include "qt_text.h"
#include "readable_text.h"
#include "store_read.h"

namespace waferscope::viewmodels {

namespace {

using namespace std::chrono_literals;

constexpr core::AlarmKpiOptions::Duration kPeriods[] = {1h, 8h, 24h, 7 * 24h};
/// More events than any sane period holds; a period with more is measured on its newest ones.
constexpr std::size_t kEventLimit = 200000;

// ISA-18.2 (Table 16, after EEMUA 191): about 6 alarms an hour per operator is very likely
// acceptable, 12 the most that is manageable; no more than 10 in any 10 minutes; under 1 % of the
// time in flood; the top 10 alarms under 5 % of all; no chattering alarms; fewer than 5 stale ones.
constexpr double kRateAcceptable = 6.0;
constexpr double kRateManageable = 12.0;
constexpr std::size_t kPeakLimit = 10;
constexpr double kFloodTimeLimit = 0.01;
constexpr double kBadActorShareLimit = 0.05;
constexpr std::size_t kStaleLimit = 5;

QString percent(double share)
{
    return QStringLiteral("%1 %").arg(share * 100.0, 0, 'f', share > 0 && share < 0.1 ? 1 : 0);
}

QVariantList badActorRows(const core::AlarmKpis &kpis)
{
    QVariantList rows;
    for (const auto &actor : kpis.badActors) {
        rows.append(QVariantMap{{QStringLiteral("tag"), qText(actor.tag)},
                                {QStringLiteral("priority"), readable(core::toText(actor.priority))},
                                {QStringLiteral("activations"), static_cast<qint64>(actor.activations)},
                                {QStringLiteral("share"), percent(actor.share)}});
    }
    return rows;
}

QVariantList floodRows(const core::AlarmKpis &kpis)
{
    QVariantList rows;
    for (const auto &flood : kpis.floods) {
        rows.append(QVariantMap{{QStringLiteral("began"), timeText(localTime(flood.began))},
                                {QStringLiteral("length"), flood.isOngoing ? QObject::tr("%1, still going").arg(durationText(flood.ended - flood.began))
                                                                           : durationText(flood.ended - flood.began)},
                                {QStringLiteral("activations"), static_cast<qint64>(flood.activations)},
                                {QStringLiteral("peak"), static_cast<qint64>(flood.peak)}});
    }
    return rows;
}

QVariantList chatteringRows(const core::AlarmKpis &kpis)
{
    QVariantList rows;
    for (const auto &entry : kpis.chattering) {
        rows.append(QVariantMap{{QStringLiteral("tag"), qText(entry.tag)},
                                {QStringLiteral("episodes"), static_cast<qint64>(entry.episodes)},
                                {QStringLiteral("activations"), static_cast<qint64>(entry.activations)}});
    }
    return rows;
}

QVariantList standingRows(const core::AlarmKpis &kpis)
{
    QVariantList rows;
    for (const auto &entry : kpis.standing) {
        rows.append(QVariantMap{{QStringLiteral("tag"), qText(entry.tag)},
                                {QStringLiteral("priority"), readable(core::toText(entry.priority))},
                                {QStringLiteral("state"), readable(core::toText(entry.state))},
                                {QStringLiteral("since"), timeText(localTime(entry.since))},
                                {QStringLiteral("age"), durationText(kpis.to - entry.since)},
                                {QStringLiteral("stale"), entry.isStale}});
    }
    return rows;
}

QVariantList userRows(const core::AlarmKpis &kpis)
{
    QVariantList rows;
    for (const auto &user : kpis.users) {
        rows.append(QVariantMap{{QStringLiteral("user"), qText(user.userName)},
                                {QStringLiteral("acknowledgements"), static_cast<qint64>(user.acknowledgements)},
                                {QStringLiteral("shelves"), static_cast<qint64>(user.shelves)}});
    }
    return rows;
}

} // namespace

AlarmKpiModel::AlarmKpiModel(ConsoleServices services, QObject *parent)
    : QObject(parent)
    , m_services(services)
    , m_database(services.engine.databaseFile())
{
    show({}, std::chrono::system_clock::now(), std::chrono::steady_clock::now());
}

QStringList AlarmKpiModel::periodNames() const
{
    return {tr("Last hour"), tr("Last 8 hours (a shift)"), tr("Last 24 hours"), tr("Last 7 days")};
}

void AlarmKpiModel::setPeriodIndex(int index)
{
    if (index < 0 || index >= static_cast<int>(std::size(kPeriods)) || index == m_periodIndex) {
        return;
    }
    m_periodIndex = index;
    Q_EMIT periodIndexChanged();
    refresh();
}

core::AlarmKpiOptions::Duration AlarmKpiModel::period() const
{
    return kPeriods[m_periodIndex];
}

QString AlarmKpiModel::rateTarget() const
{
    return tr("ISA-18.2: about %1 an hour is acceptable, %2 the most an operator can manage")
        .arg(kRateAcceptable)
        .arg(kRateManageable);
}

void AlarmKpiModel::refresh()
{
    static_cast<void>(refreshTask());
}

QCoro::Task<bool> AlarmKpiModel::refreshTask()
{
    const QPointer<AlarmKpiModel> self(this);
    const int generation = ++m_generation;
    setLoading(true);
    const auto now = std::chrono::system_clock::now();
    const auto from = now - period();
    auto pending = readStore<std::vector<core::AlarmEventRecord>>(
        m_database, [from, now](const core::InspectionStore &store) { return store.alarmEventsBetween(from, now, kEventLimit); });
    auto read = co_await pending;
    if (!self || generation != m_generation) {
        co_return false; // gone, or a newer refresh (another period) is under way
    }
    setLoading(false);
    if (!read.value) {
        m_errorText = tr("The alarm events cannot be read: %1").arg(QString::fromStdString(read.error));
        Q_EMIT changed();
        co_return false;
    }
    m_errorText.clear();
    show(*read.value, now, std::chrono::steady_clock::now());
    co_return true;
}

void AlarmKpiModel::show(std::span<const core::AlarmEventRecord> events, core::AlarmKpis::Time now, core::AlarmTime steadyNow)
{
    core::AlarmKpiOptions options;
    options.period = period();
    const std::vector<core::AlarmStatus> statuses = m_services.engine.alarms();
    apply(core::computeAlarmKpis(events, statuses, now, steadyNow, options));
}

void AlarmKpiModel::apply(const core::AlarmKpis &kpis)
{
    m_periodText = tr("%1 to %2: %n alarm(s)", nullptr, static_cast<int>(kpis.activations))
                       .arg(timeText(localTime(kpis.from)), timeText(localTime(kpis.to)));

    m_rateText = tr("%1 an hour").arg(kpis.perHour, 0, 'f', 1);
    m_rateTone = kpis.perHour <= kRateAcceptable    ? QStringLiteral("ok")
                 : kpis.perHour <= kRateManageable ? QStringLiteral("warning")
                                                   : QStringLiteral("alarm");

    m_peakText = tr("%n in the busiest 10 minutes (target: at most %1)", nullptr, static_cast<int>(kpis.peakPerTenMinutes))
                     .arg(kPeakLimit);
    m_peakTone = kpis.peakPerTenMinutes <= kPeakLimit ? QStringLiteral("ok") : QStringLiteral("alarm");

    m_floodText = kpis.floods.empty()
                      ? tr("No flood (target: under 1 % of the time)")
                      : tr("%n flood(s), %1 of the time, %2 of the alarms (target: under 1 % of the time)", nullptr,
                           static_cast<int>(kpis.floods.size()))
                            .arg(percent(kpis.timeInFlood), percent(kpis.activationsInFlood));
    m_floodTone = kpis.timeInFlood < kFloodTimeLimit && kpis.floods.empty() ? QStringLiteral("ok")
                  : kpis.timeInFlood < kFloodTimeLimit                    ? QStringLiteral("warning")
                                                                          : QStringLiteral("alarm");

    m_badActorText = kpis.activations == 0
                         ? tr("No alarms")
                         : tr("The top %n alarm(s) gave %1 of all (target: under 5 %)", nullptr,
                              static_cast<int>(kpis.badActors.size()))
                               .arg(percent(kpis.badActorShare));
    m_badActorTone = kpis.activations == 0 || kpis.badActorShare <= kBadActorShareLimit ? QStringLiteral("ok")
                                                                                         : QStringLiteral("warning");

    m_chatteringText = kpis.chattering.empty()
                           ? tr("No chattering alarm (target: none)")
                           : tr("%n chattering alarm(s) (target: none)", nullptr, static_cast<int>(kpis.chattering.size()));
    m_chatteringTone = kpis.chattering.empty() ? QStringLiteral("ok") : QStringLiteral("alarm");

    m_standingText = tr("%n standing now, %1 stale (in alarm over 24 h; target: fewer than 5)", nullptr,
                        static_cast<int>(kpis.standing.size()))
                         .arg(kpis.staleCount);
    m_standingTone = kpis.staleCount == 0           ? QStringLiteral("ok")
                     : kpis.staleCount < kStaleLimit ? QStringLiteral("warning")
                                                     : QStringLiteral("alarm");

    const double total = static_cast<double>(std::max<std::size_t>(kpis.activations, 1));
    m_priorityText = tr("Critical %1 · high %2 · medium %3 · low %4 (target: about 5 % high, 15 % medium, 80 % low)")
                         .arg(percent(double(kpis.byPriority[0]) / total), percent(double(kpis.byPriority[1]) / total),
                              percent(double(kpis.byPriority[2]) / total), percent(double(kpis.byPriority[3]) / total));
    m_responseText = tr("%n acknowledged, %1 shelved in the period", nullptr, static_cast<int>(kpis.acknowledgements))
                         .arg(kpis.shelves);

    m_badActors = badActorRows(kpis);
    m_floods = floodRows(kpis);
    m_chattering = chatteringRows(kpis);
    m_standing = standingRows(kpis);
    m_users = userRows(kpis);
    Q_EMIT changed();
}

void AlarmKpiModel::setLoading(bool isLoading)
{
    if (m_isLoading != isLoading) {
        m_isLoading = isLoading;
        Q_EMIT loadingChanged();
    }
}

} // namespace waferscope::viewmodels
