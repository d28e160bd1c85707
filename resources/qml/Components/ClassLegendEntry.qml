import QtQuick
import QtQuick.Controls
import Waferscope.Console

// One class in the legend: a dot of its colour and its name.
Row {
    id: root
    required property string name
    required property color color
    spacing: 6
    Accessible.role: Accessible.ListItem
    Accessible.name: root.name

    Rectangle {
        anchors.verticalCenter: parent.verticalCenter
        width: 12
        height: 12
        radius: 6
        color: root.color
    }
    Label {
        objectName: "legend_" + root.name
        text: root.name
        color: Theme.text
        font.pixelSize: Theme.fontSmall
    }
}
