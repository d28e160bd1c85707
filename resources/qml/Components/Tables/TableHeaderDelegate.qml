import QtQuick
import QtQuick.Controls
import Waferscope.Console
import Waferscope.ViewModels

// A column's header: its title (with ▲/▼ when sorted by it); a click sorts, dragging the right
// edge resizes the column when the drag ends.
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
    // The column takes its new width when the drag ends: a relayout during the drag would
    // rebuild this header under the pointer and end the drag after its first step. While
    // dragging, a line shows where the edge will be.
    Rectangle {
        id: edgeGuide
        visible: resizeHandle.pressed
        x: root.width + resizeHandle.dragDelta - width
        width: 2
        height: root.height
        color: Theme.accent
    }
    MouseArea {
        id: resizeHandle
        objectName: "resize_" + root.column
        property real pressSceneX: 0
        property real dragDelta: 0
        anchors.right: parent.right
        anchors.top: parent.top
        anchors.bottom: parent.bottom
        width: 10
        cursorShape: Qt.SplitHCursor
        preventStealing: true
        onPressed: mouse => {
            resizeHandle.pressSceneX = resizeHandle.mapToItem(null, mouse.x, 0).x
            resizeHandle.dragDelta = 0
        }
        onPositionChanged: mouse => {
            resizeHandle.dragDelta = resizeHandle.mapToItem(null, mouse.x, 0).x - resizeHandle.pressSceneX
        }
        onReleased: mouse => {
            const delta = resizeHandle.mapToItem(null, mouse.x, 0).x - resizeHandle.pressSceneX
            resizeHandle.dragDelta = 0
            // From the column's own width: the last column may be drawn wider to fill the table.
            root.table.resizeColumn(root.column, root.table.columnWidth(root.column) + delta)
        }
        Accessible.role: Accessible.Separator
        Accessible.name: qsTr("Resize %1").arg(root.display)
    }
}
