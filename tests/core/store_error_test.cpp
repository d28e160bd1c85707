#include <QTest>

#include <stdexcept>
#include <string>

#include <waferscope/core/persistence/store_error.h>

using waferscope::core::StoreError;

class StoreErrorTest : public QObject
{
    Q_OBJECT

private slots:
    void namesTheFileWhatWasBeingDoneAndWhatWentWrong()
    {
        const StoreError error("/data/waferscope.sqlite", "insert 500 defects",
                               "defect 42 of run-7 on wafer W-01: FOREIGN KEY constraint failed");
        QCOMPARE(std::string(error.what()),
                 std::string("store /data/waferscope.sqlite: cannot insert 500 defects: defect 42 of run-7 on wafer "
                             "W-01: FOREIGN KEY constraint failed"));
        QCOMPARE(error.file().string(), std::string("/data/waferscope.sqlite"));
        QCOMPARE(error.action(), std::string("insert 500 defects"));
        QCOMPARE(error.problem(), std::string("defect 42 of run-7 on wafer W-01: FOREIGN KEY constraint failed"));
    }

    void isARuntimeError()
    {
        try {
            throw StoreError("a.sqlite", "open", "file is not a database");
        } catch (const std::runtime_error &error) {
            QCOMPARE(std::string(error.what()), std::string("store a.sqlite: cannot open: file is not a database"));
            return;
        }
        QFAIL("not caught as std::runtime_error");
    }
};

QTEST_GUILESS_MAIN(StoreErrorTest)
#include "store_error_test.moc"
