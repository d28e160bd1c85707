#include <QTest>

#include <set>
#include <string>

#include <waferscope/core/alarms/alarm_priority.h>

using waferscope::core::AlarmPriority;
using waferscope::core::isMoreUrgent;
using waferscope::core::kAllAlarmPriorities;
using waferscope::core::parseAlarmPriority;

class AlarmPriorityTest : public QObject
{
    Q_OBJECT

private slots:
    void criticalIsMoreUrgentThanHighThanMediumThanLow()
    {
        QVERIFY(isMoreUrgent(AlarmPriority::Critical, AlarmPriority::High));
        QVERIFY(isMoreUrgent(AlarmPriority::High, AlarmPriority::Medium));
        QVERIFY(isMoreUrgent(AlarmPriority::Medium, AlarmPriority::Low));
        QVERIFY(!isMoreUrgent(AlarmPriority::Low, AlarmPriority::Critical));
        QVERIFY(!isMoreUrgent(AlarmPriority::High, AlarmPriority::High));
    }

    void everyPriorityHasADistinctLowerCaseName()
    {
        std::set<std::string_view> names;
        for (const AlarmPriority priority : kAllAlarmPriorities) {
            const std::string_view name = toText(priority);
            QVERIFY(!name.empty());
            for (const char c : name) {
                QVERIFY(c >= 'a' && c <= 'z');
            }
            names.insert(name);
        }
        QCOMPARE(names.size(), std::size(kAllAlarmPriorities));
        QCOMPARE(toText(AlarmPriority::Critical), std::string_view("critical"));
    }

    void parseReadsEveryNameBack()
    {
        for (const AlarmPriority priority : kAllAlarmPriorities) {
            QVERIFY(parseAlarmPriority(toText(priority)) == priority);
        }
    }

    void unknownNameGivesNothing()
    {
        QVERIFY(!parseAlarmPriority("Critical").has_value());
        QVERIFY(!parseAlarmPriority("").has_value());
        QVERIFY(!parseAlarmPriority("urgent").has_value());
    }
};

QTEST_GUILESS_MAIN(AlarmPriorityTest)
#include "alarm_priority_test.moc"
