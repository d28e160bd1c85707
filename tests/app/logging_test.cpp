// The program's logger when its own disk is full: the log file is /dev/full (every write fails with
// "No space left on device", no privileges needed), and logging goes on, counted.

#include <QCoreApplication>
#include <QTemporaryDir>
#include <QTest>

#include <spdlog/spdlog.h>

#include <filesystem>
#include <fstream>

#include "logging.h"

class LoggingTest : public QObject
{
    Q_OBJECT

private slots:
    void logFileOnAFullDiskIsCountedAndNeverStopsTheProgram()
    {
        if (!std::filesystem::exists("/dev/full")) {
            QSKIP("/dev/full is not there to stand in for a full disk");
        }
        QTemporaryDir dir;
        const std::filesystem::path data = dir.path().toStdString();
        std::filesystem::create_directories(data / "logs");
        std::filesystem::create_symlink("/dev/full", data / "logs" / "waferscope.log");
        waferscope::app::setUpLogging(data, "info", "off");
        const std::uint64_t before = waferscope::app::logWriteFailures();
        spdlog::error("run-1: a line the full disk refuses");
        const std::uint64_t afterOne = waferscope::app::logWriteFailures();
        QVERIFY(afterOne > before);
        for (int i = 0; i < 100; ++i) {
            spdlog::warn("run-1: line {} of many", i);
        }
        QVERIFY(waferscope::app::logWriteFailures() >= afterOne + 100);
        spdlog::shutdown();
    }

    void logFolderThatCannotBeMadeLeavesTheTerminalLogging()
    {
        QTemporaryDir dir;
        const std::filesystem::path data = std::filesystem::path(dir.path().toStdString()) / "data";
        std::ofstream(data) << "a file where the data folder belongs";
        waferscope::app::setUpLogging(data, "info", "off"); // does not throw
        const std::uint64_t before = waferscope::app::logWriteFailures();
        spdlog::error("run-2: logged to the terminal only");
        QCOMPARE(waferscope::app::logWriteFailures(), before); // no file, nothing refused
        QVERIFY(spdlog::default_logger()->sinks().size() == 1);
        spdlog::shutdown();
    }
};

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    LoggingTest test;
    return QTest::qExec(&test, argc, argv);
}

#include "logging_test.moc"
