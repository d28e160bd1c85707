import QtQuick
import QtTest
import Waferscope.Console

// The Audit page shows engineers and admins the audit trail from the database, narrowed by the
// filters and sorted by a header click; others are told it is not for them.
ConsoleTestCase {
    id: testCase
    name: "AuditPage"
    subject: Component { AuditPage { anchors.fill: parent } }

    /// The x of the middle of `column` of a table whose columns start at 0.
    function columnMiddle(table, column) {
        let x = 0
        for (let i = 0; i < column; ++i)
            x += table.columnWidth(i)
        return x + table.columnWidth(column) / 2
    }

    function test_anOperatorIsToldTheTrailIsNotForThem() {
        login("operator")
        compare(named("auditNotAllowed").visible, true)
        compare(named("auditTable").visible, false)
        compare(valueOf(viewModel.audit.refresh(), "the refresh"), false)
        compare(viewModel.audit.count, 0)
    }

    function test_anEngineerSeesTheLoginsAndFiltersAndSortsThem() {
        login("operator")
        logout()
        login("engineer")
        const audit = viewModel.audit
        // The logins reach the database through the writer's queue: read until both are there.
        tryVerify(() => {
            if (!audit.isBusy)
                audit.refresh()
            return audit.count >= 3
        }, 10000, "the logins and the logout are in the trail")
        tryCompare(audit, "isBusy", false)
        compare(named("auditNotAllowed").visible, false)
        mouseClick(named("auditFilterUser"))
        keyClick(Qt.Key_O); keyClick(Qt.Key_P); keyClick(Qt.Key_E); keyClick(Qt.Key_R)
        compare(audit.userFilter, "oper")
        compare(audit.count, 2)
        compare(audit.cell(0, 1), "operator")
        compare(audit.cell(1, 1), "operator")
        named("auditFilterText").text = "logout"
        compare(audit.count, 1)
        compare(audit.cell(0, 3), "logout")
        named("auditFilterText").text = ""
        named("auditFilterUser").text = ""
        compare(audit.count, 3)

        const header = named("auditTableHeader")
        mouseClick(header, columnMiddle(audit, 1), header.height / 2)
        tryCompare(audit, "sortColumn", 1)
        compare(audit.isSortAscending, true)
        compare(audit.cell(0, 1), "engineer")
        mouseClick(header, columnMiddle(audit, 1), header.height / 2)
        tryCompare(audit, "isSortAscending", false)
        compare(audit.cell(0, 1), "operator")
    }

    function test_arrowKeysMoveTheCurrentRowAndAHeaderEdgeResizes() {
        login("operator")
        logout()
        login("admin")
        const audit = viewModel.audit
        tryVerify(() => {
            if (!audit.isBusy)
                audit.refresh()
            return audit.count >= 3
        }, 10000, "the logins and the logout are in the trail")
        const view = named("auditTableView")
        mouseClick(view, 40, 10)
        tryCompare(view, "currentRow", 0)
        verify(view.activeFocus, "the table has the keys")
        keyClick(Qt.Key_Down)
        tryCompare(view, "currentRow", 1)
        keyClick(Qt.Key_Up)
        tryCompare(view, "currentRow", 0)

        const header = named("auditTableHeader")
        const before = audit.columnWidth(0)
        const edge = before - 3
        mousePress(header, edge, header.height / 2)
        mouseMove(header, edge + 30, header.height / 2)
        mouseMove(header, edge + 60, header.height / 2)
        mouseRelease(header, edge + 60, header.height / 2)
        tryVerify(() => audit.columnWidth(0) > before + 40, 2000, "the column is wider: " + audit.columnWidth(0))
        // Resizing is not sorting.
        compare(audit.sortColumn, -1)
    }
}
