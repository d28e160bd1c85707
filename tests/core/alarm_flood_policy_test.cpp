#include <QTest>

#include <chrono>
#include <string>

#include <waferscope/core/alarms/alarm_flood_policy.h>
#include <waferscope/core/validation_error.h>

using namespace std::chrono_literals;
using waferscope::core::AlarmFloodPolicy;
using waferscope::core::ValidationError;

class AlarmFloodPolicyTest : public QObject
{
    Q_OBJECT

private slots:
    void defaultIsMoreThanTenInTenMinutes()
    {
        const AlarmFloodPolicy policy;
        QCOMPARE(policy.threshold, std::size_t{10});
        QCOMPARE(policy.window, std::chrono::milliseconds(10min));
        policy.validate();
    }

    void validateNamesEveryWrongField()
    {
        const AlarmFloodPolicy policy{0, 0ms};
        try {
            policy.validate();
        } catch (const ValidationError &error) {
            QCOMPARE(error.subject(), std::string("alarm flood policy"));
            QCOMPARE(error.problemWith("threshold"), std::string_view("is 0, so a flood could never end"));
            QCOMPARE(error.problemWith("window"), std::string_view("0 ms is not positive"));
            return;
        }
        QFAIL("validate() accepted a zero threshold and window");
    }
};

QTEST_GUILESS_MAIN(AlarmFloodPolicyTest)
#include "alarm_flood_policy_test.moc"
