import QtQuick
import QtTest
import Waferscope.Console

// The History page lists the runs in the database: none on a new machine, then each one run, which
// opens with its wafers; only engineers and admins export a wafer's KLARF file.
ConsoleTestCase {
    id: testCase
    name: "HistoryPage"
    recipe: "quick-200mm.json"
    subject: Component { HistoryPage { anchors.fill: parent } }

    function refreshed() {
        mouseClick(named("refreshButton"))
        tryCompare(viewModel.history, "isBusy", false, 10000)
        compare(viewModel.history.errorText, "")
    }

    function test_aNewMachineHasNoRuns() {
        refreshed()
        compare(named("runList").count, 0)
    }

    function test_aFinishedRunIsListedAndOpens() {
        compare(runLot("operator", "LOT-HISTORY"), "completed")
        refreshed()
        const list = named("runList")
        tryCompare(list, "count", 1)
        const row = list.itemAtIndex(0)
        compare(row.modelData.lotId, "LOT-HISTORY")
        compare(row.modelData.state, "completed")
        compare(row.modelData.recipe, "quick-200mm")

        mouseClick(row)
        tryVerify(() => viewModel.history.openRunId === row.modelData.runId, 10000, "the run opens")
        tryCompare(viewModel.history, "isBusy", false, 10000)
        compare(viewModel.history.wafers.length, 1)
        compare(viewModel.history.wafers[0].waferId, "LOT-HISTORY-01")
        const wafers = named("waferBox")
        tryCompare(wafers, "visible", true)
        compare(wafers.count, 1)
        verify(row.highlighted, "the open run is highlighted")
        // An operator may not export.
        compare(named("exportButton").enabled, false)
    }

    function test_anEngineerExportsTheOpenWafer() {
        compare(runLot("engineer", "LOT-EXPORT"), "completed")
        refreshed()
        const list = named("runList")
        tryCompare(list, "count", 1)
        mouseClick(list.itemAtIndex(0))
        tryVerify(() => viewModel.history.waferIndex === 0, 10000, "the run opens on its wafer")
        const exportButton = named("exportButton")
        tryCompare(exportButton, "enabled", true)
        mouseClick(exportButton)
        tryCompare(viewModel.history, "isBusy", false, 10000)
        compare(viewModel.history.errorText, "")
        verify(viewModel.history.statusText.indexOf(".klarf") >= 0, viewModel.history.statusText)
    }
}
