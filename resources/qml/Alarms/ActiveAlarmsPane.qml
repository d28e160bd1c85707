import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Waferscope.Console
import Waferscope.ViewModels

// The alarms now: the table with acknowledge, shelve and unshelve, and this session's changes.
ColumnLayout {
    id: root
    required property AlarmsViewModel alarms
    required property SessionViewModel session
    signal shelveRequested(string tag)
    spacing: Theme.spacing

    SectionCard {
        title: qsTr("Alarms")
        Layout.fillWidth: true
        Layout.fillHeight: true
        RowLayout {
            Layout.fillWidth: true
            Label {
                objectName: "floodState"
                text: root.alarms.isFlooding ? root.alarms.floodText : qsTr("No alarm flood")
                color: root.alarms.isFlooding ? Theme.danger : Theme.textMuted
                font.bold: root.alarms.isFlooding
            }
            Item { Layout.fillWidth: true }
            Label { objectName: "alarmError"; visible: text.length > 0; text: root.alarms.errorText; color: Theme.danger }
            CommandButton {
                objectName: "acknowledgeAllButton"
                text: qsTr("Acknowledge all shown (Ctrl+K)")
                enabled: root.session.canAcknowledge && !root.alarms.isBusy && root.alarms.unacknowledgedCount > 0
                onClicked: root.alarms.acknowledgeAllShown("")
                Accessible.name: qsTr("Acknowledge all shown")
            }
        }
        Label {
            visible: !root.session.canAcknowledge
            text: qsTr("Technicians and above acknowledge and shelve alarms")
            color: Theme.textMuted
            font.pixelSize: Theme.fontSmall
        }
        RowLayout {
            objectName: "alarmTableHeader"
            Layout.fillWidth: true
            Layout.leftMargin: AlarmColumns.margin
            spacing: AlarmColumns.spacing
            Repeater {
                // The message is last and takes the width the others leave, as in the rows.
                model: [[qsTr("Priority"), AlarmColumns.priority], [qsTr("Time"), AlarmColumns.time],
                        [qsTr("Source"), AlarmColumns.source], [qsTr("State"), AlarmColumns.state],
                        [qsTr("Message"), AlarmColumns.message]]
                Label {
                    required property var modelData
                    required property int index
                    Layout.preferredWidth: modelData[1]
                    Layout.fillWidth: index === 4
                    text: modelData[0]
                    color: Theme.textMuted
                    font.pixelSize: Theme.fontSmall
                    font.bold: true
                }
            }
            // Over the rows' command buttons.
            Item { Layout.preferredWidth: AlarmColumns.commands }
        }
        ListView {
            id: table
            objectName: "alarmTable"
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.minimumHeight: 160
            clip: true
            model: root.alarms.table
            ScrollBar.vertical: ScrollBar {}
            Accessible.name: qsTr("Active alarms")
            delegate: AlarmRowDelegate {
                width: ListView.view.width
                alarms: root.alarms // qmllint disable unqualified
                session: root.session // qmllint disable unqualified
                onShelveRequested: tag => root.shelveRequested(tag)
            }
            Label {
                anchors.centerIn: parent
                visible: table.count === 0
                text: qsTr("No alarms")
                color: Theme.good
                font.pixelSize: Theme.fontLarge
            }
        }
    }

    SessionAlarmHistory {
        Layout.fillWidth: true
        // A fixed share: a height computed from the layout's own height would loop its polish.
        Layout.preferredHeight: 300
        alarms: root.alarms
    }
}
