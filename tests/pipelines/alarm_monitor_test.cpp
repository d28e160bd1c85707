#include <QTest>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <QTemporaryDir>

#include <waferscope/core/alarms/alarm_model.h>
#include <waferscope/hardware/scan_plan.h>
#include <waferscope/pipelines/services/alarm_monitor.h>
#include <waferscope/runtime/channel.h>
#include <waferscope/runtime/counter.h>
#include <waferscope/runtime/frame_pool.h>
#include <waferscope/runtime/job.h>
#include <waferscope/testing/allocation_counter.h>

#include "service_fixtures.h"

using namespace std::chrono_literals;
using namespace waferscope;
using core::AlarmEvent;
using core::AlarmEventKind;
using pipelines::AlarmMonitor;
using pipelines::AlarmMonitorOptions;
using pipelines::RunAction;
using testing::AllocationScope;
using testing::ServiceRig;

namespace {

/// Advances the fake clock in 10 ms steps until `done` holds or `limit` (since power-on) is
/// reached, calling `each` after every step. Returns whether `done` held.
bool stepUntil(ServiceRig &rig, runtime::Clock::duration limit, const std::function<bool()> &done,
               const std::function<void()> &each = {})
{
    while (!done()) {
        if (rig.sincePowerOn() >= limit) {
            return false;
        }
        rig.advanceTo(rig.sincePowerOn() + 10ms);
        if (each) {
            each();
        }
    }
    return true;
}

/// Acquires the camera's frames and counts the sequence numbers missing between them, as the
/// acquisition stage does.
runtime::Job countGaps(hardware::Camera &camera, runtime::Counter &lost)
{
    using Status = hardware::AcquiredFrame::Status;
    std::optional<std::uint64_t> expected;
    for (;;) {
        hardware::AcquiredFrame frame = co_await camera.acquire();
        if (frame.status == Status::EndOfScan || frame.status == Status::Stopped) {
            break;
        }
        const std::uint64_t sequence = frame.metadata.sequence;
        if (expected && sequence > *expected) {
            lost.add(sequence - *expected);
        }
        if (frame.status == Status::Disconnected) {
            lost.add();
        }
        expected = sequence + 1;
    }
}

/// Acquires the camera's frames and, while `isStalled` is set, keeps them: a detection stage that
/// stopped returning its leases.
runtime::Job stallingConsumer(hardware::Camera &camera, const bool &isStalled, std::vector<runtime::FrameLease> &held)
{
    using Status = hardware::AcquiredFrame::Status;
    for (;;) {
        hardware::AcquiredFrame frame = co_await camera.acquire();
        if (frame.status == Status::EndOfScan || frame.status == Status::Stopped) {
            break;
        }
        if (isStalled && frame.hasFrame()) {
            held.push_back(std::move(frame.lease));
        }
    }
}

std::string millisecondsOf(runtime::Clock::duration d)
{
    return std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(d).count()) + " ms";
}

void startScan(ServiceRig &rig, runtime::FramePool &pool)
{
    rig.machine.camera().start(
        hardware::ScanPlan::fullWafer(core::RunId(42), core::WaferId("W01"), rig.machine.dieGrid()), pool);
}

/// Checks that `tag` activated within 500 ms after `start` and not before, and returned to normal
/// after `end`, within `returnWithin`.
void checkRaisedAndReturned(ServiceRig &rig, std::string_view tag, runtime::Clock::duration start,
                            runtime::Clock::duration end, runtime::Clock::duration returnWithin = 500ms,
                            const std::function<void()> &each = {})
{
    const auto hasActivated = [&] { return rig.firstEvent(tag, AlarmEventKind::Activated).has_value(); };
    QVERIFY(stepUntil(rig, start + 1s, hasActivated, each));
    const AlarmEvent activated = *rig.firstEvent(tag, AlarmEventKind::Activated);
    QVERIFY2(rig.sincePowerOn(activated.at) >= start, "activated before the fault");
    QVERIFY2(rig.sincePowerOn(activated.at) <= start + 500ms, millisecondsOf(rig.sincePowerOn(activated.at)).c_str());
    QVERIFY(rig.alarms.status(tag)->isConditionActive);
    QVERIFY(stepUntil(rig, end + returnWithin + 1s,
                      [&] { return rig.firstEvent(tag, AlarmEventKind::ReturnedToNormal).has_value(); }, each));
    const AlarmEvent returned = *rig.firstEvent(tag, AlarmEventKind::ReturnedToNormal);
    QVERIFY2(rig.sincePowerOn(returned.at) >= end, "returned before the fault ended");
    QVERIFY2(rig.sincePowerOn(returned.at) <= end + returnWithin,
             millisecondsOf(rig.sincePowerOn(returned.at)).c_str());
    const core::AlarmStatus status = *rig.alarms.status(tag);
    QVERIFY(!status.isConditionActive);
    QCOMPARE(status.trackedState, core::AlarmState::ReturnedUnacknowledged);
    for (const AlarmEvent &event : rig.events()) {
        QCOMPARE(QString::fromStdString(event.tag), QString::fromStdString(std::string(tag))); // no other alarm
    }
}

} // namespace

class AlarmMonitorTest : public QObject
{
    Q_OBJECT

private slots:
    void aHealthyMachineRaisesNothing()
    {
        ServiceRig rig;
        rig.startAll();
        rig.advanceTo(5s);
        QVERIFY(rig.events().empty());
        QCOMPARE(rig.alarms.alarms().size(), AlarmMonitor::kRuleCount);
        for (const core::AlarmStatus &status : rig.alarms.alarms()) {
            QCOMPARE(status.state, core::AlarmState::Normal);
        }
    }

    void eachDeviceFaultRaisesItsAlarmWithin500msAndItReturnsAfterTheFaultEnds_data()
    {
        QTest::addColumn<QString>("fault");
        QTest::addColumn<QString>("tag");
        QTest::newRow("heartbeat stops") << "heartbeat-stop:start=2s,duration=2s"
                                         << QString(AlarmMonitor::kHeartbeatLost.data());
        QTest::newRow("vacuum drops") << "vacuum-drop:start=2s,duration=2s,kpa=20"
                                      << QString(AlarmMonitor::kVacuumLow.data());
        QTest::newRow("following error") << "following-error:start=2s,duration=2s,um=50"
                                         << QString(AlarmMonitor::kFollowingError.data());
        QTest::newRow("encoder error") << "encoder-error:start=2s,duration=2s"
                                       << QString(AlarmMonitor::kEncoderFault.data());
        QTest::newRow("illumination degrades") << "illumination-degrade:start=2s,duration=2s,factor=0.5"
                                               << QString(AlarmMonitor::kIlluminationOutOfBand.data());
        QTest::newRow("camera disconnects") << "camera-disconnect:start=2s,duration=2s"
                                            << QString(AlarmMonitor::kCameraDisconnected.data());
    }

    void eachDeviceFaultRaisesItsAlarmWithin500msAndItReturnsAfterTheFaultEnds()
    {
        QFETCH(QString, fault);
        QFETCH(QString, tag);
        AlarmMonitorOptions options;
        options.limits.vacuum.delay = 200ms; // the vacuum must stay low this long, within the 500 ms
        const std::string spec = fault.toStdString();
        ServiceRig rig({spec}, options);
        rig.runContext.setRunId(core::RunId(42));
        rig.startAll();
        rig.advanceTo(1990ms);
        QVERIFY(rig.events().empty());
        checkRaisedAndReturned(rig, tag.toStdString(), 2s, 4s);
    }

    void theVacuumAlarmWaitsForTheRecipesDelay()
    {
        ServiceRig rig({"vacuum-drop:start=2s,duration=2s,kpa=20"}); // default recipe: 500 ms
        rig.startAll();
        rig.advanceTo(2490ms);
        QVERIFY(!rig.firstEvent(AlarmMonitor::kVacuumLow, AlarmEventKind::Activated));
        rig.advanceTo(2520ms);
        const auto activated = rig.firstEvent(AlarmMonitor::kVacuumLow, AlarmEventKind::Activated);
        QVERIFY(activated);
        // The delay counts from the first low poll the monitor saw: within one tick of the drop.
        QVERIFY(rig.sincePowerOn(activated->at) >= 2500ms);
        QVERIFY(rig.sincePowerOn(activated->at) <= 2510ms);
    }

    void aVacuumDropShorterThanTheDelayRaisesNothing()
    {
        AlarmMonitorOptions options;
        options.limits.vacuum.delay = 200ms;
        ServiceRig rig({"vacuum-drop:start=2s,duration=150ms,kpa=20", "vacuum-drop:start=3s,duration=190ms,kpa=20"},
                       options);
        rig.startAll();
        rig.advanceTo(5s);
        QVERIFY(rig.events().empty());
        QVERIFY(!rig.alarms.status(AlarmMonitor::kVacuumLow)->isConditionActive);
    }

    void aReleasedChuckIsNotAVacuumFault()
    {
        ServiceRig rig;
        rig.startAll();
        runtime::syncWait(rig.machine.vacuumChuck().release());
        rig.advanceTo(2s);
        QCOMPARE(rig.poller.snapshot().vacuum.pressureKpa, 0.0);
        QVERIFY(rig.events().empty());
    }

    void framesLostRaiseTheirAlarmAndItReturnsOnceTheWindowHasNoneLeft()
    {
        runtime::FramePool pool("frames", runtime::FramePoolOptions{4, std::size_t{256} * 256});
        runtime::Counter lost;
        AlarmMonitorOptions options;
        options.limits.framesLostThreshold = 5;
        options.counters.framesLost = [&lost] { return lost.value(); };
        ServiceRig rig({"frame-loss:start=1s,duration=1s,fraction=0.5"}, options);
        rig.startAll();
        startScan(rig, pool);
        rig.executor.spawn(countGaps(rig.machine.camera(), lost));
        rig.advanceTo(990ms);
        QCOMPARE(lost.value(), std::uint64_t{0});
        checkRaisedAndReturned(rig, AlarmMonitor::kFramesLost, 1s, 2s, options.framesLostWindow + 100ms);
        QVERIFY(lost.value() > 10);
    }

    void anExhaustedFramePoolRaisesItsAlarmAndItReturnsWhenFramesFlowAgain()
    {
        runtime::FramePool pool("frames", runtime::FramePoolOptions{2, std::size_t{256} * 256});
        AlarmMonitorOptions options;
        options.counters.poolExhausted = [&pool] { return pool.tryRentFailures(); };
        ServiceRig rig({}, options);
        bool isStalled = false;
        std::vector<runtime::FrameLease> held;
        rig.startAll();
        startScan(rig, pool);
        rig.executor.spawn(stallingConsumer(rig.machine.camera(), isStalled, held));
        rig.advanceTo(2s);
        QCOMPARE(pool.tryRentFailures(), std::uint64_t{0});
        isStalled = true;
        const auto catchUpAt3s = [&] {
            if (isStalled && rig.sincePowerOn() >= 3s) {
                isStalled = false; // detection catches up and returns its frames
                held.clear();
            }
        };
        checkRaisedAndReturned(rig, AlarmMonitor::kFramePoolExhausted, 2s, 3s, options.poolExhaustedWindow + 100ms,
                               catchUpAt3s);
        rig.advanceTo(8s); // the scan ends
    }

    void aStagingBacklogThatDropsCropsRaisesItsAlarmAndItReturnsWhenItCatchesUp()
    {
        runtime::ChannelOptions cropOptions;
        cropOptions.capacity = 4;
        cropOptions.fullMode = runtime::FullMode::DropWrite;
        runtime::Channel<int> crops("crops", cropOptions);
        AlarmMonitorOptions options;
        options.counters.cropsDropped = [&crops] { return crops.dropped(runtime::DropReason::Write); };
        ServiceRig rig({}, options);
        rig.startAll();
        rig.advanceTo(2s);
        int next = 0;
        checkRaisedAndReturned(rig, AlarmMonitor::kStagingBacklog, 2s, 3s, options.cropsDroppedWindow + 100ms, [&] {
            if (rig.sincePowerOn() < 3s) {
                static_cast<void>(crops.tryWrite(next++)); // the disk has stopped taking crops
            } else {
                static_cast<void>(testing::drain(crops));
            }
        });
        QVERIFY(crops.dropped(runtime::DropReason::Write) > 50);
    }

    void lowDiskSpaceRaisesItsAlarmAndAFailedReadingKeepsTheLastOne()
    {
        std::atomic<std::uint64_t> freeBytes{std::uint64_t{10} << 30};
        std::atomic<bool> isReadable{true};
        AlarmMonitorOptions options;
        options.limits.diskSpaceMinimumMb = 1024;
        options.diskCheckPeriod = 100ms;
        options.freeDiskBytes = [&]() -> std::optional<std::uintmax_t> {
            if (!isReadable) {
                return std::nullopt;
            }
            return freeBytes.load();
        };
        ServiceRig rig({}, options);
        rig.startAll();
        rig.advanceTo(2s);
        freeBytes = std::uint64_t{100} << 20;
        isReadable = true;
        QVERIFY(stepUntil(rig, 3s, [&] {
            return rig.firstEvent(AlarmMonitor::kDiskSpaceLow, AlarmEventKind::Activated).has_value();
        }));
        QVERIFY(rig.sincePowerOn() <= 2100ms);
        isReadable = false;
        freeBytes = std::uint64_t{10} << 30;
        rig.advanceTo(3s);
        QVERIFY(rig.alarms.status(AlarmMonitor::kDiskSpaceLow)->isConditionActive);
        QVERIFY(rig.alarms.diskCheckErrors() >= 9);
        isReadable = true;
        rig.advanceTo(3100ms);
        QVERIFY(rig.firstEvent(AlarmMonitor::kDiskSpaceLow, AlarmEventKind::ReturnedToNormal));
    }

    void diskFillingFastIsReadSoonerThanTheCheckPeriodSoItsAlarmComesBeforeTheDiskIsFull()
    {
        // 3 GB free until 1 s, then 1 GB a second is written: the 1024 MB minimum is passed at 3 s and
        // the disk is full at 4 s. Read only once a second, the alarm could come as late as 4 s, with
        // the disk full; read as fast as it fills, it comes with most of the last gigabyte free.
        constexpr std::uint64_t kGiB = std::uint64_t{1} << 30;
        ServiceRig *clock = nullptr;
        std::uint64_t reads = 0;
        AlarmMonitorOptions options;
        options.limits.diskSpaceMinimumMb = 1024;
        options.diskCheckPeriod = 1s;
        options.freeDiskBytes = [&]() -> std::optional<std::uintmax_t> {
            ++reads;
            const double seconds = std::chrono::duration<double>(clock->sincePowerOn()).count();
            const double written = std::max(0.0, seconds - 1.0) * double(kGiB);
            return static_cast<std::uintmax_t>(std::max(0.0, 3.0 * double(kGiB) - written));
        };
        ServiceRig rig({}, options);
        clock = &rig;
        rig.startAll();
        rig.advanceTo(1s);
        const std::uint64_t readsWhileIdle = reads;
        QVERIFY(readsWhileIdle <= 2); // once a second while nothing is written
        QVERIFY(stepUntil(rig, 4s, [&] {
            return rig.firstEvent(AlarmMonitor::kDiskSpaceLow, AlarmEventKind::Activated).has_value();
        }));
        const auto activated = rig.firstEvent(AlarmMonitor::kDiskSpaceLow, AlarmEventKind::Activated)->at;
        const double freeAtAlarm = 3.0 - std::max(0.0, std::chrono::duration<double>(rig.sincePowerOn(activated)).count() - 1.0);
        qInfo("alarm at %.3f s with %.2f GB free, after %llu readings",
              std::chrono::duration<double>(rig.sincePowerOn(activated)).count(), freeAtAlarm,
              static_cast<unsigned long long>(reads));
        QVERIFY2(freeAtAlarm > 0.75, "the alarm came with less than 0.75 GB of the last gigabyte free");
        QVERIFY(reads > readsWhileIdle + 2);
    }

    void diskSpaceIsReadFromTheDataFolderByDefault()
    {
        QTemporaryDir folder;
        QVERIFY(folder.isValid());
        const std::filesystem::path path = folder.path().toStdString();
        const std::uintmax_t available = std::filesystem::space(path).available;
        {
            AlarmMonitorOptions options;
            options.dataFolder = path;
            options.limits.diskSpaceMinimumMb = static_cast<std::int64_t>(available >> 20) + 4096;
            ServiceRig rig({}, options);
            rig.startAll();
            rig.advanceTo(100ms);
            QVERIFY(rig.firstEvent(AlarmMonitor::kDiskSpaceLow, AlarmEventKind::Activated));
            QCOMPARE(rig.alarms.diskCheckErrors(), std::uint64_t{0});
        }
        {
            AlarmMonitorOptions options;
            options.dataFolder = path;
            options.limits.diskSpaceMinimumMb = 0;
            ServiceRig rig({}, options);
            rig.startAll();
            rig.advanceTo(100ms);
            QVERIFY(rig.events().empty());
        }
        {
            AlarmMonitorOptions options;
            options.dataFolder = path / "missing" / "folder";
            ServiceRig rig({}, options);
            rig.startAll();
            rig.advanceTo(100ms);
            QCOMPARE(rig.alarms.diskCheckErrors(), std::uint64_t{1});
            QVERIFY(rig.events().empty());
        }
    }

    void theCurrentRunIsInEveryAlarmEventAndSample()
    {
        ServiceRig rig({"vacuum-drop:start=1s,duration=1s,kpa=20", "following-error:start=3s,duration=1s"});
        rig.runContext.setRunId(core::RunId(42));
        rig.startAll();
        rig.advanceTo(1800ms); // the vacuum alarm activated at 1.5 s
        const core::AlarmActor actor{"tina", "technician"};
        auto ack = rig.alarms.execute(
            pipelines::AlarmCommand::acknowledge(std::string(AlarmMonitor::kVacuumLow), actor, "clamp checked"));
        rig.executor.runReady();
        QCOMPARE(testing::ready(std::move(ack)), std::size_t{1});
        rig.advanceTo(2500ms);
        const auto firstRun = testing::drain(rig.poller.samples());
        rig.runContext.setRunId(core::RunId(43));
        rig.advanceTo(5s);
        const auto secondRun = testing::drain(rig.poller.samples());

        QVERIFY(!firstRun.empty());
        for (const pipelines::TelemetrySample &s : firstRun) {
            QCOMPARE(s.runId, core::RunId(42));
        }
        QVERIFY(!secondRun.empty());
        for (const pipelines::TelemetrySample &s : secondRun) {
            QCOMPARE(s.runId, core::RunId(43));
        }
        std::set<AlarmEventKind> kinds;
        for (const AlarmEvent &event : rig.events()) {
            kinds.insert(event.kind);
            const core::RunId expected = event.tag == AlarmMonitor::kVacuumLow ? core::RunId(42) : core::RunId(43);
            QCOMPARE(event.runId, expected);
        }
        QVERIFY(kinds.count(AlarmEventKind::Activated) && kinds.count(AlarmEventKind::Acknowledged) &&
                kinds.count(AlarmEventKind::ReturnedToNormal));
        QVERIFY(rig.firstEvent(AlarmMonitor::kFollowingError, AlarmEventKind::Activated));
    }

    void anActivationDuringARunRequestsTheRecipesActionForItsFaultClass()
    {
        std::vector<RunAction> actions;
        AlarmMonitorOptions options;
        options.onRunAction = [&](const RunAction &action) { actions.push_back(action); };
        ServiceRig rig({"vacuum-drop:start=1s,duration=1s,kpa=20", "following-error:start=3s,duration=1s",
                        "encoder-error:start=5s,duration=1s"},
                       options);
        rig.runContext.setRunId(core::RunId(42));
        rig.startAll();
        rig.advanceTo(4500ms);
        rig.runContext.clear(); // between runs: alarms, but no run to pause or abort
        rig.advanceTo(7s);
        QCOMPARE(actions.size(), std::size_t{2});
        QCOMPARE(actions[0].runId, core::RunId(42));
        QCOMPARE(actions[0].faultClass, core::FaultClass::Vacuum);
        QCOMPARE(actions[0].action, core::FaultAction::Abort);
        QCOMPARE(actions[0].tag, std::string(AlarmMonitor::kVacuumLow));
        QVERIFY(rig.sincePowerOn(actions[0].at) >= 1500ms && rig.sincePowerOn(actions[0].at) <= 1510ms);
        QCOMPARE(actions[1].faultClass, core::FaultClass::FollowingError);
        QCOMPARE(actions[1].action, core::FaultAction::Pause);
        QVERIFY(rig.firstEvent(AlarmMonitor::kEncoderFault, AlarmEventKind::Activated));
        QCOMPARE(rig.stats.find("alarm_monitor").value("run_actions"), std::int64_t{2});
    }

    void aShelvedAlarmOrOneWithoutAFaultClassRequestsNoRunAction()
    {
        std::vector<RunAction> actions;
        AlarmMonitorOptions options;
        runtime::Counter underruns;
        options.counters.poolExhausted = [&underruns] { return underruns.value(); };
        options.onRunAction = [&](const RunAction &action) { actions.push_back(action); };
        ServiceRig rig({"vacuum-drop:start=1s,duration=1s,kpa=20"}, options);
        rig.runContext.setRunId(core::RunId(42));
        rig.startAll();
        const core::AlarmActor tina{"tina", "technician"};
        const std::string tag(AlarmMonitor::kVacuumLow);
        auto shelve = rig.alarms.execute(pipelines::AlarmCommand::shelve(tag, 1h, tina, "sensor being replaced"));
        rig.executor.runReady();
        QCOMPARE(testing::ready(std::move(shelve)), std::size_t{1});
        underruns.add();
        rig.advanceTo(3s);
        QVERIFY(rig.firstEvent(AlarmMonitor::kVacuumLow, AlarmEventKind::Activated));
        QVERIFY(rig.firstEvent(AlarmMonitor::kFramePoolExhausted, AlarmEventKind::Activated));
        QVERIFY(actions.empty());
    }

    void aRunActionCallbackThatThrowsIsCountedAndMonitoringGoesOn()
    {
        AlarmMonitorOptions options;
        options.onRunAction = [](const RunAction &) { throw std::runtime_error("engine gone"); };
        ServiceRig rig({"encoder-error:start=1s,duration=1s", "following-error:start=3s,duration=1s"}, options);
        rig.runContext.setRunId(core::RunId(42));
        rig.startAll();
        rig.advanceTo(4s);
        QVERIFY(rig.firstEvent(AlarmMonitor::kFollowingError, AlarmEventKind::Activated));
        QCOMPARE(rig.stats.find("alarm_monitor").value("run_action_errors"), std::int64_t{2});
        QCOMPARE(rig.executor.failedJobs(), 0);
    }

    void newLimitsFromAnotherThreadApplyFromTheNextTick()
    {
        ServiceRig rig;
        rig.startAll();
        rig.advanceTo(1s);
        core::Recipe::Alarms limits;
        limits.vacuum.minimumKpa = 85.0; // above what the chuck holds
        limits.vacuum.delay = 100ms;
        core::Recipe::FaultActions actions;
        runtime::ValueTask<void> apply;
        std::thread([&] { apply = rig.alarms.applyLimits(limits, actions); }).join();
        QVERIFY(rig.events().empty());
        rig.executor.runReady();
        testing::ready(std::move(apply));
        rig.advanceTo(1200ms);
        const auto activated = rig.firstEvent(AlarmMonitor::kVacuumLow, AlarmEventKind::Activated);
        QVERIFY(activated);
        QVERIFY(rig.sincePowerOn(activated->at) <= 1110ms);
    }

    void definitionsNameEveryRuleOnceAndMapFaultClasses()
    {
        const auto definitions = AlarmMonitor::definitions();
        QCOMPARE(definitions.size(), AlarmMonitor::kRuleCount);
        const core::AlarmModel model(definitions); // validates every definition, and that tags are unique
        QCOMPARE(model.alarms().size(), AlarmMonitor::kRuleCount);
        QCOMPARE(AlarmMonitor::faultClassOf(AlarmMonitor::kHeartbeatLost), std::optional(core::FaultClass::Heartbeat));
        QCOMPARE(AlarmMonitor::faultClassOf(AlarmMonitor::kDiskSpaceLow), std::optional(core::FaultClass::DiskSpace));
        QCOMPARE(AlarmMonitor::faultClassOf(AlarmMonitor::kStagingBacklog), std::optional<core::FaultClass>());
        QCOMPARE(AlarmMonitor::faultClassOf("no.such"), std::optional<core::FaultClass>());
        std::set<core::FaultClass> classes;
        for (const core::AlarmDefinition &d : definitions) {
            if (const auto c = AlarmMonitor::faultClassOf(d.tag)) {
                classes.insert(*c);
            }
        }
        QCOMPARE(classes.size(), std::size(core::kAllFaultClasses)); // every fault class has its alarm
    }

    void monitoringAHealthyMachineAllocatesNothingPerTick()
    {
        QTemporaryDir folder;
        runtime::Counter lost;
        AlarmMonitorOptions options;
        options.dataFolder = folder.path().toStdString();
        options.limits.diskSpaceMinimumMb = 0;
        options.diskCheckPeriod = 100ms;
        options.counters.framesLost = [&lost] { return lost.value(); };
        ServiceRig rig({}, options);
        rig.runContext.setRunId(core::RunId(42));
        rig.startAll();
        rig.advanceTo(1s);
        const std::uint64_t ticks = rig.alarms.ticks();
        const AllocationScope scope;
        rig.advanceTo(4s);
        QCOMPARE(scope.thread(), std::uint64_t{0});
        QCOMPARE(rig.alarms.ticks(), ticks + 300);
        QVERIFY(rig.events().empty());
    }
};

QTEST_GUILESS_MAIN(AlarmMonitorTest)
#include "alarm_monitor_test.moc"
