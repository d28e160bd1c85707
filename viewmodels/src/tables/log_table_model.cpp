#include <waferscope/viewmodels/tables/log_table_model.h>

#include <QPointer>

#include <algorithm>

namespace waferscope::viewmodels {

QCoro::QmlTask LogTableModel::refresh()
{
    return refreshTask();
}

QCoro::Task<bool> LogTableModel::refreshTask()
{
    if (m_isBusy) {
        m_errorText = tr("Still reading the database");
        Q_EMIT messageChanged();
        co_return false;
    }
    m_isBusy = true;
    Q_EMIT busyChanged();
    const QPointer<LogTableModel> self(this);
    QString error = co_await load();
    if (!self) {
        co_return false;
    }
    m_isBusy = false;
    Q_EMIT busyChanged();
    m_errorText = error;
    applyFilters();
    co_return error.isEmpty();
}

QStringList LogTableModel::rangeNames() const
{
    return {tr("Last hour"), tr("Last 24 hours"), tr("Last 7 days"), tr("Everything kept")};
}

void LogTableModel::setRangeIndex(int index)
{
    if (index < LastHour || index > Everything || index == m_rangeIndex) {
        return;
    }
    m_rangeIndex = index;
    Q_EMIT filterChanged();
    applyFilters();
}

void LogTableModel::setUserFilter(const QString &user)
{
    if (user == m_userFilter) {
        return;
    }
    m_userFilter = user;
    Q_EMIT filterChanged();
    applyFilters();
}

void LogTableModel::setTextFilter(const QString &text)
{
    if (text == m_textFilter) {
        return;
    }
    m_textFilter = text;
    Q_EMIT filterChanged();
    applyFilters();
}

bool LogTableModel::passes(const QDateTime &at, const QString &user, const QStringList &texts) const
{
    if (m_rangeIndex != Everything) {
        static constexpr qint64 kHour = 3'600;
        const qint64 seconds = m_rangeIndex == LastHour ? kHour : m_rangeIndex == LastDay ? 24 * kHour : 7 * 24 * kHour;
        if (at < QDateTime::currentDateTime().addSecs(-seconds)) {
            return false;
        }
    }
    const QString wantedUser = m_userFilter.trimmed();
    if (!wantedUser.isEmpty() && !user.contains(wantedUser, Qt::CaseInsensitive)) {
        return false;
    }
    const QString wantedText = m_textFilter.trimmed();
    if (wantedText.isEmpty()) {
        return true;
    }
    return std::any_of(texts.begin(), texts.end(),
                       [&wantedText](const QString &text) { return text.contains(wantedText, Qt::CaseInsensitive); });
}

void LogTableModel::applyFilters()
{
    const std::size_t kept = rebuild();
    m_statusText = tr("%1 of %2 shown").arg(count()).arg(kept);
    Q_EMIT messageChanged();
}

} // namespace waferscope::viewmodels
