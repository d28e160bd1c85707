#include <QTest>

#include <chrono>
#include <optional>
#include <stop_token>

#include <waferscope/hardware/sim/simulated_machine.h>
#include <waferscope/pipelines/services/alarm_monitor.h>
#include <waferscope/pipelines/services/hardware_poller.h>
#include <waferscope/pipelines/services/heartbeat_monitor.h>
#include <waferscope/pipelines/services/run_context.h>
#include <waferscope/pipelines/services/telemetry_batcher.h>
#include <waferscope/runtime/errors.h>
#include <waferscope/runtime/stats_registry.h>
#include <waferscope/runtime/sync_wait.h>
#include <waferscope/runtime/thread_executor.h>
#include <waferscope/testing/watchdog.h>

#include "service_fixtures.h"

using namespace std::chrono_literals;
using namespace waferscope;

namespace {

/// Every background service on threads of its own, beside a simulated machine in real time: the
/// poller and the batcher on one executor, the heartbeat and alarm monitors on another.
struct Services {
    explicit Services(std::initializer_list<std::string_view> faults)
        : machine(testing::serviceConfig(faults))
        , poller(machine, runContext, {}, &stats)
        , heartbeat(machine.controller(), {}, &stats)
        , alarms(monitoring, poller, heartbeat, runContext, {}, &stats)
        , batcher(poller.samples(), {}, &stats)
    {
    }
    ~Services() { shutDown(); }

    void start()
    {
        polling.spawn(poller.run(stop.get_token()));
        polling.spawn(batcher.run(stop.get_token()));
        monitoring.spawn(heartbeat.run(stop.get_token()));
        monitoring.spawn(alarms.run(stop.get_token()));
    }
    void shutDown()
    {
        polling.stop();
        monitoring.stop();
    }

    runtime::StatsRegistry stats;
    hardware::sim::SimulatedMachine machine;
    pipelines::RunContext runContext;
    runtime::ThreadExecutor polling{"polling", &stats};
    runtime::ThreadExecutor monitoring{"monitoring", &stats};
    pipelines::HardwarePoller poller;
    pipelines::HeartbeatMonitor heartbeat;
    pipelines::AlarmMonitor alarms;
    pipelines::TelemetryBatcher batcher;
    std::stop_source stop;
};

} // namespace

class ServicesTest : public QObject
{
    Q_OBJECT

private slots:
    void aStopRequestEndsEveryServiceCleanly()
    {
        const testing::Watchdog watchdog("services stop");
        Services services({"encoder-error:start=0s,duration=1h"});
        services.runContext.setRunId(core::RunId(9));
        services.start();
        // The alarm and the first telemetry batch show every service at work.
        const core::AlarmEvent activated = runtime::syncWait(services.alarms.events().read());
        QCOMPARE(activated.tag, std::string(pipelines::AlarmMonitor::kEncoderFault));
        QCOMPARE(activated.runId, core::RunId(9));
        const pipelines::TelemetryBatch batch = runtime::syncWait(services.batcher.batches().read());
        QVERIFY(!batch.isEmpty());
        QCOMPARE(batch.samples().front().runId, core::RunId(9));

        services.stop.request_stop();
        services.shutDown();
        QCOMPARE(services.polling.liveJobs(), std::int64_t{0});
        QCOMPARE(services.monitoring.liveJobs(), std::int64_t{0});
        QCOMPARE(services.polling.failedJobs() + services.monitoring.failedJobs(), std::uint64_t{0});
        QVERIFY(services.poller.samples().isCompleted());
        QVERIFY(services.alarms.events().isCompleted());
        QVERIFY(services.batcher.batches().isCompleted());
        QVERIFY(services.heartbeat.status().isAlive);
    }

    void anExecutorShutdownEndsEveryServiceCleanly()
    {
        const testing::Watchdog watchdog("services shutdown");
        Services services({});
        services.start();
        static_cast<void>(runtime::syncWait(services.batcher.batches().read()));
        services.shutDown(); // no stop request: the executors cancel the services' waits
        QCOMPARE(services.polling.liveJobs(), std::int64_t{0});
        QCOMPARE(services.monitoring.liveJobs(), std::int64_t{0});
        QCOMPARE(services.polling.failedJobs() + services.monitoring.failedJobs(), std::uint64_t{0});
        QVERIFY(services.batcher.batches().isCompleted());
        QVERIFY(services.alarms.events().isCompleted());
        for (const char *name : {"hardware_poller", "heartbeat_monitor", "alarm_monitor", "telemetry_batcher"}) {
            QVERIFY2(!services.stats.find(name).metrics.empty(), name);
        }
        QVERIFY(services.stats.find("heartbeat_monitor").value("beats") > 0);
    }
};

QTEST_GUILESS_MAIN(ServicesTest)
#include "services_test.moc"
