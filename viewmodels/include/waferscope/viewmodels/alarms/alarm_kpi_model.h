#pragma once

/// AlarmKpiModel: the Alarms page's Performance tab — how the alarm system performed over a period
/// ending now, by ISA-18.2's measures (core::computeAlarmKpis): alarms per hour at this operator
/// position, the busiest 10 minutes, flood periods and the time spent in them, the top-10 bad
/// actors and their share, chattering alarms, standing and stale alarms, the priority distribution,
/// and who acknowledged and shelved. Each headline figure comes with ISA-18.2's target and a tone
/// ("ok", "warning", "alarm") for the page to colour it by.
/// Period: periodIndex into periodNames — the last hour, the last 8 hours (a shift), the last 24
/// hours, the last 7 days. Changing it, refresh(), and showing the tab read the store again.
/// Threads: the UI thread; the store is read on Qt's global thread pool. Allocates: per refresh.

#include <QObject>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>

#include <QCoroTask>

#include <filesystem>

#include <waferscope/core/alarms/alarm_kpis.h>
#include <waferscope/viewmodels/console/console_services.h>

namespace waferscope::viewmodels {

class AlarmKpiModel : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The console owns the alarm KPIs")
    Q_PROPERTY(QStringList periodNames READ periodNames CONSTANT)
    Q_PROPERTY(int periodIndex READ periodIndex WRITE setPeriodIndex NOTIFY periodIndexChanged)
    Q_PROPERTY(bool isLoading READ isLoading NOTIFY loadingChanged)
    Q_PROPERTY(QString errorText READ errorText NOTIFY changed)
    Q_PROPERTY(QString periodText READ periodText NOTIFY changed)
    Q_PROPERTY(QString rateText READ rateText NOTIFY changed)
    Q_PROPERTY(QString rateTarget READ rateTarget CONSTANT)
    Q_PROPERTY(QString rateTone READ rateTone NOTIFY changed)
    Q_PROPERTY(QString peakText READ peakText NOTIFY changed)
    Q_PROPERTY(QString peakTone READ peakTone NOTIFY changed)
    Q_PROPERTY(QString floodText READ floodText NOTIFY changed)
    Q_PROPERTY(QString floodTone READ floodTone NOTIFY changed)
    Q_PROPERTY(QString badActorText READ badActorText NOTIFY changed)
    Q_PROPERTY(QString badActorTone READ badActorTone NOTIFY changed)
    Q_PROPERTY(QString chatteringText READ chatteringText NOTIFY changed)
    Q_PROPERTY(QString chatteringTone READ chatteringTone NOTIFY changed)
    Q_PROPERTY(QString standingText READ standingText NOTIFY changed)
    Q_PROPERTY(QString standingTone READ standingTone NOTIFY changed)
    Q_PROPERTY(QString priorityText READ priorityText NOTIFY changed)
    Q_PROPERTY(QString responseText READ responseText NOTIFY changed)
    Q_PROPERTY(QVariantList badActors READ badActors NOTIFY changed)
    Q_PROPERTY(QVariantList floods READ floods NOTIFY changed)
    Q_PROPERTY(QVariantList chattering READ chattering NOTIFY changed)
    Q_PROPERTY(QVariantList standing READ standing NOTIFY changed)
    Q_PROPERTY(QVariantList users READ users NOTIFY changed)

public:
    explicit AlarmKpiModel(ConsoleServices services, QObject *parent = nullptr);

    [[nodiscard]] QStringList periodNames() const;
    [[nodiscard]] int periodIndex() const noexcept { return m_periodIndex; }
    void setPeriodIndex(int index);
    [[nodiscard]] bool isLoading() const noexcept { return m_isLoading; }
    [[nodiscard]] QString errorText() const { return m_errorText; }

    /// Reads the period's events again and recomputes.
    Q_INVOKABLE void refresh();
    /// The same, for callers that wait for the result (tests): true when the KPIs were recomputed
    /// from the store, false when it could not be read or a newer refresh took over.
    QCoro::Task<bool> refreshTask();
    /// Recomputes from `events` as of `now` (the tests' way in, with their own clock).
    void show(std::span<const core::AlarmEventRecord> events, core::AlarmKpis::Time now, core::AlarmTime steadyNow);

    [[nodiscard]] QString periodText() const { return m_periodText; }
    [[nodiscard]] QString rateText() const { return m_rateText; }
    [[nodiscard]] QString rateTarget() const;
    [[nodiscard]] QString rateTone() const { return m_rateTone; }
    [[nodiscard]] QString peakText() const { return m_peakText; }
    [[nodiscard]] QString peakTone() const { return m_peakTone; }
    [[nodiscard]] QString floodText() const { return m_floodText; }
    [[nodiscard]] QString floodTone() const { return m_floodTone; }
    [[nodiscard]] QString badActorText() const { return m_badActorText; }
    [[nodiscard]] QString badActorTone() const { return m_badActorTone; }
    [[nodiscard]] QString chatteringText() const { return m_chatteringText; }
    [[nodiscard]] QString chatteringTone() const { return m_chatteringTone; }
    [[nodiscard]] QString standingText() const { return m_standingText; }
    [[nodiscard]] QString standingTone() const { return m_standingTone; }
    [[nodiscard]] QString priorityText() const { return m_priorityText; }
    [[nodiscard]] QString responseText() const { return m_responseText; }
    [[nodiscard]] QVariantList badActors() const { return m_badActors; }
    [[nodiscard]] QVariantList floods() const { return m_floods; }
    [[nodiscard]] QVariantList chattering() const { return m_chattering; }
    [[nodiscard]] QVariantList standing() const { return m_standing; }
    [[nodiscard]] QVariantList users() const { return m_users; }

    /// The period periodIndex stands for.
    [[nodiscard]] core::AlarmKpiOptions::Duration period() const;

Q_SIGNALS:
    void periodIndexChanged();
    void loadingChanged();
    void changed();

private:
    void apply(const core::AlarmKpis &kpis);
    void setLoading(bool isLoading);

    ConsoleServices m_services;
    std::filesystem::path m_database;
    int m_periodIndex = 1;
    bool m_isLoading = false;
    int m_generation = 0;
    QString m_errorText;
    QString m_periodText;
    QString m_rateText;
    QString m_rateTone;
    QString m_peakText;
    QString m_peakTone;
    QString m_floodText;
    QString m_floodTone;
    QString m_badActorText;
    QString m_badActorTone;
    QString m_chatteringText;
    QString m_chatteringTone;
    QString m_standingText;
    QString m_standingTone;
    QString m_priorityText;
    QString m_responseText;
    QVariantList m_badActors;
    QVariantList m_floods;
    QVariantList m_chattering;
    QVariantList m_standing;
    QVariantList m_users;
};

} // namespace waferscope::viewmodels
