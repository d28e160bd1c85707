#include <QTest>

#include <chrono>
#include <string>

#include <waferscope/core/alarms/alarm_definition.h>
#include <waferscope/core/validation_error.h>

using namespace std::chrono_literals;
using waferscope::core::AlarmDefinition;
using waferscope::core::AlarmPriority;
using waferscope::core::ValidationError;

namespace {

AlarmDefinition vacuumLow()
{
    AlarmDefinition d;
    d.tag = "vacuum.low";
    d.source = "vacuum";
    d.message = "Chuck vacuum below 60 kPa";
    d.priority = AlarmPriority::High;
    return d;
}

/// The ValidationError `definition.validate()` throws; fails the test when it throws none.
ValidationError refusal(const AlarmDefinition &definition)
{
    try {
        definition.validate();
    } catch (const ValidationError &error) {
        return error;
    }
    QTest::qFail("validate() accepted the definition", __FILE__, __LINE__);
    return ValidationError("none", {{"none", "none"}});
}

} // namespace

class AlarmDefinitionTest : public QObject
{
    Q_OBJECT

private slots:
    void defaultsHaveNoDelaysNoChatterFilterAndAShiftOfShelving()
    {
        const AlarmDefinition d;
        QCOMPARE(d.onDelay, 0ms);
        QCOMPARE(d.offDelay, 0ms);
        QCOMPARE(d.chatterCount, std::uint32_t{0});
        QCOMPARE(d.maxShelveDuration, std::chrono::milliseconds(8h));
        QVERIFY(!d.isLatching);
    }

    void aCompleteDefinitionIsValid()
    {
        AlarmDefinition d = vacuumLow();
        d.onDelay = 2s;
        d.offDelay = 5s;
        d.chatterCount = 3;
        d.chatterWindow = 1min;
        d.maxShelveDuration = 0ms;
        d.validate();
        d.tag = "stage_x.limit-2";
        d.validate();
    }

    void tagOfLowerCaseLettersDigitsDotsDashesAndUnderscoresOnly()
    {
        AlarmDefinition d = vacuumLow();
        d.tag = "Vacuum.Low";
        QCOMPARE(refusal(d).problemWith("tag"),
                 std::string_view("character 1 is not a lower-case letter, a digit, '.', '-' or '_'"));
        d.tag = "vacuum low";
        QVERIFY(!refusal(d).problemWith("tag").empty());
        d.tag.clear();
        QCOMPARE(refusal(d).problemWith("tag"), std::string_view("is empty"));
    }

    void validateNamesEveryWrongFieldUnderTheTag()
    {
        AlarmDefinition d = vacuumLow();
        d.source.clear();
        d.message.clear();
        d.onDelay = -1ms;
        d.offDelay = -2ms;
        d.maxShelveDuration = -3ms;
        const ValidationError error = refusal(d);
        QCOMPARE(error.subject(), std::string("alarm definition 'vacuum.low'"));
        QCOMPARE(error.problemWith("source"), std::string_view("is empty"));
        QCOMPARE(error.problemWith("message"), std::string_view("is empty"));
        QCOMPARE(error.problemWith("on delay"), std::string_view("-1 ms is negative"));
        QCOMPARE(error.problemWith("off delay"), std::string_view("-2 ms is negative"));
        QCOMPARE(error.problemWith("max shelve duration"), std::string_view("-3 ms is negative"));
        QCOMPARE(error.issues().size(), std::size_t{5});
    }

    void chatterCountNeedsAPositiveWindowAndZeroTurnsTheFilterOff()
    {
        AlarmDefinition d = vacuumLow();
        d.chatterCount = 3;
        QCOMPARE(refusal(d).problemWith("chatter window"),
                 std::string_view("must be positive when the chatter count is 3; a count of 0 turns the filter off"));
        d.chatterCount = 0;
        d.validate();
    }
};

QTEST_GUILESS_MAIN(AlarmDefinitionTest)
#include "alarm_definition_test.moc"
