import QtQuick
import QtQuick.Controls
import Waferscope.Console

// One cell: its text; the current row is highlighted, a row that wants attention is bold, and the
// first cell shows the row's tone (a priority or class colour) as a marker.
Rectangle {
    id: root
    required property string display
    required property string tone
    required property bool isEmphasized
    required property int row
    required property int column
    readonly property bool isCurrentRow: root.TableView.view !== null && root.TableView.view.currentRow === root.row
    implicitHeight: 34
    color: root.isCurrentRow ? Theme.selection : root.row % 2 === 0 ? Theme.surface : Theme.background
    Accessible.role: Accessible.Cell
    Accessible.name: root.display

    Rectangle {
        id: marker
        visible: root.column === 0 && root.tone.length > 0
        anchors.left: parent.left
        anchors.top: parent.top
        anchors.bottom: parent.bottom
        width: 5
        color: Theme.toneColor(root.tone)
    }
    Label {
        objectName: "cellText"
        anchors.fill: parent
        anchors.leftMargin: 10
        anchors.rightMargin: 6
        verticalAlignment: Text.AlignVCenter
        text: root.display
        color: Theme.text
        font.pixelSize: Theme.fontSmall
        font.bold: root.isEmphasized
        elide: Text.ElideRight
    }
}
