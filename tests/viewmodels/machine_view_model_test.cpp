#include <QSignalSpy>
#include <QTest>

#include <algorithm>

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
        QCOMPARE(machine.e10State(), QString("standby")); // an engineer at an idle machine: still idle
        rig.engine.setProgress(running);
        machine.refresh();
        QCOMPARE(machine.e10State(), QString("engineering")); // a run at an engineer's hands
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

    void everyChangeOfTheEquipmentStateIsRecordedOnce()
    {
        FakeRig rig;
        SessionViewModel session(rig.services());
        MachineViewModel machine(rig.services(), session);
        using waferscope::core::EquipmentState;
        QCOMPARE(rig.engine.equipmentStates().size(), 1u); // the state at start
        QCOMPARE(rig.engine.equipmentStates().back().state, EquipmentState::Standby);
        machine.refresh();
        machine.refresh();
        QCOMPARE(rig.engine.equipmentStates().size(), 1u); // unchanged: nothing more
        rig.engine.setCondition(FakeEngine::kHeartbeatLost, true);
        machine.refresh();
        QCOMPARE(rig.engine.equipmentStates().size(), 2u);
        QCOMPARE(rig.engine.equipmentStates().back().state, EquipmentState::UnscheduledDown);
        QVERIFY(rig.engine.equipmentStates().back().at >= rig.engine.equipmentStates().front().at);
    }

    void aTechnicianPutsTheMachineIntoScheduledMaintenanceWhichBlocksStart()
    {
        FakeRig rig;
        SessionViewModel session(rig.services());
        MachineViewModel machine(rig.services(), session);
        QSignalSpy changed(&machine, &MachineViewModel::maintenanceChanged);
        // An operator may not; nobody may without a reason.
        QVERIFY(QCoro::waitFor(session.loginTask("operator", "operator")));
        QVERIFY(!machine.canChangeMaintenance());
        QVERIFY(!machine.startMaintenance("lamp replacement"));
        QVERIFY2(machine.errorText().contains("technician"), qPrintable(machine.errorText()));
        QVERIFY(!machine.isInMaintenance());
        QVERIFY(QCoro::waitFor(session.loginTask("technician", "technician")));
        QVERIFY(machine.canChangeMaintenance());
        QVERIFY(!machine.startMaintenance("   "));
        QVERIFY2(machine.errorText().contains("Say why"), qPrintable(machine.errorText()));
        // Not during a run.
        waferscope::pipelines::EngineFacade::Progress running;
        running.isRunning = true;
        running.state = waferscope::core::RunState::Running;
        rig.engine.setProgress(running);
        QVERIFY(!machine.startMaintenance("lamp replacement"));
        QVERIFY2(machine.errorText().contains("run is in progress"), qPrintable(machine.errorText()));
        rig.engine.setProgress({});

        QVERIFY(machine.startMaintenance("lamp replacement"));
        QCOMPARE(machine.errorText(), QString());
        QVERIFY(machine.isInMaintenance());
        QCOMPARE(machine.maintenanceReason(), QString("lamp replacement"));
        QCOMPARE(machine.e10State(), QString("scheduled down"));
        QCOMPARE(rig.engine.equipmentStates().back().state, waferscope::core::EquipmentState::ScheduledDown);
        QCOMPARE(rig.engine.startInterlock(), std::string("the machine is in scheduled maintenance (lamp replacement)"));
        QVERIFY(changed.count() >= 1);

        QVERIFY(machine.endMaintenance());
        QVERIFY(!machine.isInMaintenance());
        QCOMPARE(rig.engine.startInterlock(), std::string());
        QCOMPARE(machine.e10State(), QString("standby")); // a technician at an idle machine
        QVERIFY(!machine.endMaintenance());
        QVERIFY2(machine.errorText().contains("not in maintenance"), qPrintable(machine.errorText()));

        QTRY_VERIFY(rig.audit().size() >= 2);
        const auto audit = rig.audit();
        const auto has = [&audit](const std::string &action, const std::string &detail) {
            return std::any_of(audit.begin(), audit.end(), [&](const auto &e) {
                return e.action == action && e.detail == detail && e.userName == "technician";
            });
        };
        QVERIFY(has("machine.maintenance.start", "lamp replacement"));
        QVERIFY(has("machine.maintenance.end", "lamp replacement"));
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
