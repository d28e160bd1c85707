#include <QTest>

#include <stdexcept>
#include <string>

#include <waferscope/core/results/klarf_write_error.h>

using waferscope::core::KlarfWriteError;

class KlarfWriteErrorTest : public QObject
{
    Q_OBJECT

private slots:
    void namesTheFileAndWhatTheSystemSaid()
    {
        const KlarfWriteError error("/data/LOT1-07.klarf", "No space left on device");
        QCOMPARE(std::string(error.what()), std::string("cannot write KLARF /data/LOT1-07.klarf: No space left on device"));
        QCOMPARE(error.file().string(), std::string("/data/LOT1-07.klarf"));
        QCOMPARE(error.problem(), std::string("No space left on device"));
    }

    void isARuntimeError()
    {
        try {
            throw KlarfWriteError("a.klarf", "denied");
        } catch (const std::runtime_error &error) {
            QCOMPARE(std::string(error.what()), std::string("cannot write KLARF a.klarf: denied"));
            return;
        }
        QFAIL("not caught as std::runtime_error");
    }
};

QTEST_GUILESS_MAIN(KlarfWriteErrorTest)
#include "klarf_write_error_test.moc"
