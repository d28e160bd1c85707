import QtQuick
import QtTest
import Waferscope.Console

// The Defects page: the live table fills during a run (or holds still while frozen), the class
// filter narrows it to one class, a header click sorts it, and a clicked defect shows its detail.
ConsoleTestCase {
    id: testCase
    name: "DefectsPage"
    recipe: "quick-200mm.json"
    subject: Component { DefectsPage { anchors.fill: parent } }

    /// The number of listed defects of each class.
    function countByClass() {
        let counts = {}
        for (let i = 0; i < viewModel.defects.count; ++i) {
            const name = viewModel.defects.get(i).defectClass
            counts[name] = (counts[name] || 0) + 1
        }
        return counts
    }

    function chooseClass(name) {
        const filter = named("classFilter")
        const index = viewModel.defects.classNames.indexOf(name)
        verify(index >= 0, name + " is a class of the filter")
        filter.currentIndex = index
        filter.activated(index)
        compare(viewModel.defects.classFilter, name)
    }

    function test_theListFillsDuringARun() {
        const table = viewModel.defectTable
        compare(table.count, 0)
        compare(named("defectCount").text, "0 shown · 0 received")
        compare(runLot("operator", "LOT-DEFECTS"), "completed")
        tryVerify(() => viewModel.defects.count > 0, 10000, "the run found defects")
        compare(table.count, viewModel.defects.count)
        compare(named("defectCount").text,
                viewModel.defects.count + " shown · " + viewModel.defects.totalReceived + " received")
    }

    function test_theClassFilterNarrowsTheList() {
        compare(runLot("operator", "LOT-FILTER"), "completed")
        tryVerify(() => viewModel.defects.count > 0, 10000, "the run found defects")
        const all = viewModel.defects.count
        const counts = countByClass()
        const found = Object.keys(counts)
        verify(found.length > 0)
        const list = viewModel.defectTable

        for (const name of found) {
            chooseClass(name)
            tryCompare(list, "count", counts[name])
            compare(viewModel.defects.count, counts[name])
            for (let i = 0; i < viewModel.defects.count; ++i)
                compare(viewModel.defects.get(i).defectClass, name)
        }
        // A class the run did not find leaves the list empty.
        const missing = viewModel.defects.classNames.filter(n => n.length > 0 && counts[n] === undefined)
        if (missing.length > 0) {
            chooseClass(missing[0])
            tryCompare(list, "count", 0)
        }
        chooseClass("")
        tryCompare(list, "count", all)
        compare(named("classFilter").displayText, "all classes")
        // The open list names the first entry too, not only the closed box.
        compare(named("classFilter").textAt(0), "all classes")
    }

    function test_aClickedDefectShowsItsDetail() {
        compare(runLot("operator", "LOT-DETAIL"), "completed")
        const table = viewModel.defectTable
        tryVerify(() => table.count > 0, 10000, "the run found defects")
        compare(named("selectedDetail").text, "")
        const first = viewModel.defects.get(0)
        compare(table.rowKey(0), first.defectId)
        mouseClick(named("defectTableView"), 30, 10)
        tryCompare(table, "pickedId", first.defectId)
        const detail = named("selectedDetail").text
        verify(detail.indexOf("Defect " + first.defectId) === 0, detail)
        verify(detail.indexOf(first.defectClass) > 0, detail)
        verify(detail.indexOf("LOT-DETAIL-01") > 0, detail)
    }

    function test_aFrozenTableHoldsStillUntilItFollowsAgain() {
        const table = viewModel.defectTable
        const follow = named("followSwitch")
        compare(follow.checked, true)
        mouseClick(follow)
        tryCompare(table, "isFollowing", false)
        compare(runLot("operator", "LOT-FROZEN"), "completed")
        tryVerify(() => viewModel.defects.count > 0, 10000, "the run found defects")
        compare(table.count, 0)
        compare(table.pendingCount, viewModel.defects.count)
        compare(named("followState").text, "Frozen · " + viewModel.defects.count + " new")
        mouseClick(follow)
        tryCompare(table, "isFollowing", true)
        compare(table.count, viewModel.defects.count)
        compare(table.pendingCount, 0)
    }

    function test_aHeaderClickSortsTheDefectsBySize() {
        compare(runLot("operator", "LOT-SORT"), "completed")
        const table = viewModel.defectTable
        tryVerify(() => table.count > 1, 10000, "the run found defects")
        const header = named("defectTableHeader")
        const x = table.columnWidth(0) + table.columnWidth(1) + table.columnWidth(2) / 2
        mouseClick(header, x, header.height / 2)
        tryCompare(table, "sortColumn", 2)
        for (let i = 1; i < table.count; ++i)
            verify(Number(table.cell(i - 1, 2)) <= Number(table.cell(i, 2)), "ascending at row " + i)
        mouseClick(header, x, header.height / 2)
        tryCompare(table, "isSortAscending", false)
        verify(Number(table.cell(0, 2)) >= Number(table.cell(table.count - 1, 2)))
    }
}
