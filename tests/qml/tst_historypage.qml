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

    function test_aRunOpensFromTheKeyboard() {
        compare(runLot("operator", "LOT-KEYS"), "completed")
        refreshed()
        const list = named("runList")
        tryCompare(list, "count", 1)
        named("refreshButton").forceActiveFocus(Qt.TabFocusReason)
        keyClick(Qt.Key_Tab) // Open KLARF… is disabled for an operator: the list is next
        tryCompare(list, "activeFocus", true)
        keyClick(Qt.Key_Return)
        tryVerify(() => viewModel.history.openRunId === list.itemAtIndex(0).modelData.runId, 10000, "the run opens")
    }

    function test_anEngineerExportsTheOpenWafer() {
        compare(runLot("engineer", "LOT-EXPORT"), "completed")
        refreshed()
        const list = named("runList")
        tryCompare(list, "count", 1)
        mouseClick(list.itemAtIndex(0))
        tryVerify(() => viewModel.history.waferIndex === 0, 10000, "the run opens on its wafer")
        // The wafer's map and its status line come a moment later and may move the page's rows:
        // wait until the wafer is shown whole before aiming at the button.
        tryVerify(() => !viewModel.history.isBusy && viewModel.history.statusText.indexOf("LOT-EXPORT-01") >= 0,
                  10000, "the wafer is shown: " + viewModel.history.statusText)
        const exportButton = named("exportButton")
        tryCompare(exportButton, "enabled", true)
        // The row of the wafer box and the button appears with the wafers: click once it is laid out.
        tryVerify(() => !isPolishScheduled(exportButton.parent) && !isPolishScheduled(named("historyStatus")), 5000,
                  "the button is laid out")
        mouseClick(exportButton)
        tryVerify(() => viewModel.history.statusText.indexOf(".klarf") >= 0 || viewModel.history.errorText !== "", 10000,
                  "the export ends: " + viewModel.history.statusText)
        tryCompare(viewModel.history, "isBusy", false, 10000)
        compare(viewModel.history.errorText, "")
        verify(viewModel.history.statusText.indexOf(".klarf") >= 0, viewModel.history.statusText)
        // The page shows where the file went, whole.
        const status = named("historyStatus")
        compare(status.text, viewModel.history.statusText)
        tryVerify(() => !status.truncated, 5000, "the export message is cut: " + status.text)
    }

    function test_anEngineerOpensAKlarfFileBesideTheRuns() {
        compare(runLot("engineer", "LOT-KLARF"), "completed")
        refreshed()
        const list = named("runList")
        tryCompare(list, "count", 1)
        mouseClick(list.itemAtIndex(0))
        tryVerify(() => !viewModel.history.isBusy && viewModel.history.statusText.indexOf("LOT-KLARF-01") >= 0,
                  10000, "the wafer is shown: " + viewModel.history.statusText)
        const ours = viewModel.history.map.defectCount
        const path = valueOf(viewModel.history.exportKlarf(0), "the export")
        verify(path.endsWith(".klarf"), "exported: " + path + " " + viewModel.history.errorText)

        // The button opens a file dialog, and Escape closes it.
        const button = named("openKlarfButton")
        tryCompare(button, "enabled", true)
        const dialog = named("klarfDialog")
        mouseClick(button)
        tryCompare(dialog, "visible", true)
        keyClick(Qt.Key_Escape)
        tryCompare(dialog, "visible", false)

        // The file it would pick: the map shows that wafer, read only, under the file's name.
        verify(valueOf(viewModel.history.openKlarf("file://" + path), "opening " + path), viewModel.history.errorText)
        compare(viewModel.history.openRunId, "")
        tryVerify(() => named("historyMapCard").title.indexOf("KLARF ") === 0, 5000, named("historyMapCard").title)
        verify(named("historyMapCard").title.indexOf("wafer LOT-KLARF-01") > 0, named("historyMapCard").title)
        compare(viewModel.history.map.defectCount, ours)
        compare(named("waferBox").visible, false)
        compare(named("reviewTableView").rows, ours)
        compare(named("reviewMessage").text, "Another tool's defects: read only")
        compare(named("reclassifyButton").enabled, false)

        // A file that cannot be read: the reason shows, and the wafer stays.
        verify(!valueOf(viewModel.history.openKlarf("file://" + path + ".missing"), "opening a missing file"))
        tryVerify(() => named("historyError").text.indexOf(".klarf.missing: the file cannot be opened") >= 0, 5000,
                  named("historyError").text)
        // The message wraps over lines, and the run list stays below it.
        const error = named("historyError")
        tryVerify(() => error.lineCount > 1, 5000, "the message is " + error.lineCount + " line(s)")
        tryVerify(() => error.mapToItem(null, 0, error.height).y <= list.mapToItem(null, 0, 0).y + 1, 5000,
                  "the message ends at " + error.mapToItem(null, 0, error.height).y + ", the list starts at "
                  + list.mapToItem(null, 0, 0).y)
        // The file's own names keep their case in the title.
        compare(named("historyMapCard").titleInCapitals, false)
        compare(viewModel.history.map.defectCount, ours)
    }

    function test_anOperatorCannotOpenAKlarfFile() {
        login("operator")
        compare(named("openKlarfButton").enabled, false)
    }

    function test_aRunShowsWhoStartedItAndWhyItEndedAndTheSearchFindsIt() {
        compare(runLot("operator", "LOT-FIRST"), "completed")
        compare(runLot("operator", "LOT-SECOND"), "completed")
        refreshed()
        const list = named("runList")
        tryCompare(list, "count", 2)
        const newest = list.itemAtIndex(0)
        compare(newest.modelData.lotId, "LOT-SECOND")
        compare(newest.modelData.startedBy, "operator")
        verify(newest.modelData.summary.indexOf("by operator") >= 0, newest.modelData.summary)
        verify(newest.modelData.endText.length > 0, "the end reason is shown")
        compare(findChild(newest, "endReason").text, newest.modelData.endText)

        const search = named("runSearch")
        mouseClick(search)
        keyClick(Qt.Key_F); keyClick(Qt.Key_I); keyClick(Qt.Key_R)
        tryCompare(list, "count", 1)
        compare(list.itemAtIndex(0).modelData.lotId, "LOT-FIRST")
        search.text = "completed"
        tryCompare(list, "count", 2)
        search.text = "no such lot"
        tryCompare(list, "count", 0)
    }

    function test_anEngineerReviewsAPastDefectAndReclassifiesIt() {
        compare(runLot("engineer", "LOT-REVIEW"), "completed")
        refreshed()
        const list = named("runList")
        tryCompare(list, "count", 1)
        mouseClick(list.itemAtIndex(0))
        tryVerify(() => viewModel.history.waferIndex === 0, 10000, "the run opens on its wafer")
        const review = viewModel.history.review
        verify(review.count > 0, "the wafer has defects")
        verify(named("historyLegend").visible)
        compare(named("reclassifyButton").enabled, false)

        const view = named("reviewTableView")
        // The table fills with the wafer's defects: click once its first row is laid out.
        tryVerify(() => view.rows === review.count && !isPolishScheduled(view), 5000, "the table is laid out")
        mouseClick(view, 30, 10)
        tryCompare(review, "hasPick", true)
        compare(review.pickedId, review.rowKey(0))
        compare(named("reviewDetail").text, review.detailText)
        // The picked defect is ringed on the map, where the map draws it.
        const mark = named("defectMark")
        tryCompare(mark, "visible", true)
        const map = named("historyMap")
        const at = map.mapFromWafer(viewModel.history.map.markMm.x, viewModel.history.map.markMm.y)
        compare(mark.x + mark.width / 2, at.x)
        compare(mark.y + mark.height / 2, at.y)
        verify(review.detailText.indexOf("Defect " + review.rowKey(0)) === 0, review.detailText)
        keyClick(Qt.Key_Down)
        tryCompare(review, "pickedId", review.rowKey(1))

        const classes = named("reviewClass")
        const newClass = review.pickedClassIndex === 3 ? 6 : 3
        classes.currentIndex = newClass
        const button = named("reclassifyButton")
        tryCompare(button, "enabled", true)
        mouseClick(button)
        tryCompare(review, "pickedClassIndex", newClass, 10000)
        compare(review.errorText, "")
        compare(review.cell(review.rowOf(review.pickedId), 1), review.classNames[newClass])
    }
}
