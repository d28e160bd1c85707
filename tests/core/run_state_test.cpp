#include <QTest>

#include <set>
#include <string_view>

#include <waferscope/core/runs/run_state.h>

using waferscope::core::isFinal;
using waferscope::core::RunState;

class RunStateTest : public QObject
{
    Q_OBJECT

private slots:
    void namesAreStableAndDistinct()
    {
        const RunState all[] = {RunState::Idle,      RunState::Checking, RunState::Running, RunState::Paused,
                                RunState::Completed, RunState::Aborted,  RunState::Failed};
        std::set<std::string_view> names;
        for (const RunState state : all) {
            names.insert(toText(state));
        }
        QCOMPARE(names.size(), std::size(all));
        QCOMPARE(toText(RunState::Running), std::string_view("running"));
        QCOMPARE(toText(RunState::Aborted), std::string_view("aborted"));
    }

    void onlyCompletedAbortedAndFailedAreFinal()
    {
        QVERIFY(!isFinal(RunState::Idle));
        QVERIFY(!isFinal(RunState::Checking));
        QVERIFY(!isFinal(RunState::Running));
        QVERIFY(!isFinal(RunState::Paused));
        QVERIFY(isFinal(RunState::Completed));
        QVERIFY(isFinal(RunState::Aborted));
        QVERIFY(isFinal(RunState::Failed));
    }
};

QTEST_GUILESS_MAIN(RunStateTest)
#include "run_state_test.moc"
