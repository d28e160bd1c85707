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
        model: root.defects.classNames
        displayText: currentText.length > 0 ? currentText : qsTr("all classes")
        onActivated: index => root.defects.classFilter = root.defects.classNames[index]
        Accessible.name: qsTr("Class filter")
    }
    Switch {
        objectName: "followSwitch"
        text: qsTr("Follow newest")
        checked: root.table.isFollowing
        onToggled: root.table.isFollowing = checked
        Accessible.name: qsTr("Follow newest defects")
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
