#include <QTest>

#include <waferscope/viewmodels/machine/machine_view_model.h>

#include "fake_rig.h"

using waferscope::testing::FakeEngine;
using waferscope::testing::FakeRig;
using waferscope::viewmodels::MachineViewModel;
using waferscope::viewmodels::SessionViewModel;

class MachineViewModelTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void theDevicesAndTheHeartbeatComeFromTheEngineSnapshots()
    {
        FakeRig rig;
        waferscope::pipelines::DeviceSnapshot devices;
        devices.pollCount = 1;
        devices.vacuum.pressureKpa = 42.5;
        devices.vacuum.isWaferClamped = true;
        devices.stage.position.x = 12.0;
        rig.engine.setDevices(devices);
        waferscope::pipelines::HeartbeatStatus heartbeat;
        heartbeat.lastSequence = 77;
        heartbeat.latencyP50 = std::chrono::microseconds(1500);
        rig.engine.setHeartbeat(heartbeat);
        SessionViewModel session(rig.services());
        MachineViewModel machine(rig.services(), session);
        QCOMPARE(machine.machineName(), QString("fake-machine"));
        QVERIFY(machine.hasData());
        QCOMPARE(machine.vacuumKpa(), 42.5);
        QVERIFY(machine.waferClamped());
        QCOMPARE(machine.stageXMm(), 12.0);
        QCOMPARE(machine.heartbeatSequence(), qulonglong{77});
        QCOMPARE(machine.heartbeatLatencyMs(), 1.5);
    }

    void theEquipmentStateFollowsRunsAlarmsAndTheHeartbeat()
    {
        FakeRig rig;
        SessionViewModel session(rig.services());
        MachineViewModel machine(rig.services(), session);
        QCOMPARE(machine.e10State(), QString("standby"));
        waferscope::pipelines::EngineFacade::Progress running;
        running.isRunning = true;
        running.state = waferscope::core::RunState::Running;
        rig.engine.setProgress(running);
        machine.refresh();
        QCOMPARE(machine.e10State(), QString("productive"));
        rig.engine.setCondition(FakeEngine::kHeartbeatLost, true);
        machine.refresh();
        QCOMPARE(machine.e10State(), QString("unscheduled down"));
        rig.engine.setCondition(FakeEngine::kHeartbeatLost, false);
        rig.engine.setProgress({});
        QVERIFY(QCoro::waitFor(session.loginTask("engineer", "engineer")));
        machine.refresh();
        QCOMPARE(machine.e10State(), QString("engineering"));
        waferscope::pipelines::HeartbeatStatus lost;
        lost.isAlive = false;
        rig.engine.setHeartbeat(lost);
        machine.refresh();
        QCOMPARE(machine.e10State(), QString("unscheduled down"));
        rig.engine.setHeartbeat({});
        machine.refresh();
        QCOMPARE(machine.e10State(), QString("engineering"));
        // A condition that has passed but still blocks Start until acknowledged: down, not idle.
        rig.engine.setStartInterlock("vacuum.low (critical) is not acknowledged");
        machine.refresh();
        QCOMPARE(machine.e10State(), QString("unscheduled down"));
        rig.engine.setStartInterlock({});
        machine.refresh();
        QCOMPARE(machine.e10State(), QString("engineering"));
    }

    void aLoggedInUserStartsASimulatorFaultOnTheEngineAndItIsAudited()
    {
        FakeRig rig;
        SessionViewModel session(rig.services());
        MachineViewModel machine(rig.services(), session);
        QVERIFY(!machine.simulatorFaults().isEmpty());
        QVERIFY(!machine.simulateFault(0));
        QVERIFY(machine.errorText().startsWith("Log in"));
        QVERIFY(rig.engine.injectedFaults().empty());
        QVERIFY(QCoro::waitFor(session.loginTask("operator", "operator")));
        QVERIFY(machine.simulateFault(0));
        QVERIFY(machine.errorText().isEmpty());
        QCOMPARE(rig.engine.injectedFaults().size(), std::size_t{1});
        QVERIFY(rig.engine.injectedFaults().front().starts_with("vacuum-drop:"));
        const auto audit = rig.audit();
        QCOMPARE(audit.front().action, std::string("simulator.fault"));
        QCOMPARE(audit.front().detail, rig.engine.injectedFaults().front());
        QVERIFY(!machine.simulateFault(99));
        QVERIFY(machine.errorText().contains("99"));
    }

    void aRealMachineListsNoFaultsAndRefusesOne()
    {
        FakeRig rig;
        rig.engine.setSimulated(false);
        SessionViewModel session(rig.services());
        MachineViewModel machine(rig.services(), session);
        QVERIFY(!machine.isSimulated());
        QVERIFY(machine.simulatorFaults().isEmpty());
        QVERIFY(QCoro::waitFor(session.loginTask("admin", "admin")));
        QVERIFY(!machine.simulateFault(0));
        QVERIFY(machine.errorText().contains("simulated machine"));
        QVERIFY(rig.engine.injectedFaults().empty());
    }
};

QTEST_GUILESS_MAIN(MachineViewModelTest)
#include "machine_view_model_test.moc"
