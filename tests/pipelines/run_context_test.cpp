#include <QTest>

#include <atomic>
#include <thread>

#include <waferscope/pipelines/services/run_context.h>

using namespace waferscope;
using pipelines::RunContext;

class RunContextTest : public QObject
{
    Q_OBJECT

private slots:
    void itStartsWithNoRun()
    {
        const RunContext context;
        QVERIFY(!context.runId().isValid());
    }

    void setRunIdThenClearGoesBackToNoRun()
    {
        RunContext context;
        context.setRunId(core::RunId(42));
        QCOMPARE(context.runId(), core::RunId(42));
        context.setRunId(core::RunId(43));
        QCOMPARE(context.runId(), core::RunId(43));
        context.clear();
        QVERIFY(!context.runId().isValid());
    }

    void aReaderOnAnotherThreadSeesOnlyRunsThatWereSet()
    {
        RunContext context;
        constexpr std::uint64_t kHigh = 0xFFFF'FFFF'0000'0001ULL; // both halves differ from the other run's
        constexpr std::uint64_t kLow = 0x0000'0000'FFFF'FFFEULL;
        std::atomic<bool> isDone{false};
        std::atomic<int> strange{0};
        std::thread reader([&] {
            while (!isDone.load()) {
                const std::uint64_t seen = context.runId().value();
                if (seen != 0 && seen != kHigh && seen != kLow) {
                    ++strange;
                }
            }
        });
        for (int i = 0; i < 200'000; ++i) {
            context.setRunId(core::RunId(i % 2 == 0 ? kHigh : kLow));
        }
        isDone = true;
        reader.join();
        QCOMPARE(strange.load(), 0);
    }
};

QTEST_GUILESS_MAIN(RunContextTest)
#include "run_context_test.moc"
