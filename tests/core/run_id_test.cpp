#include <QTest>

#include <waferscope/core/run_id.h>

using waferscope::core::RunId;

class RunIdTest : public QObject
{
    Q_OBJECT

private slots:
    void defaultMeansNoRunAndIsNotValid()
    {
        QVERIFY(!RunId().isValid());
        QCOMPARE(RunId().value(), std::uint64_t{0});
        QVERIFY(RunId(1).isValid());
    }

    void printsAsRunDashNumber()
    {
        QCOMPARE(RunId(42).toString(), std::string("run-42"));
    }

    void comparesByValue()
    {
        QVERIFY(RunId(7) == RunId(7));
        QVERIFY(RunId(7) < RunId(8));
    }

    void isEightBytesSoStampingItCopiesEightBytes()
    {
        QCOMPARE(sizeof(RunId), std::size_t{8});
    }
};

QTEST_GUILESS_MAIN(RunIdTest)
#include "run_id_test.moc"
