#pragma once

/// EquipmentTimesModel: the Machine page's SEMI E10 account — for each shift of the last 7 days,
/// newest first, how long the machine was productive, standby, engineering, scheduled down,
/// unscheduled down, and not running (non-scheduled), with its availability (uptime ÷ operations
/// time) and utilization (productive ÷ operations time); see core::equipmentTimes.
/// Shifts: three of 8 hours a day, from 06:00, 14:00 and 22:00 local time (the early, late and
/// night shift); the current shift is measured up to now. The records are the ones MachineViewModel
/// stores (a state every change and every 5 minutes), read on refresh(), when the page shows and
/// once a minute while it does.
/// Threads: the UI thread; the store is read on Qt's global thread pool. Allocates: per refresh.

#include <QDateTime>
#include <QObject>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>

#include <QCoroTask>

#include <filesystem>
#include <span>

#include <waferscope/core/equipment/equipment_times.h>
#include <waferscope/viewmodels/console/console_services.h>

namespace waferscope::viewmodels {

class EquipmentTimesModel : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The console owns the E10 times")
    Q_PROPERTY(QVariantList shifts READ shifts NOTIFY changed)
    Q_PROPERTY(QString currentShiftText READ currentShiftText NOTIFY changed)
    Q_PROPERTY(QString availabilityText READ availabilityText NOTIFY changed)
    Q_PROPERTY(QString utilizationText READ utilizationText NOTIFY changed)
    Q_PROPERTY(QString errorText READ errorText NOTIFY changed)
    Q_PROPERTY(bool isLoading READ isLoading NOTIFY loadingChanged)

public:
    /// A record is trusted this long (MachineViewModel stores one every 5 minutes).
    static constexpr auto kMaxRecordGap = std::chrono::minutes(6);
    static constexpr int kDays = 7;

    explicit EquipmentTimesModel(ConsoleServices services, QObject *parent = nullptr);

    Q_INVOKABLE void refresh();
    /// The same, for callers that wait (tests): true when the store was read and shown (false when
    /// it could not be read, or a newer refresh took over).
    QCoro::Task<bool> refreshTask();
    /// Shows the shifts of `records` as of `now` (the tests' way in).
    void show(std::span<const core::EquipmentStateChange> records, const QDateTime &now);

    /// The start of the shift that `at` falls in (local time).
    [[nodiscard]] static QDateTime shiftStart(const QDateTime &at);

    [[nodiscard]] QVariantList shifts() const { return m_shifts; }
    [[nodiscard]] QString currentShiftText() const { return m_currentShiftText; }
    [[nodiscard]] QString availabilityText() const { return m_availabilityText; }
    [[nodiscard]] QString utilizationText() const { return m_utilizationText; }
    [[nodiscard]] QString errorText() const { return m_errorText; }
    [[nodiscard]] bool isLoading() const noexcept { return m_isLoading; }

Q_SIGNALS:
    void changed();
    void loadingChanged();

private:
    void setLoading(bool isLoading);

    std::filesystem::path m_database;
    bool m_isLoading = false;
    int m_generation = 0;
    QVariantList m_shifts;
    QString m_currentShiftText;
    QString m_availabilityText;
    QString m_utilizationText;
    QString m_errorText;
};

} // namespace waferscope::viewmodels
