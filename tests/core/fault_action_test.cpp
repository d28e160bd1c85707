#include <QTest>

#include <string_view>

#include <waferscope/core/recipes/fault_action.h>

using waferscope::core::FaultAction;
using waferscope::core::parseFaultAction;

class FaultActionTest : public QObject
{
    Q_OBJECT

private slots:
    void actionsReadBackFromTheirNames()
    {
        QCOMPARE(toText(FaultAction::Pause), std::string_view("pause"));
        QCOMPARE(toText(FaultAction::Abort), std::string_view("abort"));
        QCOMPARE(parseFaultAction("pause"), std::optional(FaultAction::Pause));
        QCOMPARE(parseFaultAction("abort"), std::optional(FaultAction::Abort));
    }

    void unknownNameGivesNothing()
    {
        QCOMPARE(parseFaultAction("Pause"), std::optional<FaultAction>());
        QCOMPARE(parseFaultAction("stop"), std::optional<FaultAction>());
    }
};

QTEST_GUILESS_MAIN(FaultActionTest)
#include "fault_action_test.moc"
