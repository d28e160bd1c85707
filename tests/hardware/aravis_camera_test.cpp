// The Aravis camera on Aravis' in-process fake device: no network at all.
#include <QTest>

#include <string>

#include <waferscope/hardware/aravis/aravis_camera.h>
#include <waferscope/hardware/hardware_error.h>
#include <waferscope/runtime/frame_pool.h>
#include <waferscope/runtime/sync_wait.h>
#include <waferscope/runtime/thread_executor.h>

#include "aravis_fixtures.h"

using namespace waferscope;
using hardware::ScanPlan;
using hardware::TriggerMode;
using hardware::aravis::AravisCamera;
using hardware::aravis::AravisCameraConfig;
using runtime::FramePool;
using runtime::FramePoolOptions;
using Status = hardware::AcquiredFrame::Status;
using testing::AravisScanResult;

namespace {

constexpr int kSide = 256;

AravisCameraConfig fakeConfig()
{
    AravisCameraConfig config;
    config.link = AravisCameraConfig::Link::InProcessFake;
    config.address = "WS-FAKE-1";
    config.format.width = kSide;
    config.format.height = kSide;
    config.exposure = std::chrono::microseconds(10000); // the fake draws its ramp unscaled at 10 ms
    config.framesPerSecond = 200.0;
    config.streamBuffers = 4;
    return config;
}

ScanPlan planOf(std::size_t dies)
{
    ScanPlan plan;
    plan.runId = core::RunId(7);
    plan.waferId = core::WaferId("W07");
    for (std::size_t i = 0; i < dies; ++i) {
        plan.dies.push_back(core::DieIndex{static_cast<int>(i % 10), static_cast<int>(i / 10)});
    }
    return plan;
}

std::string openError(const AravisCameraConfig &config)
{
    try {
        AravisCamera camera(config);
    } catch (const hardware::HardwareError &e) {
        return e.what();
    }
    return "(no error)";
}

bool contains(const std::string &text, std::string_view part)
{
    return text.find(part) != std::string::npos;
}

} // namespace

class AravisCameraTest : public QObject
{
    Q_OBJECT

private slots:
    void everySlotOfTheScanIsAFrameInPoolMemoryOrAGapAndTheDiesFollowThePlan()
    {
        AravisCamera camera(fakeConfig());
        FramePool pool("frames", FramePoolOptions{8, std::size_t{kSide} * kSide});
        runtime::ThreadExecutor executor("acquisition");
        const ScanPlan plan = planOf(30);
        camera.start(plan, pool, TriggerMode::FreeRun);
        AravisScanResult result;
        QVERIFY(testing::runScan(executor, camera, 100, kSide, kSide, result));

        QCOMPARE(result.answers.back().status, Status::EndOfScan);
        std::size_t frames = 0;
        std::uint64_t lastSequence = 0;
        for (std::size_t i = 0; i + 1 < result.answers.size(); ++i) {
            const auto &a = result.answers[i];
            QCOMPARE(a.status, Status::Frame);
            QVERIFY(a.isPoolMemory);
            QVERIFY2(a.isRamp, "the image in the pool buffer is the camera's ramp, whole");
            QVERIFY(i == 0 || a.sequence > lastSequence);
            QVERIFY(a.sequence < plan.dies.size());
            QCOMPARE(a.die, plan.dies[a.sequence]);
            lastSequence = a.sequence;
            ++frames;
        }
        QVERIFY2(frames >= 27, qPrintable(QString::number(frames) + " of 30 frames"));
        QCOMPARE(pool.inUse(), std::size_t{0}); // the stream gave every buffer back at the end
        QCOMPARE(camera.framesDelivered(), frames);
    }

    void steadyStateAcquireAllocatesNothing()
    {
        AravisCamera camera(fakeConfig());
        FramePool pool("frames", FramePoolOptions{8, std::size_t{kSide} * kSide});
        runtime::ThreadExecutor executor("acquisition");
        camera.start(planOf(60), pool, TriggerMode::FreeRun);
        AravisScanResult result;
        QVERIFY(testing::runScan(executor, camera, 200, kSide, kSide, result));
        QVERIFY(result.steadyFrames >= 40);
        QCOMPARE(result.steadyAllocations, std::uint64_t{0});
    }

    void aSecondScanCountsSequenceNumbersOnAndReusesThePool()
    {
        AravisCamera camera(fakeConfig());
        FramePool pool("frames", FramePoolOptions{8, std::size_t{kSide} * kSide});
        runtime::ThreadExecutor executor("acquisition");
        camera.start(planOf(10), pool, TriggerMode::FreeRun);
        AravisScanResult first;
        QVERIFY(testing::runScan(executor, camera, 50, kSide, kSide, first));
        camera.start(planOf(10), pool, TriggerMode::FreeRun);
        AravisScanResult second;
        QVERIFY(testing::runScan(executor, camera, 50, kSide, kSide, second));
        QCOMPARE(second.answers.back().status, Status::EndOfScan);
        QVERIFY(second.answers.front().sequence >= 10);
        QVERIFY(second.answers.front().isRamp);
        QCOMPARE(pool.inUse(), std::size_t{0});
    }

    void stopEndsAPendingSoftwareTriggerWaitWithStoppedAndReturnsEveryBuffer()
    {
        AravisCamera camera(fakeConfig());
        FramePool pool("frames", FramePoolOptions{8, std::size_t{kSide} * kSide});
        runtime::ThreadExecutor executor("acquisition");
        camera.start(planOf(10), pool, TriggerMode::Software);
        AravisScanResult result;
        std::atomic<int> triggered{0};
        // One frame per trigger: trigger again after each frame, stop after the third.
        camera.trigger();
        QVERIFY(testing::runScan(executor, camera, 20, kSide, kSide, result, [&](const testing::AravisAnswer &a) {
            if (a.status != Status::Frame) {
                return;
            }
            if (++triggered < 3) {
                camera.trigger();
            } else {
                camera.stop();
            }
        }));
        QCOMPARE(result.answers.back().status, Status::Stopped);
        QCOMPARE(triggered.load(), 3);
        QCOMPARE(pool.inUse(), std::size_t{0});
        QVERIFY(!runtime::syncWait(camera.state()).isAcquiring);
    }

    void anUnsupportedPixelFormatIsRefusedAtOpenNamingTheCameraAndTheFeature()
    {
        AravisCameraConfig config = fakeConfig();
        config.pixelFormat = "Mono16";
        const std::string error = openError(config);
        QVERIFY2(contains(error, "camera fake:WS-FAKE-1") && contains(error, "PixelFormat") &&
                     contains(error, "Mono16"),
                 error.c_str());
    }

    void aWidthTheCameraRefusesIsNamedWithTheValueAndTheRange()
    {
        AravisCameraConfig config = fakeConfig();
        config.format.width = 8192; // past the fake sensor
        const std::string error = openError(config);
        QVERIFY2(contains(error, "camera fake:WS-FAKE-1") && contains(error, "feature Width refuses 8192"),
                 error.c_str());
    }

    void aConfigOutOfRangeIsRefusedNamingEveryField()
    {
        AravisCameraConfig config = fakeConfig();
        config.streamBuffers = 0;
        config.maxBadFrameRatio = 2.0;
        const std::string error = openError(config);
        QVERIFY2(contains(error, "streamBuffers") && contains(error, "maxBadFrameRatio"), error.c_str());
    }

    void startRefusesAPoolWhoseFramesAreTooSmall()
    {
        AravisCamera camera(fakeConfig());
        FramePool pool("tiny", FramePoolOptions{4, 1024});
        try {
            camera.start(planOf(3), pool, TriggerMode::FreeRun);
            QFAIL("start() took a pool of 1 KiB frames");
        } catch (const hardware::HardwareError &e) {
            QVERIFY2(contains(e.what(), "frame pool 'tiny'"), e.what());
        }
    }

    void acquireBeforeStartIsRefused()
    {
        AravisCamera camera(fakeConfig());
        try {
            static_cast<void>(runtime::syncWait(camera.acquire()));
            QFAIL("acquire() before start() answered");
        } catch (const hardware::HardwareError &e) {
            QVERIFY2(contains(e.what(), "acquire() before start()"), e.what());
        }
    }
};

QTEST_GUILESS_MAIN(AravisCameraTest)
#include "aravis_camera_test.moc"
