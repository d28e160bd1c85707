#include <QTest>

#include <cmath>
#include <string>
#include <vector>

#include <waferscope/core/runs/readiness_check.h>

using waferscope::core::ReadinessCheck;
using waferscope::core::Recipe;

namespace {

using namespace std::chrono_literals;

/// Default limits: vacuum 60 kPa, heartbeat 500 ms, illumination 70…90 %.
const Recipe::Alarms kLimits{};

ReadinessCheck::Readings healthy()
{
    return {80.0, 100ms, 80.0};
}

} // namespace

class ReadinessCheckTest : public QObject
{
    Q_OBJECT

private slots:
    void healthyMachinePassesEveryCheck()
    {
        QVERIFY(ReadinessCheck::failures(kLimits, healthy()).empty());
        QCOMPARE(ReadinessCheck::reason(kLimits, healthy()), std::string());
    }

    void limitsThemselvesPass()
    {
        QVERIFY(ReadinessCheck::failures(kLimits, {60.0, 500ms, 70.0}).empty());
        QVERIFY(ReadinessCheck::failures(kLimits, {60.0, 500ms, 90.0}).empty());
    }

    void eachFailedCheckNamesTheReadingAndTheLimit()
    {
        ReadinessCheck::Readings readings = healthy();
        readings.vacuumKpa = 12.5;
        QCOMPARE(ReadinessCheck::failures(kLimits, readings),
                 std::vector<std::string>{"vacuum 12.5 kPa is below the 60 kPa minimum"});

        readings = healthy();
        readings.heartbeatAge = 501ms;
        QCOMPARE(ReadinessCheck::failures(kLimits, readings),
                 std::vector<std::string>{"last heartbeat 501 ms ago, beyond the 500 ms timeout"});

        readings = healthy();
        readings.illuminationPercent = 90.5;
        QCOMPARE(ReadinessCheck::failures(kLimits, readings),
                 std::vector<std::string>{"illumination 90.5 % is outside 70…90 %"});
    }

    void everyFailureIsListedAndTheReasonJoinsThem()
    {
        const ReadinessCheck::Readings readings{20.0, 2000ms, 40.0};
        QCOMPARE(ReadinessCheck::failures(kLimits, readings).size(), std::size_t{3});
        QCOMPARE(ReadinessCheck::reason(kLimits, readings),
                 std::string("vacuum 20 kPa is below the 60 kPa minimum; last heartbeat 2000 ms ago, beyond the "
                             "500 ms timeout; illumination 40 % is outside 70…90 %"));
    }

    void readingThatIsNotANumberFails()
    {
        const ReadinessCheck::Readings readings{std::nan(""), 0ms, std::nan("")};
        QCOMPARE(ReadinessCheck::failures(kLimits, readings).size(), std::size_t{2});
    }
};

QTEST_GUILESS_MAIN(ReadinessCheckTest)
#include "readiness_check_test.moc"
