#include <QTest>

#include <stdexcept>
#include <string>

#include <waferscope/core/runs/run_command_error.h>

using waferscope::core::RunCommand;
using waferscope::core::RunCommandError;
using waferscope::core::RunState;

class RunCommandErrorTest : public QObject
{
    Q_OBJECT

private slots:
    void namesTheCommandTheStateAndWhatTheStateAccepts()
    {
        const RunCommandError error(RunCommand::Resume, RunState::Running);
        QCOMPARE(std::string(error.what()),
                 std::string("cannot resume: the run is running (it accepts pause, abort, waferCompleted, fail)"));
        QCOMPARE(error.command(), RunCommand::Resume);
        QCOMPARE(error.state(), RunState::Running);
    }

    void finalStateSaysItAcceptsNothing()
    {
        const RunCommandError error(RunCommand::Start, RunState::Completed);
        QCOMPARE(std::string(error.what()),
                 std::string("cannot start: the run is completed (it accepts no command; start the next run on a new one)"));
    }

    void isALogicError()
    {
        try {
            throw RunCommandError(RunCommand::Pause, RunState::Idle);
        } catch (const std::logic_error &error) {
            QCOMPARE(std::string(error.what()), std::string("cannot pause: the run is idle (it accepts start)"));
            return;
        }
        QFAIL("not caught as std::logic_error");
    }
};

QTEST_GUILESS_MAIN(RunCommandErrorTest)
#include "run_command_error_test.moc"
