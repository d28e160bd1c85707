import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Waferscope.Console
import Waferscope.ViewModels

// One active alarm: priority, time, source, message and detail, state, and its commands. The
// column widths are AlarmColumns', which the header uses too, so both line up.
Rectangle {
    id: root
    required property string tag
    required property string priority
    required property string time
    required property string source
    required property string message
    required property string alarmState
    required property bool isUnacknowledged
    required property bool isShelved
    required property string detail
    required property AlarmsViewModel alarms
    required property SessionViewModel session
    signal shelveRequested(string tag)
    height: Theme.touchTarget + 8
    color: root.isUnacknowledged ? Qt.rgba(1, 0.3, 0.3, 0.12) : "transparent"
    border.color: Theme.border
    Accessible.name: root.tag + " " + root.message

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: AlarmColumns.margin
        spacing: AlarmColumns.spacing
        Rectangle {
            Layout.preferredWidth: AlarmColumns.priority
            Layout.preferredHeight: 28
            radius: 4
            color: Theme.priorityColor(root.priority)
            Label { anchors.centerIn: parent; text: root.priority; color: Theme.background; font.bold: true }
        }
        Label { Layout.preferredWidth: AlarmColumns.time; text: root.time; color: Theme.text }
        Label { Layout.preferredWidth: AlarmColumns.source; text: root.source; color: Theme.text; elide: Text.ElideRight }
        Label { Layout.preferredWidth: AlarmColumns.state; text: root.alarmState; color: Theme.text; elide: Text.ElideRight }
        ColumnLayout {
            // The rest of the row: the labels inside ask for their whole text, so the column is
            // told its width instead of taking theirs.
            Layout.fillWidth: true
            Layout.preferredWidth: AlarmColumns.message
            Layout.minimumWidth: AlarmColumns.message
            spacing: 0
            Label {
                id: messageLabel
                text: root.message
                color: Theme.text
                font.bold: root.isUnacknowledged
                elide: Text.ElideRight
                Layout.fillWidth: true
                // A message cut short shows whole on hover.
                HoverHandler { id: messageHover }
                ToolTip.visible: messageHover.hovered && messageLabel.truncated
                ToolTip.text: root.message
            }
            Label { text: root.detail; color: Theme.textMuted; font.pixelSize: Theme.fontSmall; visible: text.length > 0; elide: Text.ElideRight; Layout.fillWidth: true }
        }
        RowLayout {
            Layout.preferredWidth: AlarmColumns.commands
            Layout.minimumWidth: AlarmColumns.commands
            Layout.maximumWidth: AlarmColumns.commands
            spacing: AlarmColumns.spacing
            Item { Layout.fillWidth: true }
            Button {
                objectName: "acknowledge_" + root.tag
                text: qsTr("Acknowledge")
                visible: root.isUnacknowledged
                enabled: root.session.canAcknowledge && !root.alarms.isBusy
                implicitHeight: Theme.touchTarget - 8
                onClicked: root.alarms.acknowledge(root.tag, "")
                Accessible.name: qsTr("Acknowledge %1").arg(root.tag)
            }
            Button {
                objectName: "shelve_" + root.tag
                text: root.isShelved ? qsTr("Unshelve") : qsTr("Shelve…")
                enabled: root.session.canShelve && !root.alarms.isBusy
                implicitHeight: Theme.touchTarget - 8
                onClicked: root.isShelved ? root.alarms.unshelve(root.tag) : root.shelveRequested(root.tag)
                Accessible.name: (root.isShelved ? qsTr("Unshelve %1") : qsTr("Shelve %1")).arg(root.tag)
            }
        }
    }
}
