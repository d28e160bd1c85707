import QtQuick
import QtQuick.Controls
import QtTest
import Waferscope.Console

// The Alarms page on a machine whose heartbeat stops at power-on: the controller's heartbeat.lost
// alarm (critical) comes within the heartbeat timeout (500 ms) and stays active for the test.
ConsoleTestCase {
    id: testCase
    name: "AlarmsPage"
    faults: ["heartbeat-stop:start=0s,duration=600s"]
    subject: Component { AlarmsPage { anchors.fill: parent } }

    readonly property string tag: "heartbeat.lost"

    /// The table's row of `tag` once the alarm is listed.
    function alarmRow() {
        const table = named("alarmTable")
        tryVerify(() => table.count > 0, 10000, "the alarm is listed")
        for (let i = 0; i < table.count; ++i) {
            const row = table.itemAtIndex(i)
            if (row !== null && row.tag === tag)
                return row
        }
        fail("no row for " + tag)
    }

    function test_theLostHeartbeatIsListedUnacknowledged() {
        const row = alarmRow()
        compare(row.priority, "critical")
        compare(row.source, "controller")
        compare(row.isUnacknowledged, true)
        compare(row.isShelved, false)
        compare(viewModel.alarms.bannerTag, tag)
        compare(viewModel.alarms.unacknowledgedCount, 1)
        compare(named("floodState").text, "No alarm flood")
        // The history of this session shows the alarm coming.
        tryVerify(() => named("historyList").count > 0, 5000, "the alarm is in the history")
    }

    function test_anOperatorCannotAcknowledge() {
        login("operator")
        alarmRow()
        const acknowledge = named("acknowledge_" + tag)
        compare(acknowledge.visible, true)
        compare(acknowledge.enabled, false)
        compare(named("acknowledgeAllButton").enabled, false)
        compare(named("shelve_" + tag).enabled, false)
        // The view model refuses as well: hiding the button is not the only guard.
        compare(valueOf(viewModel.alarms.acknowledge(tag, ""), "the acknowledge"), false)
        verify(viewModel.alarms.errorText.indexOf("operator") >= 0, viewModel.alarms.errorText)
        tryCompare(named("alarmError"), "visible", true)
        compare(named("alarmError").text, viewModel.alarms.errorText)
        compare(valueOf(viewModel.alarms.shelve(tag, 30, "no reason to"), "the shelve"), false)
        viewModel.alarms.refresh()
        wait(500)
        compare(alarmRow().isUnacknowledged, true)
        compare(viewModel.alarms.unacknowledgedCount, 1)
        compare(viewModel.alarms.bannerTag, tag)
    }

    function test_aTechnicianAcknowledgesFromTheTable() {
        login("technician")
        const before = alarmRow().alarmState
        const acknowledge = named("acknowledge_" + tag)
        tryCompare(acknowledge, "enabled", true)
        mouseClick(acknowledge)
        tryVerify(() => !alarmRow().isUnacknowledged, 5000, "the row is acknowledged")
        const row = alarmRow()
        verify(row.alarmState !== before, "the row's state changes from " + before)
        verify(row.detail.indexOf("acknowledged by technician") >= 0, row.detail)
        // The table's rows are made anew when an alarm changes.
        compare(named("acknowledge_" + tag).visible, false)
        compare(viewModel.alarms.unacknowledgedCount, 0)
        compare(viewModel.alarms.hasBanner, false)
        compare(viewModel.alarms.errorText, "")
    }

    function test_shelvingNeedsAReasonAndUnshelvingBringsTheAlarmBack() {
        login("technician")
        alarmRow()
        const shelve = named("shelve_" + tag)
        tryCompare(shelve, "enabled", true)
        compare(shelve.text, "Shelve…")
        mouseClick(shelve)
        const dialog = named("shelveDialog")
        tryCompare(dialog, "opened", true)
        compare(dialog.tag, tag)
        const ok = dialog.standardButton(Dialog.Ok)
        compare(ok.enabled, false)
        const reason = findChild(dialog, "shelveReason")
        verify(reason !== null, "the dialog asks for a reason")
        reason.text = "   "
        compare(ok.enabled, false)
        reason.text = "controller being replaced"
        compare(ok.enabled, true)
        mouseClick(ok)
        tryVerify(() => alarmRow().isShelved, 5000, "the alarm is shelved")
        verify(alarmRow().detail.indexOf("controller being replaced") >= 0, alarmRow().detail)
        tryCompare(viewModel.alarms, "hasBanner", false)
        tryCompare(named("shelve_" + tag), "text", "Unshelve")

        mouseClick(named("shelve_" + tag))
        tryVerify(() => !alarmRow().isShelved, 5000, "the alarm is unshelved")
        tryCompare(viewModel.alarms, "bannerTag", tag)
        compare(named("shelve_" + tag).text, "Shelve…")
    }

    function test_theShelveDialogIsAnsweredFromTheKeyboard() {
        login("technician")
        alarmRow()
        mouseClick(named("shelve_" + tag))
        const dialog = named("shelveDialog")
        tryCompare(dialog, "opened", true)
        const reason = findChild(dialog, "shelveReason")
        tryCompare(reason, "activeFocus", true)
        keyClick(Qt.Key_Return) // no reason yet: nothing happens
        compare(dialog.visible, true)
        keySequence("a")
        keyClick(Qt.Key_Space)
        keySequence("t,e,s,t")
        compare(reason.text, "a test")
        keyClick(Qt.Key_Return)
        tryCompare(dialog, "visible", false)
        tryVerify(() => alarmRow().isShelved, 5000, "the alarm is shelved")
        verify(alarmRow().detail.indexOf("a test") >= 0, alarmRow().detail)
    }

    function test_cancellingTheShelveDialogChangesNothing() {
        login("technician")
        alarmRow()
        mouseClick(named("shelve_" + tag))
        const dialog = named("shelveDialog")
        tryCompare(dialog, "opened", true)
        findChild(dialog, "shelveReason").text = "changed my mind"
        mouseClick(dialog.standardButton(Dialog.Cancel))
        tryCompare(dialog, "visible", false)
        wait(500)
        compare(alarmRow().isShelved, false)
        compare(viewModel.alarms.bannerTag, tag)
    }

    function test_theHistoryFilterNarrowsTheHistory() {
        const history = named("historyList")
        tryVerify(() => history.count > 0, 5000, "the alarm is in the history")
        const filter = named("historyFilter")
        filter.text = "no such alarm"
        tryCompare(history, "count", 0)
        filter.text = "heartbeat"
        tryVerify(() => history.count > 0, 5000, "the filter keeps the heartbeat alarm")
    }

    function test_aDisabledCommandButtonLooksDisabled() {
        login("operator")
        alarmRow()
        const all = named("acknowledgeAllButton")
        compare(all.enabled, false)
        verify(all.opacity < 0.6, "a disabled button is faded: " + all.opacity)
        logout()
        login("technician")
        tryCompare(all, "enabled", true)
        compare(all.opacity, 1)
    }

    function test_theHistoryTabShowsWhoAcknowledgedFromTheDatabaseAndSorts() {
        login("technician")
        alarmRow()
        compare(valueOf(viewModel.alarms.acknowledge(tag, "checked the controller"), "the acknowledge"), true)
        mouseClick(named("alarmLogTab"))
        tryCompare(named("alarmLogPane"), "visible", true)
        const log = viewModel.alarmLog
        // The events reach the database through the persistence writer's queue: read until they are there.
        tryVerify(() => {
            if (!log.isBusy)
                log.refresh()
            return log.count >= 2 && log.cell(0, 3) === "Acknowledged"
        }, 10000, "the activation and the acknowledgement are in the log")
        tryCompare(log, "isBusy", false)
        compare(log.cell(0, 1), tag)
        compare(log.cell(0, 5), "technician (technician)")
        compare(log.cell(0, 6), "checked the controller")
        compare(log.cell(log.count - 1, 3), "Activated")
        // Whole times, in bold rows too.
        const logView = named("alarmLogTableView")
        for (let row = 0; row < log.count; ++row) {
            const cell = logView.itemAtCell(Qt.point(0, row))
            if (cell === null)
                continue
            const text = findChild(cell, "cellText")
            verify(!text.truncated, "row " + row + " shows its time whole: " + text.text + " (bold: " + text.font.bold + ")")
        }

        const header = named("alarmLogTableHeader")
        let x = log.columnWidth(0) / 2
        mouseClick(header, x, header.height / 2)
        tryCompare(log, "sortColumn", 0)
        compare(log.isSortAscending, true)
        compare(log.cell(0, 3), "Activated")
        mouseClick(header, x, header.height / 2)
        tryCompare(log, "isSortAscending", false)
        compare(log.cell(0, 3), "Acknowledged")

        named("alarmLogFilterText").text = "controller"
        compare(log.count, 1)
        compare(named("alarmLogFilterStatus").text, log.statusText)
    }

    function test_thePerformanceTabShowsTheKpisOfTheStoredAlarms() {
        login("technician")
        alarmRow()
        compare(valueOf(viewModel.alarms.acknowledge(tag, "checked the controller"), "the acknowledge"), true)
        mouseClick(named("alarmKpiTab"))
        tryCompare(named("alarmKpiPane"), "visible", true)
        const kpis = viewModel.alarmKpis
        // The activation and the acknowledgement reach the database through the writer's queue.
        tryVerify(() => {
            if (!kpis.isLoading)
                mouseClick(named("kpiRefresh"))
            return kpis.users.length === 1 && kpis.badActors.length === 1
        }, 10000, "the stored activation and acknowledgement are measured")
        compare(kpis.badActors[0].tag, tag)
        compare(kpis.badActors[0].share, "100 %")
        compare(kpis.users[0].user, "technician")
        compare(kpis.users[0].acknowledgements, 1)
        // The heartbeat is still lost: its alarm stands, not yet stale.
        compare(kpis.standing.length, 1)
        compare(kpis.standing[0].tag, tag)
        compare(kpis.standing[0].stale, false)
        compare(named("kpiRate").value, kpis.rateText)
        compare(named("kpiRate").tone, Theme.good)
        verify(named("kpiPeriodText").text.endsWith("1 alarm(s)"), named("kpiPeriodText").text)
        // The rows are on screen, in the lists' own columns.
        tryVerify(() => named("kpiBadActorListRows").count === 1, 5000, "the bad actor is listed")
        tryVerify(() => named("kpiStandingListRows").count === 1, 5000, "the standing alarm is listed")
        // Every list lies inside the pane: long headline texts wrap instead of widening the columns.
        const pane = named("alarmKpiPane")
        for (const name of ["kpiBadActorList", "kpiFloodList", "kpiStandingList", "kpiChatteringList", "kpiUserList"]) {
            const list = named(name)
            verify(list.width > 200 && list.mapToItem(pane, list.width, 0).x <= pane.width + 1,
                   name + " spans " + list.mapToItem(pane, 0, 0).x + "…" + list.mapToItem(pane, list.width, 0).x + " of " + pane.width)
        }

        // Another period reads the store again.
        const period = named("kpiPeriod")
        period.currentIndex = 3
        period.activated(3)
        tryCompare(kpis, "periodIndex", 3)
        tryCompare(kpis, "isLoading", false)
        verify(named("kpiPeriodText").text.endsWith("1 alarm(s)"), named("kpiPeriodText").text)
    }
}
