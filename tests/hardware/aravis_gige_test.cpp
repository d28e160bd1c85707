// The Aravis camera through the real GigE Vision stack: a GigE Vision fake camera served inside the
// test on the loopback interface (127.0.0.1:3956), opened by address. Only loopback, no discovery.
#include <arv.h>

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

constexpr int kSide = 512;

/// A GigE Vision fake camera on the loopback interface for the scope of a test.
class FakeGigeCamera
{
public:
    FakeGigeCamera()
        : m_camera(arv_gv_fake_camera_new("lo", "WS-GIGE-1"))
    {
    }
    ~FakeGigeCamera() { unplug(); }
    FakeGigeCamera(const FakeGigeCamera &) = delete;
    FakeGigeCamera &operator=(const FakeGigeCamera &) = delete;

    [[nodiscard]] bool isRunning() const { return m_camera != nullptr && arv_gv_fake_camera_is_running(m_camera); }
    void setLostPacketRatio(double ratio) { g_object_set(m_camera, "gvsp-lost-ratio", ratio, nullptr); }
    /// Destroys the camera: its control and stream sockets close, as when a cable is pulled.
    void unplug()
    {
        if (m_camera != nullptr) {
            g_object_unref(m_camera);
            m_camera = nullptr;
        }
    }

private:
    ArvGvFakeCamera *m_camera;
};

AravisCameraConfig gigeConfig()
{
    AravisCameraConfig config;
    config.address = "127.0.0.1";
    config.format.width = kSide;
    config.format.height = kSide;
    config.exposure = std::chrono::microseconds(10000); // the fake draws its ramp unscaled at 10 ms
    config.framesPerSecond = 50.0;
    config.packetSizeBytes = 8000;
    config.streamBuffers = 6;
    return config;
}

ScanPlan planOf(std::size_t dies)
{
    ScanPlan plan;
    plan.runId = core::RunId(3);
    plan.waferId = core::WaferId("W03");
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

std::string dropsText(const AravisCamera &camera)
{
    std::string text;
    const auto drops = camera.droppedFrames();
    for (std::size_t i = 0; i < drops.size(); ++i) {
        text += std::string(hardware::aravis::toText(static_cast<AravisCamera::DropReason>(i))) + "=" +
                std::to_string(drops[i]) + " ";
    }
    return text;
}

} // namespace

class AravisGigeTest : public QObject
{
    Q_OBJECT

private slots:
    void aScanThroughTheGigEStackDeliversNinetyPercentGoodFramesAndCountsEveryBadOne()
    {
        FakeGigeCamera fake;
        QVERIFY(fake.isRunning());
        AravisCamera camera(gigeConfig());
        FramePool pool("frames", FramePoolOptions{12, std::size_t{kSide} * kSide});
        runtime::ThreadExecutor executor("acquisition");
        const ScanPlan plan = planOf(60);
        camera.start(plan, pool, TriggerMode::FreeRun);
        AravisScanResult result;
        QVERIFY(testing::runScan(executor, camera, 200, kSide, kSide, result));

        QCOMPARE(result.answers.back().status, Status::EndOfScan);
        std::size_t frames = 0;
        for (std::size_t i = 0; i + 1 < result.answers.size(); ++i) {
            const auto &a = result.answers[i];
            QCOMPARE(a.status, Status::Frame);
            QVERIFY2(a.isRamp, "every frame handed on is whole, in pool memory");
            QCOMPARE(a.die, plan.dies[a.sequence]);
            ++frames;
        }
        const std::string drops = dropsText(camera);
        qInfo("%zu of %zu frames good; dropped: %s", frames, plan.dies.size(), drops.c_str());
        QVERIFY2(frames * 10 >= plan.dies.size() * 9, drops.c_str());
        QCOMPARE(pool.inUse(), std::size_t{0});
        QVERIFY(runtime::syncWait(camera.state()).isConnected);
    }

    void everyFeatureIsWrittenAtOpenWhateverTheCameraKeptFromTheLastConnection()
    {
        FakeGigeCamera fake;
        {
            AravisCameraConfig other = gigeConfig();
            other.format.width = 320;
            other.format.height = 200;
            other.framesPerSecond = 20.0;
            AravisCamera first(other); // leaves 320 x 200 in the camera's registers
        }
        AravisCamera camera(gigeConfig());
        FramePool pool("frames", FramePoolOptions{8, std::size_t{kSide} * kSide});
        runtime::ThreadExecutor executor("acquisition");
        camera.start(planOf(5), pool, TriggerMode::FreeRun);
        AravisScanResult result;
        QVERIFY(testing::runScan(executor, camera, 50, kSide, kSide, result));
        QCOMPARE(result.answers.back().status, Status::EndOfScan);
        QVERIFY(result.answers.size() >= 2);
        QVERIFY2(result.answers.front().isRamp, "a 512 x 512 ramp, not the 320 x 200 the camera kept");
    }

    void packetLossAboveTheThresholdShowsTheCameraDisconnected()
    {
        FakeGigeCamera fake;
        fake.setLostPacketRatio(0.5); // nearly every frame loses packets, even with resends
        AravisCameraConfig config = gigeConfig();
        config.badFrameWindow = 8;
        AravisCamera camera(config);
        FramePool pool("frames", FramePoolOptions{8, std::size_t{kSide} * kSide});
        runtime::ThreadExecutor executor("acquisition");
        camera.start(planOf(1000), pool, TriggerMode::FreeRun);
        AravisScanResult result;
        QVERIFY(testing::runScan(executor, camera, 2000, kSide, kSide, result, [&](const testing::AravisAnswer &a) {
            if (a.status == Status::Disconnected) {
                camera.stop();
            }
        }));
        QCOMPARE(result.answers.back().status, Status::Stopped);
        QCOMPARE(result.answers[result.answers.size() - 2].status, Status::Disconnected);
        QVERIFY(!runtime::syncWait(camera.state()).isConnected);
        const auto drops = camera.droppedFrames();
        QVERIFY2(drops[static_cast<std::size_t>(AravisCamera::DropReason::MissingPackets)] +
                         drops[static_cast<std::size_t>(AravisCamera::DropReason::Timeout)] >=
                     5,
                 dropsText(camera).c_str());
        QCOMPARE(pool.inUse(), std::size_t{0});
    }

    void unplugMidScanHandsOnWhatWasReceivedThenReportsDisconnectedOnce()
    {
        auto fake = std::make_unique<FakeGigeCamera>();
        AravisCamera camera(gigeConfig());
        FramePool pool("frames", FramePoolOptions{8, std::size_t{kSide} * kSide});
        runtime::ThreadExecutor executor("acquisition");
        camera.start(planOf(5000), pool, TriggerMode::FreeRun);
        AravisScanResult result;
        std::size_t framesBeforeUnplug = 0;
        QVERIFY(testing::runScan(executor, camera, 6000, kSide, kSide, result, [&](const testing::AravisAnswer &a) {
            if (a.status == Status::Frame && ++framesBeforeUnplug == 5) {
                fake->unplug();
            }
            if (a.status == Status::Disconnected) {
                camera.stop();
            }
        }));
        QCOMPARE(result.answers.back().status, Status::Stopped);
        std::size_t disconnections = 0;
        for (const auto &a : result.answers) {
            disconnections += a.status == Status::Disconnected ? 1 : 0;
            QVERIFY(a.status != Status::Frame || a.isRamp);
        }
        QCOMPARE(disconnections, std::size_t{1});
        QVERIFY(!runtime::syncWait(camera.state()).isConnected);
        QCOMPARE(pool.inUse(), std::size_t{0});
    }

    void anUnreachableAddressFailsAtOpenNamingTheCamera()
    {
        AravisCameraConfig config = gigeConfig();
        config.address = "127.0.0.3"; // loopback, and nothing answers there
        const std::string error = openError(config);
        QVERIFY2(contains(error, "camera gige:127.0.0.3") && contains(error, "cannot be opened"), error.c_str());
    }

    void aNameInsteadOfAnAddressIsRefusedWithoutLookingItUp()
    {
        AravisCameraConfig config = gigeConfig();
        config.address = "camera-7.example";
        const std::string error = openError(config);
        QVERIFY2(contains(error, "camera gige:camera-7.example") && contains(error, "not an IPv4 address"),
                 error.c_str());
    }

    void anExposureTheCameraRefusesIsNamedBeforeAnyScan()
    {
        FakeGigeCamera fake;
        AravisCameraConfig config = gigeConfig();
        config.exposure = std::chrono::microseconds(1); // the fake allows 10 µs and more
        const std::string error = openError(config);
        QVERIFY2(contains(error, "camera gige:127.0.0.1") && contains(error, "ExposureTime"), error.c_str());
    }
};

QTEST_GUILESS_MAIN(AravisGigeTest)
#include "aravis_gige_test.moc"
