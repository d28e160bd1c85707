import QtQuick
import QtQuick.Controls
import Waferscope.Console
import Waferscope.ViewModels

// A column's header: its title (with ▲/▼ when sorted by it); a click sorts, dragging the right
// edge resizes the column.
Rectangle {
    id: root
    required property string display
    required property int column
    required property RecordTableModel table
    implicitWidth: 120
    implicitHeight: Theme.touchTarget - 12
    color: Theme.surfaceRaised
    border.color: Theme.border
    Accessible.role: Accessible.ColumnHeader
    Accessible.name: root.display

    Label {
        anchors.fill: parent
        anchors.leftMargin: 8
        anchors.rightMargin: 10
        verticalAlignment: Text.AlignVCenter
        text: root.display
        color: Theme.text
        font.pixelSize: Theme.fontSmall
        font.bold: true
        elide: Text.ElideRight
    }
    TapHandler {
        onTapped: root.table.sortBy(root.column)
    }
    MouseArea {
        id: resizeHandle
        objectName: "resize_" + root.column
        anchors.right: parent.right
        anchors.top: parent.top
        anchors.bottom: parent.bottom
        width: 10
        cursorShape: Qt.SplitHCursor
        preventStealing: true
        onPositionChanged: mouse => root.table.resizeColumn(root.column, root.width + mouse.x - resizeHandle.width / 2)
        Accessible.role: Accessible.Separator
        Accessible.name: qsTr("Resize %1").arg(root.display)
    }
}
