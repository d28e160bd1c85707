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
        compare(viewModel.statistics.table.count, 0)
    }

    function test_anOperatorSeesNotAllowed() {
        login("operator")
        compare(viewModel.statistics.isAllowed, false)
        compare(named("notAllowed").visible, true)
        compare(named("notAllowed").text, "Pipeline statistics are for engineers and admins")
        compare(named("statsTable").visible, false)
        wait(600)
        compare(viewModel.statistics.table.count, 0)
    }

    function test_anEngineerSeesTheTableUntilLoggingOut() {
        login("engineer")
        tryCompare(named("notAllowed"), "visible", false)
        const table = named("statsTable")
        tryCompare(table, "visible", true)
        const model = viewModel.statistics.table
        tryVerify(() => model.count > 0, 5000, "the table fills")
        tryCompare(named("statsTableView"), "rows", model.count)
        // Names read as words, and a header click sorts.
        verify(model.cell(0, 0).indexOf("_") < 0 && model.cell(0, 1).length > 0, model.cell(0, 0) + " / " + model.cell(0, 1))
        const header = named("statsTableHeader")
        mouseClick(header, model.columnWidth(0) + model.columnWidth(1) / 2, header.height / 2)
        tryCompare(model, "sortColumn", 1)
        for (let row = 1; row < model.count; ++row)
            verify(model.cell(row - 1, 1).toLowerCase() <= model.cell(row, 1).toLowerCase(),
                   "sorted by name: " + model.cell(row - 1, 1) + " before " + model.cell(row, 1))
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
        tryVerify(() => viewModel.statistics.table.count > 0, 5000, "the table fills")
    }

    function test_freezingThePageStopsItsRefreshesUntilResumed() {
        login("engineer")
        const button = named("pauseButton")
        tryCompare(button, "visible", true)
        compare(button.text, "Freeze")
        mouseClick(button)
        compare(viewModel.statistics.isPaused, true)
        compare(button.text, "Resume")
        const refreshes = viewModel.statistics.refreshCount
        mouseClick(button)
        compare(viewModel.statistics.isPaused, false)
        verify(viewModel.statistics.refreshCount > refreshes, "resuming refreshes at once")
    }
}
