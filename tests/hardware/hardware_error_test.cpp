#include <QTest>

#include <waferscope/hardware/hardware_error.h>

using waferscope::hardware::HardwareError;

class HardwareErrorTest : public QObject
{
    Q_OBJECT

private slots:
    void whatBeginsWithTheDevicesName()
    {
        const HardwareError error("stage", "a scan owns the stage");
        QCOMPARE(std::string(error.what()), std::string("stage: a scan owns the stage"));
        QCOMPARE(error.device(), std::string("stage"));
    }

    void isARuntimeError()
    {
        try {
            throw HardwareError("camera", "acquire() before start()");
        } catch (const std::runtime_error &e) {
            QVERIFY(std::string_view(e.what()).starts_with("camera: "));
            return;
        }
        QFAIL("not caught as std::runtime_error");
    }
};

QTEST_GUILESS_MAIN(HardwareErrorTest)
#include "hardware_error_test.moc"
