import QtQuick
import QtQuick.Controls
import QtQml.Models
import Waferscope.Console
import Waferscope.ViewModels

// A sortable, resizable table of a RecordTableModel: click a header to sort (again: the other
// way), drag a header's right edge to resize, arrow keys move the current row.
Item {
    id: root
    required property RecordTableModel table
    property string emptyText: qsTr("Nothing to show")
    readonly property int currentRow: view.currentRow
    readonly property alias view: view
    Accessible.role: Accessible.Table
    Accessible.name: root.objectName

    HorizontalHeaderView {
        id: header
        objectName: root.objectName + "Header"
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.top: parent.top
        syncView: view
        clip: true
        delegate: TableHeaderDelegate { table: root.table } // qmllint disable unqualified
    }

    TableView {
        id: view
        objectName: root.objectName + "View"
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.top: header.bottom
        anchors.bottom: parent.bottom
        clip: true
        focus: true
        activeFocusOnTab: true
        boundsBehavior: Flickable.StopAtBounds
        model: root.table
        selectionModel: ItemSelectionModel { model: root.table }
        selectionBehavior: TableView.SelectRows
        // The last column takes whatever width the others leave, so a long detail or message is
        // not cut off beside empty space.
        columnWidthProvider: column => {
            const width = root.table.columnWidth(column)
            if (column !== view.columns - 1)
                return width
            let others = 0
            for (let c = 0; c < column; ++c)
                others += root.table.columnWidth(c)
            return Math.max(width, view.width - others)
        }
        onWidthChanged: view.forceLayout()
        delegate: TableCellDelegate {}
        ScrollBar.vertical: ScrollBar { policy: ScrollBar.AsNeeded }
        ScrollBar.horizontal: ScrollBar { policy: ScrollBar.AsNeeded }
        Accessible.name: root.objectName + " rows"
        Accessible.role: Accessible.Table
        // Tab leaves the table (the arrow keys move through it).
        Keys.onTabPressed: view.nextItemInFocusChain(true).forceActiveFocus(Qt.TabFocusReason)
        Keys.onBacktabPressed: view.nextItemInFocusChain(false).forceActiveFocus(Qt.BacktabFocusReason)
    }

    // Keyboard focus: the rows are framed while the arrow keys move through them (on the view
    // itself, not its scrolling content).
    FocusFrame { objectName: root.objectName + "FocusFrame"; view: root.view }

    /// Scrolls to the first row (the newest, on a live table).
    function showFirstRow() {
        if (root.table.count > 0)
            view.positionViewAtRow(0, TableView.AlignTop)
    }

    Connections {
        target: root.table
        function onColumnWidthsChanged() { view.forceLayout() }
    }

    Label {
        anchors.centerIn: view
        visible: root.table.count === 0
        text: root.emptyText
        color: Theme.textMuted
        font.pixelSize: Theme.fontLarge
    }
}
