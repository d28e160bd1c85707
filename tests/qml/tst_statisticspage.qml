import QtQuick
import QtTest
import Waferscope.Console

// The Statistics page is for engineers and admins: others see a notice and no numbers.
ConsoleTestCase {
    id: testCase
    name: "StatisticsPage"
    subject: Component { StatisticsPage { anchors.fill: parent } }

    function test_nobodyLoggedInSeesOnlyTheNotice() {
        compare(named("notAllowed").visible, true)
        compare(named("statsTable").visible, false)
        wait(600) // more than two refresh periods
        compare(named("statsTable").count, 0)
    }

    function test_anOperatorSeesNotAllowed() {
        login("operator")
        compare(viewModel.statistics.isAllowed, false)
        compare(named("notAllowed").visible, true)
        compare(named("notAllowed").text, "Pipeline statistics are for engineers and admins")
        compare(named("statsTable").visible, false)
        wait(600)
        compare(named("statsTable").count, 0)
    }

    function test_anEngineerSeesTheTableUntilLoggingOut() {
        login("engineer")
        tryCompare(named("notAllowed"), "visible", false)
        const table = named("statsTable")
        tryCompare(table, "visible", true)
        tryVerify(() => table.count > 0, 5000, "the table fills")
        compare(table.count, viewModel.statistics.table.rowCount())
        const refreshes = viewModel.statistics.refreshCount
        tryVerify(() => viewModel.statistics.refreshCount > refreshes, 5000, "the statistics refresh")
        verify(named("lagTile").value.indexOf(" ms") > 0, named("lagTile").value)
        logout()
        tryCompare(named("notAllowed"), "visible", true)
        compare(table.visible, false)
    }

    function test_anAdminSeesTheTable() {
        login("admin")
        tryCompare(named("notAllowed"), "visible", false)
        tryVerify(() => named("statsTable").count > 0, 5000, "the table fills")
    }
}
