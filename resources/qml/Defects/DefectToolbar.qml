import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Waferscope.Console
import Waferscope.ViewModels

// Above the live defect table: the class filter, follow newest / freeze, and the counts.
RowLayout {
    id: root
    required property DefectListModel defects
    required property DefectTableModel table
    spacing: Theme.spacing

    Label { text: qsTr("Class"); color: Theme.text }
    ComboBox {
        objectName: "classFilter"
        implicitHeight: Theme.touchTarget
        Layout.preferredWidth: 220
        // The first entry (an empty filter) reads "all classes" in the list as well as in the box.
        model: Array.from(root.defects.classNames, name => name.length > 0 ? name : qsTr("all classes"))
        onActivated: index => root.defects.classFilter = root.defects.classNames[index]
        Accessible.name: qsTr("Class filter")
    }
    Switch {
        id: followSwitch
        objectName: "followSwitch"
        text: qsTr("Follow newest")
        checked: root.table.isFollowing
        onToggled: root.table.isFollowing = checked
        Accessible.name: qsTr("Follow newest defects")
        // On is the accent colour with the knob right, off a dark track with the knob left: the
        // Basic style's own colours differ too little on this theme.
        indicator: Rectangle {
            implicitWidth: 48
            implicitHeight: 26
            x: followSwitch.leftPadding
            y: (followSwitch.height - height) / 2
            radius: height / 2
            color: followSwitch.checked ? Theme.accent : Theme.background
            // Keyboard focus: a white ring, twice as wide.
            border.color: followSwitch.visualFocus ? Theme.text : followSwitch.checked ? Theme.accent : Theme.textMuted
            border.width: followSwitch.visualFocus ? 2 : 1
            Rectangle {
                x: followSwitch.checked ? parent.width - width - 3 : 3
                anchors.verticalCenter: parent.verticalCenter
                width: 20
                height: 20
                radius: 10
                color: followSwitch.checked ? Theme.background : Theme.textMuted
            }
        }
    }
    Label {
        objectName: "followState"
        text: root.table.followText
        color: root.table.isFollowing ? Theme.textMuted : Theme.warning
    }
    Item { Layout.fillWidth: true }
    Label {
        objectName: "defectCount"
        text: qsTr("%1 shown · %2 received").arg(root.defects.count).arg(root.defects.totalReceived)
        color: Theme.textMuted
    }
}
