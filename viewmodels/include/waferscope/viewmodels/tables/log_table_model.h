#pragma once

/// LogTableModel: a RecordTableModel of records read from the database (the alarm log, the audit
/// trail) with the filters an operator narrows them with — a time range, a user, free text — and
/// refresh(), which reads the newest records again.
/// Reads: refresh() reads on a worker thread (the derived model's load()); the UI thread never
/// waits on the database. isBusy while one is pending; a second refresh() meanwhile is refused.
/// Filters: applied to the records read, on the UI thread, when a filter changes; the user filter
/// and the text filter match any part, without regard to case; an empty one matches everything.
/// The time range counts back from now: the last hour, 24 hours, 7 days, or everything read.
/// statusText says how many records are shown of how many were read.
/// Lifetime: a refresh holds a QPointer and stops without touching a destroyed model.
/// Threads: the UI thread; reads on Qt's global thread pool. Allocates: per refresh and filter.

#include <QDateTime>
#include <QStringList>
#include <QtQml/qqmlregistration.h>

#include <QCoroQmlTask>
#include <QCoroTask>

#include <waferscope/viewmodels/tables/record_table_model.h>

namespace waferscope::viewmodels {

// The base is named in full: qmltyperegistrar finds a base class only by its full name (qmllint
// then knows the model is a RecordTableModel).
class LogTableModel : public waferscope::viewmodels::RecordTableModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("A log is made by the console")
    Q_PROPERTY(QStringList rangeNames READ rangeNames CONSTANT)
    Q_PROPERTY(int rangeIndex READ rangeIndex WRITE setRangeIndex NOTIFY filterChanged)
    Q_PROPERTY(QString userFilter READ userFilter WRITE setUserFilter NOTIFY filterChanged)
    Q_PROPERTY(QString textFilter READ textFilter WRITE setTextFilter NOTIFY filterChanged)
    Q_PROPERTY(bool isBusy READ isBusy NOTIFY busyChanged)
    Q_PROPERTY(QString errorText READ errorText NOTIFY messageChanged)
    Q_PROPERTY(QString statusText READ statusText NOTIFY messageChanged)

public:
    enum Range { LastHour, LastDay, LastWeek, Everything };
    Q_ENUM(Range)

    /// How many of the newest records a refresh reads.
    static constexpr std::size_t kReadLimit = 5'000;

    using RecordTableModel::RecordTableModel;

    Q_INVOKABLE QCoro::QmlTask refresh();
    [[nodiscard]] QCoro::Task<bool> refreshTask();

    [[nodiscard]] QStringList rangeNames() const;
    [[nodiscard]] int rangeIndex() const noexcept { return m_rangeIndex; }
    void setRangeIndex(int index);
    [[nodiscard]] QString userFilter() const { return m_userFilter; }
    void setUserFilter(const QString &user);
    [[nodiscard]] QString textFilter() const { return m_textFilter; }
    void setTextFilter(const QString &text);
    [[nodiscard]] bool isBusy() const noexcept { return m_isBusy; }
    [[nodiscard]] QString errorText() const { return m_errorText; }
    [[nodiscard]] QString statusText() const { return m_statusText; }

Q_SIGNALS:
    void filterChanged();
    void busyChanged();
    void messageChanged();

protected:
    /// Reads the records on a worker thread and keeps them; resolves to "" or the error text. The
    /// model may be gone when it resolves: the caller checks before touching it.
    [[nodiscard]] virtual QCoro::Task<QString> load() = 0;
    /// Makes the rows of the records kept that pass the filters; returns how many records are kept.
    virtual std::size_t rebuild() = 0;
    /// Whether a record at `at` by `user` whose text is `texts` passes the range, user and text filters.
    [[nodiscard]] bool passes(const QDateTime &at, const QString &user, const QStringList &texts) const;
    /// Runs rebuild() and says how many rows are shown.
    void applyFilters();

private:
    int m_rangeIndex = Everything;
    QString m_userFilter;
    QString m_textFilter;
    bool m_isBusy = false;
    QString m_errorText;
    QString m_statusText;
};

} // namespace waferscope::viewmodels
