#include <QTest>

#include <chrono>
#include <vector>

#include <waferscope/viewmodels/audit/audit_trail_model.h>

#include "console_rig.h"

using waferscope::core::AuditEntry;
using waferscope::testing::ConsoleRig;
using waferscope::viewmodels::AuditTrailModel;
using waferscope::viewmodels::LogTableModel;
using waferscope::viewmodels::SessionViewModel;

namespace {

/// Entries of earlier shifts, through the engine's audit queue; rig.audit() waits until they are stored.
void storeEntries(ConsoleRig &rig)
{
    using std::chrono::hours;
    const auto now = std::chrono::system_clock::now();
    const std::vector<AuditEntry> entries = {
        {"olga", "operator", now - hours(50), "run.start", "lot LOT-A, 1 wafer(s), recipe quick-200mm"},
        {"tina", "technician", now - hours(3), "alarm.shelve", "vacuum.low for 30 min: pump service"},
        {"eric", "engineer", now - std::chrono::minutes(5), "klarf.export", "run-4 LOT-A-01"},
    };
    for (AuditEntry entry : entries) {
        QCoro::waitFor(rig.engine->audit(std::move(entry)));
    }
    static_cast<void>(rig.audit());
}

QStringList column(const AuditTrailModel &audit, int column)
{
    QStringList cells;
    for (int row = 0; row < audit.count(); ++row) {
        cells.append(audit.cell(row, column));
    }
    return cells;
}

} // namespace

/// The audit trail shows engineers and admins what everyone did, from the database, narrowed and
/// sorted as asked; operators and technicians may not read it.
class AuditTrailModelTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void anEngineerReadsTheTrailNewestFirst()
    {
        ConsoleRig rig;
        storeEntries(rig);
        SessionViewModel session(rig.services());
        AuditTrailModel audit(rig.services(), session);
        QVERIFY(QCoro::waitFor(session.loginTask("engineer", "engineer")));
        static_cast<void>(rig.audit()); // the login is stored
        QVERIFY(QCoro::waitFor(audit.refreshTask()));
        QCOMPARE(audit.errorText(), QString());
        // The login just now is audited too.
        QCOMPARE(column(audit, AuditTrailModel::ActionColumn).mid(audit.count() - 3),
                 (QStringList{"klarf.export", "alarm.shelve", "run.start"}));
        QCOMPARE(audit.cell(audit.count() - 1, AuditTrailModel::UserColumn), QString("olga"));
        QCOMPARE(audit.cell(audit.count() - 1, AuditTrailModel::RoleColumn), QString("operator"));
    }

    void aTechnicianIsRefusedAndSeesNothing()
    {
        ConsoleRig rig;
        storeEntries(rig);
        SessionViewModel session(rig.services());
        AuditTrailModel audit(rig.services(), session);
        QVERIFY(QCoro::waitFor(session.loginTask("technician", "technician")));
        QVERIFY(!QCoro::waitFor(audit.refreshTask()));
        QCOMPARE(audit.count(), 0);
        QVERIFY2(audit.errorText().contains("technician"), qPrintable(audit.errorText()));
    }

    void logingOutEmptiesTheTrail()
    {
        ConsoleRig rig;
        storeEntries(rig);
        SessionViewModel session(rig.services());
        AuditTrailModel audit(rig.services(), session);
        QVERIFY(QCoro::waitFor(session.loginTask("admin", "admin")));
        QVERIFY(QCoro::waitFor(audit.refreshTask()));
        QVERIFY(audit.count() >= 3);
        session.logout();
        QCOMPARE(audit.count(), 0);
    }

    void filtersNarrowByTimeRangeUserAndTextAndHeadersSort()
    {
        ConsoleRig rig;
        storeEntries(rig);
        SessionViewModel session(rig.services());
        AuditTrailModel audit(rig.services(), session);
        QVERIFY(QCoro::waitFor(session.loginTask("engineer", "engineer")));
        static_cast<void>(rig.audit()); // the login is stored
        QVERIFY(QCoro::waitFor(audit.refreshTask()));

        audit.setUserFilter("o");
        QCOMPARE(column(audit, AuditTrailModel::UserColumn), QStringList{"olga"});
        audit.setUserFilter("");
        audit.setTextFilter("PUMP");
        QCOMPARE(column(audit, AuditTrailModel::UserColumn), QStringList{"tina"});
        audit.setTextFilter("");
        audit.setRangeIndex(LogTableModel::LastDay);
        QVERIFY(!column(audit, AuditTrailModel::UserColumn).contains("olga"));
        QVERIFY(column(audit, AuditTrailModel::UserColumn).contains("tina"));
        audit.setRangeIndex(LogTableModel::LastHour);
        QVERIFY(!column(audit, AuditTrailModel::UserColumn).contains("tina"));
        QVERIFY(column(audit, AuditTrailModel::UserColumn).contains("eric"));
        audit.setRangeIndex(LogTableModel::Everything);

        audit.sortBy(AuditTrailModel::UserColumn);
        const QStringList ascending = column(audit, AuditTrailModel::UserColumn);
        QStringList sorted = ascending;
        std::sort(sorted.begin(), sorted.end(), [](const QString &a, const QString &b) {
            return QString::compare(a, b, Qt::CaseInsensitive) < 0;
        });
        QCOMPARE(ascending, sorted);
        QCOMPARE(ascending.first(), QString("engineer"));
        audit.sortBy(AuditTrailModel::UserColumn);
        QCOMPARE(column(audit, AuditTrailModel::UserColumn).first(), QString("tina"));
    }
};

QTEST_MAIN(AuditTrailModelTest)
#include "audit_trail_model_test.moc"
