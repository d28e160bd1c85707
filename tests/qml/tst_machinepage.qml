import QtQuick
import QtTest
import Waferscope.Console

// The Machine page: a heartbeat stop started from the page's simulator shows the heartbeat lost and
// the equipment unscheduled down, then alive, and standby again once a technician has acknowledged
// the alarm that blocks Start (or engineering while an engineer is logged in). The fault starts when the test asks, not at power-on, so a slow start cannot miss it.
ConsoleTestCase {
    id: testCase
    name: "MachinePage"
    subject: Component { MachinePage { anchors.fill: parent } }

    function test_aLostHeartbeatShowsAsUnscheduledDownUntilItBeatsAgain() {
        const e10 = named("e10State")
        const heartbeat = named("heartbeatState")
        login("operator")
        tryCompare(heartbeat, "value", "alive", 15000)
        tryCompare(e10, "text", "standby", 5000)
        const stop = viewModel.machine.simulatorFaults.indexOf("Heartbeat stop (3 s)")
        verify(stop >= 0, "the simulator offers a heartbeat stop")
        mouseClick(named("simulateFault" + stop))
        compare(viewModel.machine.errorText, "")
        tryCompare(e10, "text", "unscheduled down", 5000)
        compare(heartbeat.value, "LOST")
        tryCompare(heartbeat, "value", "alive", 15000)
        // Beating again, but the critical heartbeat.lost alarm still blocks Start until a
        // technician acknowledges it: still down time, not standby.
        tryCompare(e10, "text", "unscheduled down", 5000)
        logout()
        login("technician")
        tryVerify(() => viewModel.machine.e10State === "unscheduled down", 5000, "still down before the acknowledgement")
        valueOf(viewModel.alarms.acknowledge("heartbeat.lost", ""), "the acknowledgement")
        tryCompare(e10, "text", "standby", 5000)
        compare(e10.text, viewModel.machine.e10State)
    }

    function test_theHeartbeatPulseFollowsTheBeats() {
        tryCompare(named("heartbeatState"), "value", "alive", 15000)
        const pulse = named("heartbeatPulse")
        const sequence = viewModel.machine.heartbeatSequence
        tryVerify(() => pulse.lastSequence > sequence, 5000, "the pulse sees a new beat")
        compare(Qt.colorEqual(pulse.color, Theme.good), true)
    }

    function test_anEngineersRunIsEngineeringAndAnIdleMachineStandbyWhoeverIsLoggedIn() {
        tryCompare(named("heartbeatState"), "value", "alive", 15000)
        tryCompare(named("e10State"), "text", "standby", 5000)
        login("engineer")
        let refreshes = 0
        const count = () => ++refreshes
        viewModel.machine.refreshed.connect(count)
        tryVerify(() => refreshes >= 2, 5000, "the machine is read again")
        viewModel.machine.refreshed.disconnect(count)
        compare(named("e10State").text, "standby")
        viewModel.run.lotId = "LOT-ENGINEERING"
        viewModel.run.waferCount = 25
        verify(valueOf(viewModel.run.start(), "the start"), viewModel.run.errorText)
        tryCompare(named("e10State"), "text", "engineering", 10000)
        verify(viewModel.run.abort(), viewModel.run.errorText)
        tryCompare(named("e10State"), "text", "standby", 10000)
    }

    function test_theDevicesAreShown() {
        tryVerify(() => viewModel.machine.hasData, 5000, "the machine is polled")
        const vacuum = named("vacuumTile")
        tryVerify(() => vacuum.value === viewModel.machine.vacuumKpa.toFixed(1) + " kPa"
                         + (viewModel.machine.vacuumOn ? "" : " (off)"), 5000, vacuum.value)
        compare(named("encoderState").value, "healthy")
    }

    function test_aTechnicianStartsAndEndsMaintenanceAndTheShiftTableCountsIt() {
        const e10 = named("e10State")
        const button = named("maintenanceButton")
        const reason = named("maintenanceReason")
        login("operator")
        tryCompare(e10, "text", "standby", 15000)
        compare(button.enabled, false) // an operator may not
        compare(reason.enabled, false)
        logout()
        login("technician")
        tryCompare(reason, "enabled", true)
        compare(button.enabled, false) // not without a reason
        mouseClick(reason)
        reason.text = "lamp replacement"
        tryCompare(button, "enabled", true)
        mouseClick(button)
        tryCompare(e10, "text", "scheduled down", 5000)
        compare(named("maintenanceText").text, "Maintenance: lamp replacement")
        compare(button.text, "End maintenance")
        compare(reason.visible, false)
        // The state is stored, and the shift table reads it back: this shift has scheduled-down time.
        tryVerify(() => {
            viewModel.equipmentTimes.refresh()
            const rows = viewModel.equipmentTimes.shifts
            return rows.length > 0 && rows[0].scheduledDown !== "0 s"
        }, 15000, "the scheduled down time is counted in this shift")
        verify(viewModel.equipmentTimes.shifts[0].shift.endsWith("(now)"), viewModel.equipmentTimes.shifts[0].shift)
        tryVerify(() => named("shiftTimesRows").count === viewModel.equipmentTimes.shifts.length, 5000, "every shift is listed")
        mouseClick(button)
        tryCompare(e10, "text", "standby", 5000)
        compare(button.text, "Start maintenance")
        compare(named("machineError").visible, false)
    }
}
