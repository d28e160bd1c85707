#include <QTemporaryDir>
#include <QTest>

#include <fstream>

#include <opencv2/imgcodecs.hpp>

#include <waferscope/pipelines/staging/image_stager.h>
#include <waferscope/testing/manual_executor.h>

using namespace waferscope;
using pipelines::CropDropReason;
using pipelines::DefectCrop;
using pipelines::ImageStager;
using pipelines::RunLedger;

namespace {

DefectCrop makeCrop(runtime::FramePool &pool, std::uint64_t id, const std::filesystem::path &path)
{
    auto lease = pool.tryRent();
    auto bytes = lease->bytes();
    for (std::size_t i = 0; i < 32 * 32; ++i) {
        bytes[i] = static_cast<std::byte>((i * 7 + id) & 0xff);
    }
    return DefectCrop(std::move(*lease), 32, 32, id, path);
}

} // namespace

class ImageStagerTest : public QObject
{
    Q_OBJECT

private slots:
    void cropIsWrittenAsAPngWithItsPixels()
    {
        QTemporaryDir dir;
        runtime::FramePool pool("crops", runtime::FramePoolOptions{2, 32 * 32});
        RunLedger ledger;
        ImageStager stager(ledger);
        const std::filesystem::path path = std::filesystem::path(dir.path().toStdString()) / "run-1" / "W01" / "7.png";
        const DefectCrop crop = makeCrop(pool, 7, path);
        QVERIFY(stager.write(crop));
        const cv::Mat read = cv::imread(path.string(), cv::IMREAD_UNCHANGED);
        QCOMPARE(read.rows, 32);
        QCOMPARE(read.cols, 32);
        QCOMPARE(static_cast<int>(read.at<std::uint8_t>(1, 2)), static_cast<int>((34 * 7 + 7) & 0xff));
        QCOMPARE(ledger.totals().cropsStaged, 1u);
        // Nothing else is left in the folder: no temporary file beside the image.
        QCOMPARE(std::distance(std::filesystem::directory_iterator(path.parent_path()), {}), 1);
    }

    void unwritableFolderDropsTheCropAndCountsIt()
    {
        QTemporaryDir dir;
        const std::filesystem::path blocker = std::filesystem::path(dir.path().toStdString()) / "not-a-folder";
        std::ofstream(blocker) << "a file where the run folder should be";
        runtime::FramePool pool("crops", runtime::FramePoolOptions{2, 32 * 32});
        RunLedger ledger;
        ImageStager stager(ledger);
        QVERIFY(!stager.write(makeCrop(pool, 3, blocker / "3.png")));
        QCOMPARE(ledger.totals().dropped(CropDropReason::WriteFailed), 1u);
        QCOMPARE(ledger.totals().cropsStaged, 0u);
        QVERIFY2(stager.lastError().find("not-a-folder") != std::string::npos, stager.lastError().c_str());
    }

    void runWritesEveryCropUntilTheChannelEnds()
    {
        QTemporaryDir dir;
        const std::filesystem::path root(dir.path().toStdString());
        runtime::FramePool pool("crops", runtime::FramePoolOptions{4, 32 * 32});
        runtime::Channel<DefectCrop> crops("crops", runtime::ChannelOptions{4, runtime::FullMode::DropWrite, false});
        RunLedger ledger;
        ImageStager stager(ledger);
        testing::ManualExecutor executor;
        executor.spawn(stager.run(crops));
        for (std::uint64_t id = 1; id <= 3; ++id) {
            QVERIFY(crops.tryWrite(makeCrop(pool, id, root / (std::to_string(id) + ".png"))));
        }
        crops.complete();
        executor.runReady();
        QCOMPARE(executor.liveJobs(), 0);
        QCOMPARE(ledger.totals().cropsStaged, 3u);
        QCOMPARE(pool.inUse(), 0u); // every crop buffer went back
        for (int id = 1; id <= 3; ++id) {
            QVERIFY(std::filesystem::exists(root / (std::to_string(id) + ".png")));
        }
    }

    void strayTemporariesFromACrashAreRemoved()
    {
        QTemporaryDir dir;
        const std::filesystem::path root(dir.path().toStdString());
        std::filesystem::create_directories(root / "run-2" / "W01");
        std::ofstream(root / "run-2" / "W01" / ".tmp-5.png") << "half an image";
        std::ofstream(root / "run-2" / "W01" / "4.png") << "a whole one";
        QCOMPARE(ImageStager::removeStrayTemporaries(root), 1u);
        QVERIFY(!std::filesystem::exists(root / "run-2" / "W01" / ".tmp-5.png"));
        QVERIFY(std::filesystem::exists(root / "run-2" / "W01" / "4.png"));
    }
};

QTEST_GUILESS_MAIN(ImageStagerTest)
#include "image_stager_test.moc"
