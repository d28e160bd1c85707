#include <QTest>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include <waferscope/core/runs/run_command_error.h>
#include <waferscope/core/runs/run_state_machine.h>
#include <waferscope/core/validation_error.h>

using waferscope::core::kAllRunCommands;
using waferscope::core::RunCommand;
using waferscope::core::RunCommandError;
using waferscope::core::RunState;
using waferscope::core::RunStateMachine;
using waferscope::core::RunTransition;
using waferscope::core::ValidationError;
using waferscope::core::WaferId;

namespace {

using Time = RunStateMachine::Time;

Time at(int seconds)
{
    return Time{} + std::chrono::seconds(1'700'000'000 + seconds);
}

std::vector<WaferId> wafers(int count)
{
    std::vector<WaferId> ids;
    for (int i = 1; i <= count; ++i) {
        ids.emplace_back("LOT7-0" + std::to_string(i));
    }
    return ids;
}

RunStateMachine started(int waferCount = 3)
{
    RunStateMachine run;
    run.start("default", "LOT7", wafers(waferCount), at(0));
    return run;
}

/// A machine in `state`, reached by the shortest path, on a lot of three wafers.
RunStateMachine inState(RunState state)
{
    RunStateMachine run;
    if (state == RunState::Idle) {
        return run;
    }
    run = started();
    switch (state) {
    case RunState::Checking:
        break;
    case RunState::Running:
        run.checksPassed(at(1));
        break;
    case RunState::Paused:
        run.checksPassed(at(1));
        run.pause("operator", at(2));
        break;
    case RunState::Completed:
        for (int i = 0; i < 3; ++i) {
            run.checksPassed(at(10 * i + 1));
            run.waferCompleted(at(10 * i + 2));
        }
        break;
    case RunState::Aborted:
        run.abort("operator", at(1));
        break;
    case RunState::Failed:
        run.fail("camera gone", at(1));
        break;
    case RunState::Idle:
        break;
    }
    return run;
}

/// Gives `command` with valid arguments.
void give(RunStateMachine &run, RunCommand command, Time now)
{
    switch (command) {
    case RunCommand::Start:
        run.start("default", "LOT8", wafers(2), now);
        break;
    case RunCommand::ChecksPassed:
        run.checksPassed(now);
        break;
    case RunCommand::ChecksFailed:
        run.checksFailed("vacuum 12 kPa, below 60 kPa", now);
        break;
    case RunCommand::Pause:
        run.pause("operator", now);
        break;
    case RunCommand::Resume:
        run.resume(now);
        break;
    case RunCommand::Abort:
        run.abort("operator", now);
        break;
    case RunCommand::WaferCompleted:
        run.waferCompleted(now);
        break;
    case RunCommand::Fail:
        run.fail("encoder error", now);
        break;
    }
}

std::vector<RunState> statesOf(const RunStateMachine &run)
{
    std::vector<RunState> states;
    for (const RunTransition &transition : run.history()) {
        states.push_back(transition.to);
    }
    return states;
}

const RunState kAllStates[] = {RunState::Idle,      RunState::Checking, RunState::Running, RunState::Paused,
                               RunState::Completed, RunState::Aborted,  RunState::Failed};

} // namespace

class RunStateMachineTest : public QObject
{
    Q_OBJECT

private slots:
    void startsIdleWithNoHistory()
    {
        const RunStateMachine run;
        QCOMPARE(run.state(), RunState::Idle);
        QVERIFY(run.history().empty());
        QVERIFY(run.currentWafer().isEmpty());
        QCOMPARE(run.waferCount(), std::size_t{0});
    }

    void startChecksTheFirstWafer()
    {
        const RunStateMachine run = started();
        QCOMPARE(run.state(), RunState::Checking);
        QCOMPARE(run.recipeName(), std::string("default"));
        QCOMPARE(run.lotId(), std::string("LOT7"));
        QCOMPARE(run.waferCount(), std::size_t{3});
        QCOMPARE(run.currentWaferIndex(), std::size_t{0});
        QCOMPARE(run.currentWafer(), WaferId("LOT7-01"));
        QCOMPARE(run.history().size(), std::size_t{1});
        QCOMPARE(run.history()[0].reason, std::string("lot LOT7, 3 wafers, recipe default"));
    }

    void aLotIsScannedWaferAfterWaferEachCheckedFirst()
    {
        RunStateMachine run = started();
        for (std::size_t k = 0; k < 3; ++k) {
            QCOMPARE(run.state(), RunState::Checking);
            QCOMPARE(run.currentWaferIndex(), k);
            QCOMPARE(run.completedWaferCount(), k);
            run.checksPassed(at(10));
            QCOMPARE(run.state(), RunState::Running);
            run.waferCompleted(at(20));
        }
        QCOMPARE(run.state(), RunState::Completed);
        QVERIFY(run.isFinal());
        QCOMPARE(run.completedWaferCount(), std::size_t{3});
        QCOMPARE(run.currentWaferIndex(), std::size_t{2});
        QCOMPARE(statesOf(run), (std::vector<RunState>{RunState::Checking, RunState::Running, RunState::Checking,
                                                       RunState::Running, RunState::Checking, RunState::Running,
                                                       RunState::Completed}));
    }

    void waferCompletedRecordsTheWaferTheRunMovesOnTo()
    {
        RunStateMachine run = started(2);
        run.checksPassed(at(1));
        run.waferCompleted(at(2));
        const RunTransition &moved = run.history().back();
        QCOMPARE(moved.reason, std::string("wafer LOT7-01 (1 of 2) completed"));
        QCOMPARE(moved.waferIndex, std::size_t{1});
        QCOMPARE(run.currentWafer(), WaferId("LOT7-02"));
        run.checksPassed(at(3));
        QCOMPARE(run.history().back().reason, std::string("checks passed for wafer LOT7-02 (2 of 2)"));
        run.waferCompleted(at(4));
        QCOMPARE(run.history().back().reason, std::string("wafer LOT7-02 (2 of 2) completed"));
        QCOMPARE(run.history().back().waferIndex, std::size_t{1});
    }

    void pauseAndResumeStayOnTheSameWafer()
    {
        RunStateMachine run = started();
        run.checksPassed(at(1));
        run.waferCompleted(at(2));
        run.checksPassed(at(3));
        run.pause("illumination 52 %, below 70 %", at(4));
        QCOMPARE(run.state(), RunState::Paused);
        QCOMPARE(run.currentWaferIndex(), std::size_t{1});
        run.resume(at(5));
        QCOMPARE(run.state(), RunState::Running);
        QCOMPARE(run.currentWaferIndex(), std::size_t{1});
        QCOMPARE(run.history().back().reason, std::string("resumed wafer LOT7-02 (2 of 3)"));
    }

    void checksFailedFailsTheRun()
    {
        RunStateMachine run = started();
        run.checksFailed("vacuum 12 kPa, below 60 kPa", at(1));
        QCOMPARE(run.state(), RunState::Failed);
        QCOMPARE(run.history().back().reason, std::string("vacuum 12 kPa, below 60 kPa"));
    }

    void abortAndFailEndTheRunFromCheckingRunningOrPaused_data()
    {
        QTest::addColumn<RunState>("from");
        QTest::addColumn<RunCommand>("command");
        QTest::addColumn<RunState>("to");
        for (const RunState from : {RunState::Checking, RunState::Running, RunState::Paused}) {
            QTest::addRow("abort from %s", toText(from).data()) << from << RunCommand::Abort << RunState::Aborted;
            QTest::addRow("fail from %s", toText(from).data()) << from << RunCommand::Fail << RunState::Failed;
        }
    }

    void abortAndFailEndTheRunFromCheckingRunningOrPaused()
    {
        QFETCH(RunState, from);
        QFETCH(RunCommand, command);
        QFETCH(RunState, to);
        RunStateMachine run = inState(from);
        give(run, command, at(100));
        QCOMPARE(run.state(), to);
        QCOMPARE(run.history().back().from, from);
        QCOMPARE(run.history().back().command, command);
    }

    void acceptsExactlyTheDocumentedTransitions()
    {
        const auto allowed = [](RunState state, RunCommand command) {
            using enum RunCommand;
            switch (state) {
            case RunState::Idle:
                return command == Start;
            case RunState::Checking:
                return command == ChecksPassed || command == ChecksFailed || command == Abort || command == Fail;
            case RunState::Running:
                return command == Pause || command == WaferCompleted || command == Abort || command == Fail;
            case RunState::Paused:
                return command == Resume || command == Abort || command == Fail;
            default:
                return false;
            }
        };
        for (const RunState state : kAllStates) {
            for (const RunCommand command : kAllRunCommands) {
                QCOMPARE(inState(state).accepts(command), allowed(state, command));
            }
        }
    }

    void refusedCommandNamesStateAndCommandAndChangesNothing()
    {
        int refused = 0;
        for (const RunState state : kAllStates) {
            for (const RunCommand command : kAllRunCommands) {
                RunStateMachine run = inState(state);
                if (run.accepts(command)) {
                    continue;
                }
                const std::vector<RunTransition> before(run.history().begin(), run.history().end());
                const std::size_t waferBefore = run.currentWaferIndex();
                try {
                    give(run, command, at(500));
                    QFAIL(qPrintable(QStringLiteral("%1 accepted in %2")
                                         .arg(QLatin1String(toText(command)), QLatin1String(toText(state)))));
                } catch (const RunCommandError &error) {
                    QCOMPARE(error.state(), state);
                    QCOMPARE(error.command(), command);
                    const std::string what = error.what();
                    QVERIFY(what.starts_with("cannot " + std::string(toText(command)) + ": the run is " +
                                             std::string(toText(state))));
                }
                ++refused;
                QCOMPARE(run.state(), state);
                QCOMPARE(run.currentWaferIndex(), waferBefore);
                QVERIFY(std::equal(before.begin(), before.end(), run.history().begin(), run.history().end()));
            }
        }
        QCOMPARE(refused, 7 * 8 - 12);
    }

    void finalStatesAcceptNoCommand()
    {
        for (const RunState state : {RunState::Completed, RunState::Aborted, RunState::Failed}) {
            const RunStateMachine run = inState(state);
            QVERIFY(run.isFinal());
            for (const RunCommand command : kAllRunCommands) {
                QVERIFY(!run.accepts(command));
            }
        }
    }

    void emptyReasonIsRefusedAndChangesNothing_data()
    {
        QTest::addColumn<RunState>("state");
        QTest::addColumn<RunCommand>("command");
        QTest::newRow("pause") << RunState::Running << RunCommand::Pause;
        QTest::newRow("abort") << RunState::Paused << RunCommand::Abort;
        QTest::newRow("fail") << RunState::Running << RunCommand::Fail;
        QTest::newRow("checksFailed") << RunState::Checking << RunCommand::ChecksFailed;
    }

    void emptyReasonIsRefusedAndChangesNothing()
    {
        QFETCH(RunState, state);
        QFETCH(RunCommand, command);
        RunStateMachine run = inState(state);
        const std::size_t historyBefore = run.history().size();
        const std::function<void()> calls[] = {
            [&] { run.pause("", at(9)); },
            [&] { run.abort("", at(9)); },
            [&] { run.fail("", at(9)); },
            [&] { run.checksFailed("", at(9)); },
        };
        const std::size_t which = command == RunCommand::Pause ? 0 : command == RunCommand::Abort ? 1
                                                               : command == RunCommand::Fail  ? 2
                                                                                              : 3;
        try {
            calls[which]();
            QFAIL("an empty reason was accepted");
        } catch (const ValidationError &error) {
            QCOMPARE(error.subject(), "run command " + std::string(toText(command)));
            QVERIFY(!error.problemWith("reason").empty());
        }
        QCOMPARE(run.state(), state);
        QCOMPARE(run.history().size(), historyBefore);
    }

    void startRefusesBadArgumentsListingEachAndChangesNothing()
    {
        RunStateMachine run;
        try {
            run.start("", "", {WaferId("W1"), WaferId(), WaferId("W1")}, at(0));
            QFAIL("bad start arguments were accepted");
        } catch (const ValidationError &error) {
            QCOMPARE(error.subject(), std::string("run start"));
            QCOMPARE(error.issues().size(), std::size_t{4});
            QCOMPARE(error.problemWith("recipe name"), std::string_view("is empty"));
            QCOMPARE(error.problemWith("lot id"), std::string_view("is empty"));
            QCOMPARE(error.problemWith("wafer ids[1]"), std::string_view("is empty"));
            QCOMPARE(error.problemWith("wafer ids[2]"), std::string_view("'W1' is already wafer ids[0]"));
        }
        QVERIFY_THROWS_EXCEPTION(ValidationError, run.start("default", "LOT7", {}, at(0)));
        QCOMPARE(run.state(), RunState::Idle);
        QVERIFY(run.history().empty());
        QCOMPARE(run.waferCount(), std::size_t{0});
        QVERIFY(run.lotId().empty());
    }

    void everyTransitionCarriesAReasonAndTheTimeGiven()
    {
        RunStateMachine run;
        run.start("default", "LOT7", wafers(2), at(0));
        run.checksPassed(at(1));
        run.pause("operator", at(2));
        run.resume(at(3));
        run.waferCompleted(at(4));
        run.checksPassed(at(5));
        run.fail("camera gone", at(6));
        const std::span<const RunTransition> history = run.history();
        QCOMPARE(history.size(), std::size_t{7});
        for (std::size_t i = 0; i < history.size(); ++i) {
            QVERIFY2(!history[i].reason.empty(), std::to_string(i).c_str());
            QCOMPARE(history[i].time, at(static_cast<int>(i)));
            if (i > 0) {
                QCOMPARE(history[i].from, history[i - 1].to);
            }
        }
        QCOMPARE(history.front().from, RunState::Idle);
        QCOMPARE(history.back().command, RunCommand::Fail);
        QCOMPARE(history.back().reason, std::string("camera gone"));
    }

    void timesAreKeptAsGivenEvenOutOfOrder()
    {
        RunStateMachine run;
        run.start("default", "LOT7", wafers(1), at(50));
        run.checksPassed(at(10));
        QCOMPARE(run.history()[1].time, at(10));
    }
};

QTEST_GUILESS_MAIN(RunStateMachineTest)
#include "run_state_machine_test.moc"
