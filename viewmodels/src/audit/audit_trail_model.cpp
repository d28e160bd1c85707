#include <waferscope/viewmodels/audit/audit_trail_model.h>

#include <QPointer>

#include <QCoroFuture>

#include "qt_text.h"
#include "readable_text.h"
#include "store_read.h"

namespace waferscope::viewmodels {

namespace {

std::vector<RecordTableModel::Column> auditColumns()
{
    return {{QObject::tr("Time"), 195}, {QObject::tr("User"), 140}, {QObject::tr("Role"), 110},
            {QObject::tr("Action"), 160}, {QObject::tr("Detail"), 620}};
}

} // namespace

AuditTrailModel::AuditTrailModel(ConsoleServices services, SessionViewModel &session, QObject *parent)
    : LogTableModel(auditColumns(), parent)
    , m_database(services.engine.databaseFile())
    , m_session(session)
{
    // What one user may read, the next may not.
    connect(&m_session, &SessionViewModel::userChanged, this, [this] {
        if (!m_session.allows(core::Permission::ViewAudit) && !m_entries.empty()) {
            m_entries.clear();
            applyFilters();
        }
    });
}

QCoro::Task<QString> AuditTrailModel::load()
{
    if (!m_session.allows(core::Permission::ViewAudit)) {
        m_entries.clear();
        co_return m_session.refusal(core::Permission::ViewAudit);
    }
    const QPointer<AuditTrailModel> self(this);
    auto pending = readStore<std::vector<core::AuditEntry>>(
        m_database, [](const core::InspectionStore &store) { return store.auditEntries(kReadLimit); });
    auto read = co_await pending;
    if (!self) {
        co_return QString();
    }
    if (!read.value) {
        co_return tr("The audit trail cannot be read: %1").arg(QString::fromStdString(read.error));
    }
    m_entries = std::move(*read.value);
    co_return QString();
}

std::size_t AuditTrailModel::rebuild()
{
    std::vector<Row> rows;
    qulonglong order = m_entries.size();
    for (const core::AuditEntry &entry : m_entries) {
        --order; // the entries come newest first
        const QDateTime at = localTime(entry.at);
        const QString user = qText(entry.userName);
        const QString action = qText(entry.action);
        const QString detail = qText(entry.detail);
        if (!passes(at, user, {action, detail})) {
            continue;
        }
        Row row;
        row.cells = {timeText(at), user, qText(entry.role), action, detail};
        row.sortKeys = {at.toMSecsSinceEpoch(), user, qText(entry.role), action, detail};
        row.key = QString::number(order);
        rows.push_back(std::move(row));
    }
    setRows(std::move(rows));
    return m_entries.size();
}

} // namespace waferscope::viewmodels
