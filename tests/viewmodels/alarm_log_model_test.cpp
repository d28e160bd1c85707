#include <QTest>

#include <chrono>
#include <string>
#include <vector>

#include <waferscope/core/persistence/inspection_store.h>
#include <waferscope/viewmodels/alarms/alarm_log_model.h>

#include "console_rig.h"

using waferscope::core::AlarmActor;
using waferscope::core::AlarmEventKind;
using waferscope::core::AlarmEventRecord;
using waferscope::core::AlarmPriority;
using waferscope::core::AlarmState;
using waferscope::core::RunId;
using waferscope::testing::ConsoleRig;
using waferscope::viewmodels::AlarmLogModel;
using waferscope::viewmodels::LogTableModel;

namespace {

AlarmEventRecord event(std::uint64_t sequence, std::chrono::minutes ago, std::string tag, AlarmPriority priority,
                       AlarmEventKind kind, std::string user, std::string comment)
{
    AlarmEventRecord record;
    record.event.sequence = sequence;
    record.event.kind = kind;
    record.event.tag = std::move(tag);
    record.event.priority = priority;
    record.event.from = AlarmState::Unacknowledged;
    record.event.to = kind == AlarmEventKind::Shelved ? AlarmState::Shelved : AlarmState::Acknowledged;
    record.event.trackedFrom = record.event.from;
    record.event.trackedTo = record.event.to;
    record.event.runId = RunId(3);
    if (!user.empty()) {
        record.event.actor = AlarmActor{std::move(user), "technician"};
    }
    record.event.comment = std::move(comment);
    record.occurredAt = std::chrono::system_clock::now() - ago;
    return record;
}

/// Four events of earlier sessions, written to the rig's database as the persistence writer would.
void storeEvents(ConsoleRig &rig)
{
    using std::chrono::minutes;
    // Once the writer has stored an audit entry it has opened the database: opening it here cannot
    // race its switch to WAL.
    static_cast<void>(rig.audit());
    waferscope::core::InspectionStore store(rig.engine->databaseFile());
    store.insertAlarmEvents(std::vector<AlarmEventRecord>{
        event(1, minutes(3 * 24 * 60), "vacuum.low", AlarmPriority::High, AlarmEventKind::Shelved, "tina",
              "pump service in progress"),
        event(2, minutes(5 * 60), "lamp.dim", AlarmPriority::Low, AlarmEventKind::Acknowledged, "tom", ""),
        event(3, minutes(30), "stage.limit", AlarmPriority::Critical, AlarmEventKind::Acknowledged, "tina",
              "reset the limit switch"),
        event(4, minutes(10), "heartbeat.lost", AlarmPriority::Medium, AlarmEventKind::Activated, "", ""),
    });
}

QStringList column(const AlarmLogModel &log, int column)
{
    QStringList cells;
    for (int row = 0; row < log.count(); ++row) {
        cells.append(log.cell(row, column));
    }
    return cells;
}

} // namespace

/// The alarm log reads the alarm events of earlier sessions from the database, newest first, and
/// narrows and sorts them as the technician asks.
class AlarmLogModelTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void refreshReadsEveryStoredEventNewestFirstWithWhoAndWhy()
    {
        ConsoleRig rig;
        storeEvents(rig);
        AlarmLogModel log(rig.services());
        QVERIFY(QCoro::waitFor(log.refreshTask()));
        QCOMPARE(log.errorText(), QString());
        QCOMPARE(column(log, AlarmLogModel::AlarmColumn),
                 (QStringList{"heartbeat.lost", "stage.limit", "lamp.dim", "vacuum.low"}));
        QCOMPARE(log.cell(3, AlarmLogModel::UserColumn), QString("tina (technician)"));
        QCOMPARE(log.cell(3, AlarmLogModel::EventColumn), QString("Shelved"));
        QCOMPARE(log.cell(3, AlarmLogModel::CommentColumn), QString("pump service in progress"));
        QCOMPARE(log.cell(3, AlarmLogModel::StateColumn), QString("Unacknowledged → Shelved"));
        QCOMPARE(log.cell(3, AlarmLogModel::PriorityColumn), QString("High"));
        QCOMPARE(log.cell(3, AlarmLogModel::RunColumn), QString("run-3"));
        QCOMPARE(log.statusText(), QString("4 of 4 shown"));
    }

    void filtersNarrowByTimeRangeUserPriorityAndText()
    {
        ConsoleRig rig;
        storeEvents(rig);
        AlarmLogModel log(rig.services());
        QVERIFY(QCoro::waitFor(log.refreshTask()));

        log.setRangeIndex(LogTableModel::LastHour);
        QCOMPARE(column(log, AlarmLogModel::AlarmColumn), (QStringList{"heartbeat.lost", "stage.limit"}));
        log.setRangeIndex(LogTableModel::LastDay);
        QCOMPARE(log.count(), 3);
        log.setRangeIndex(LogTableModel::Everything);
        QCOMPARE(log.count(), 4);

        log.setUserFilter("TIN");
        QCOMPARE(column(log, AlarmLogModel::AlarmColumn), (QStringList{"stage.limit", "vacuum.low"}));
        log.setUserFilter("");

        QCOMPARE(log.priorityNames().at(1), QString("Critical"));
        log.setPriorityIndex(1);
        QCOMPARE(column(log, AlarmLogModel::AlarmColumn), QStringList{"stage.limit"});
        log.setPriorityIndex(0);

        log.setTextFilter("pump");
        QCOMPARE(column(log, AlarmLogModel::AlarmColumn), QStringList{"vacuum.low"});
        QCOMPARE(log.statusText(), QString("1 of 4 shown"));
    }

    void clickingAHeaderSortsByThatColumnAndAgainTheOtherWay()
    {
        ConsoleRig rig;
        storeEvents(rig);
        AlarmLogModel log(rig.services());
        QVERIFY(QCoro::waitFor(log.refreshTask()));

        log.sortBy(AlarmLogModel::PriorityColumn);
        QCOMPARE(column(log, AlarmLogModel::PriorityColumn), (QStringList{"Critical", "High", "Medium", "Low"}));
        QCOMPARE(log.headerData(AlarmLogModel::PriorityColumn, Qt::Horizontal, Qt::DisplayRole).toString(),
                 QString("Priority ▲"));
        log.sortBy(AlarmLogModel::PriorityColumn);
        QCOMPARE(column(log, AlarmLogModel::PriorityColumn), (QStringList{"Low", "Medium", "High", "Critical"}));
        QCOMPARE(log.headerData(AlarmLogModel::PriorityColumn, Qt::Horizontal, Qt::DisplayRole).toString(),
                 QString("Priority ▼"));

        log.sortBy(AlarmLogModel::TimeColumn);
        QCOMPARE(column(log, AlarmLogModel::AlarmColumn),
                 (QStringList{"vacuum.low", "lamp.dim", "stage.limit", "heartbeat.lost"}));
        QCOMPARE(log.headerData(AlarmLogModel::PriorityColumn, Qt::Horizontal, Qt::DisplayRole).toString(),
                 QString("Priority"));
        // The sort is kept when the filters change the rows.
        log.setUserFilter("tina");
        QCOMPARE(column(log, AlarmLogModel::AlarmColumn), (QStringList{"vacuum.low", "stage.limit"}));
    }

    void aColumnIsResizedButNeverBelowItsMinimum()
    {
        ConsoleRig rig;
        AlarmLogModel log(rig.services());
        const int revision = log.widthRevision();
        log.resizeColumn(AlarmLogModel::CommentColumn, 420);
        QCOMPARE(log.columnWidth(AlarmLogModel::CommentColumn), 420.0);
        log.resizeColumn(AlarmLogModel::CommentColumn, 3);
        QCOMPARE(log.columnWidth(AlarmLogModel::CommentColumn), AlarmLogModel::kMinimumColumnWidth);
        QCOMPARE(log.widthRevision(), revision + 2);
    }
};

QTEST_MAIN(AlarmLogModelTest)
#include "alarm_log_model_test.moc"
