#include <QTest>

#include <stdexcept>
#include <string>

#include <waferscope/core/alarms/alarm_command_error.h>

using waferscope::core::AlarmCommandError;

class AlarmCommandErrorTest : public QObject
{
    Q_OBJECT

private slots:
    void namesTheCommandTheAlarmAndWhy()
    {
        const AlarmCommandError error("acknowledge", "vacuum.low", "it is already acknowledged");
        QCOMPARE(error.command(), std::string("acknowledge"));
        QCOMPARE(error.tag(), std::string("vacuum.low"));
        QCOMPARE(error.reason(), std::string("it is already acknowledged"));
        QCOMPARE(std::string(error.what()),
                 std::string("cannot acknowledge alarm 'vacuum.low': it is already acknowledged"));
    }

    void refusalOfNoSingleAlarmLeavesTheAlarmOut()
    {
        const AlarmCommandError error("acknowledge all listed alarms", "", "the command names no user");
        QVERIFY(error.tag().empty());
        QCOMPARE(std::string(error.what()), std::string("cannot acknowledge all listed alarms: the command names no user"));
    }

    void isARuntimeError()
    {
        try {
            throw AlarmCommandError("shelve", "vacuum.low", "it may not be shelved");
        } catch (const std::runtime_error &e) {
            QVERIFY(std::string(e.what()).find("it may not be shelved") != std::string::npos);
            return;
        }
        QFAIL("not caught as std::runtime_error");
    }
};

QTEST_GUILESS_MAIN(AlarmCommandErrorTest)
#include "alarm_command_error_test.moc"
