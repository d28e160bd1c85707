#include <QTest>

#include <set>
#include <string>

#include <waferscope/core/alarms/alarm_event_kind.h>

using waferscope::core::AlarmEventKind;
using waferscope::core::kAllAlarmEventKinds;
using waferscope::core::parseAlarmEventKind;

class AlarmEventKindTest : public QObject
{
    Q_OBJECT

private slots:
    void everyKindHasADistinctLowerCaseName()
    {
        std::set<std::string_view> names;
        for (const AlarmEventKind kind : kAllAlarmEventKinds) {
            const std::string_view name = toText(kind);
            QVERIFY(!name.empty());
            for (const char c : name) {
                QVERIFY((c >= 'a' && c <= 'z') || c == '-');
            }
            names.insert(name);
        }
        QCOMPARE(names.size(), std::size(kAllAlarmEventKinds));
        QCOMPARE(toText(AlarmEventKind::ShelveExpired), std::string_view("shelve-expired"));
    }

    void listNamesEveryKindOnce()
    {
        // The list is what parse searches, so a kind missing from it could not be read back.
        QCOMPARE(std::size(kAllAlarmEventKinds), static_cast<std::size_t>(AlarmEventKind::FloodEnded) + 1);
    }

    void parseReadsEveryNameBack()
    {
        for (const AlarmEventKind kind : kAllAlarmEventKinds) {
            QVERIFY(parseAlarmEventKind(toText(kind)) == kind);
        }
    }

    void unknownNameGivesNothing()
    {
        QVERIFY(!parseAlarmEventKind("Activated").has_value());
        QVERIFY(!parseAlarmEventKind("").has_value());
    }
};

QTEST_GUILESS_MAIN(AlarmEventKindTest)
#include "alarm_event_kind_test.moc"
