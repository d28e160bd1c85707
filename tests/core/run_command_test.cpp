#include <QTest>

#include <set>
#include <string_view>

#include <waferscope/core/runs/run_command.h>

using waferscope::core::kAllRunCommands;
using waferscope::core::RunCommand;

class RunCommandTest : public QObject
{
    Q_OBJECT

private slots:
    void everyCommandHasItsOwnName()
    {
        std::set<std::string_view> names;
        for (const RunCommand command : kAllRunCommands) {
            names.insert(toText(command));
        }
        QCOMPARE(names.size(), std::size(kAllRunCommands));
        QCOMPARE(toText(RunCommand::WaferCompleted), std::string_view("waferCompleted"));
        QCOMPARE(toText(RunCommand::ChecksFailed), std::string_view("checksFailed"));
    }
};

QTEST_GUILESS_MAIN(RunCommandTest)
#include "run_command_test.moc"
