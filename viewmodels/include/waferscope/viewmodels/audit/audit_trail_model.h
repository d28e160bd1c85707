#pragma once

/// AuditTrailModel: the audit trail the database keeps — every login, run command, alarm command,
/// export, user change and defect review, with who did it in which role — as a sortable table,
/// newest first, filtered by time range, user and text (see LogTableModel).
/// Columns: Time, User, Role, Action, Detail. Text filter: matches the action and the detail.
/// Permission: reading it needs ViewAudit (engineers and admins), checked at every refresh; a
/// refused refresh empties the table and sets errorText.
/// Threads: the UI thread; reads on Qt's global thread pool. Allocates: per refresh and filter.

#include <QtQml/qqmlregistration.h>

#include <vector>

#include <waferscope/core/persistence/audit_entry.h>
#include <waferscope/viewmodels/console/console_services.h>
#include <waferscope/viewmodels/session/session_view_model.h>
#include <waferscope/viewmodels/tables/log_table_model.h>

namespace waferscope::viewmodels {

// The base is named in full: qmltyperegistrar finds a base class only by its full name (qmllint
// then knows the model is a LogTableModel).
class AuditTrailModel : public waferscope::viewmodels::LogTableModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The console owns the audit trail")

public:
    enum Column { TimeColumn, UserColumn, RoleColumn, ActionColumn, DetailColumn };
    Q_ENUM(Column)

    AuditTrailModel(ConsoleServices services, SessionViewModel &session, QObject *parent = nullptr);

protected:
    [[nodiscard]] QCoro::Task<QString> load() override;
    std::size_t rebuild() override;

private:
    std::filesystem::path m_database;
    SessionViewModel &m_session;
    std::vector<core::AuditEntry> m_entries;
};

} // namespace waferscope::viewmodels
