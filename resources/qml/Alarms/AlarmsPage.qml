import QtQuick
import Waferscope.Console
import QtQuick.Controls
import QtQuick.Layouts
import Waferscope.ViewModels

// Technician: the alarm table with acknowledge, shelve and unshelve; the history with filters.
Item {
    id: page
    required property ConsoleViewModel console
    readonly property AlarmsViewModel alarms: console.alarms
    readonly property SessionViewModel session: console.session

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.spacing
        spacing: Theme.spacing

        SectionCard {
            title: qsTr("Alarms")
            Layout.fillWidth: true
            Layout.fillHeight: true
            RowLayout {
                Layout.fillWidth: true
                Label {
                    objectName: "floodState"
                    text: alarms.isFlooding ? alarms.floodText : qsTr("No alarm flood")
                    color: alarms.isFlooding ? Theme.danger : Theme.textMuted
                    font.pixelSize: Theme.fontNormal
                    font.bold: alarms.isFlooding
                }
                Item { Layout.fillWidth: true }
                Label {
                    objectName: "alarmError"
                    visible: text.length > 0
                    text: alarms.errorText
                    color: Theme.danger
                    font.pixelSize: Theme.fontNormal
                }
                CommandButton {
                    objectName: "acknowledgeAllButton"
                    text: qsTr("Acknowledge all shown (Ctrl+K)")
                    enabled: session.canAcknowledge && !alarms.isBusy && alarms.unacknowledgedCount > 0
                    onClicked: alarms.acknowledgeAllShown("")
                }
            }
            Label {
                visible: !session.canAcknowledge
                text: qsTr("Technicians and above acknowledge and shelve alarms")
                color: Theme.textMuted
                font.pixelSize: Theme.fontSmall
            }
            ListView {
                id: table
                objectName: "alarmTable"
                Layout.fillWidth: true
                Layout.fillHeight: true
                Layout.minimumHeight: 160
                clip: true
                model: alarms.table
                ScrollBar.vertical: ScrollBar {}
                header: RowLayout {
                    width: ListView.view.width
                    Repeater {
                        model: [[qsTr("Priority"), 100], [qsTr("Time"), 90], [qsTr("Source"), 120], [qsTr("Message"), 360], [qsTr("State"), 200]]
                        Label {
                            required property var modelData
                            Layout.preferredWidth: modelData[1]
                            text: modelData[0]
                            color: Theme.textMuted
                            font.pixelSize: Theme.fontSmall
                        }
                    }
                }
                delegate: Rectangle {
                    id: alarmRow
                    required property string tag
                    required property string priority
                    required property string time
                    required property string source
                    required property string message
                    required property string alarmState
                    required property bool isUnacknowledged
                    required property bool isShelved
                    required property string detail
                    width: ListView.view.width
                    height: Theme.touchTarget + 8
                    color: isUnacknowledged ? Qt.rgba(1, 0.3, 0.3, 0.12) : "transparent"
                    border.color: Theme.border
                    RowLayout {
                        anchors.fill: parent
                        anchors.leftMargin: 4
                        Rectangle {
                            Layout.preferredWidth: 96
                            Layout.preferredHeight: 28
                            radius: 4
                            color: Theme.priorityColor(alarmRow.priority)
                            Label { anchors.centerIn: parent; text: alarmRow.priority; color: Theme.background; font.bold: true }
                        }
                        Label { Layout.preferredWidth: 90; text: alarmRow.time; color: Theme.text }
                        Label { Layout.preferredWidth: 120; text: alarmRow.source; color: Theme.text; elide: Text.ElideRight }
                        ColumnLayout {
                            Layout.preferredWidth: 360
                            spacing: 0
                            Label { text: alarmRow.message; color: Theme.text; font.bold: alarmRow.isUnacknowledged; elide: Text.ElideRight; Layout.fillWidth: true }
                            Label { text: alarmRow.detail; color: Theme.textMuted; font.pixelSize: Theme.fontSmall; visible: text.length > 0; elide: Text.ElideRight; Layout.fillWidth: true }
                        }
                        Label { Layout.preferredWidth: 200; text: alarmRow.alarmState; color: Theme.text }
                        Item { Layout.fillWidth: true }
                        Button {
                            objectName: "acknowledge_" + alarmRow.tag
                            text: qsTr("Acknowledge")
                            visible: alarmRow.isUnacknowledged
                            enabled: page.session.canAcknowledge && !page.alarms.isBusy
                            implicitHeight: Theme.touchTarget - 8
                            onClicked: page.alarms.acknowledge(alarmRow.tag, "")
                        }
                        Button {
                            objectName: "shelve_" + alarmRow.tag
                            text: alarmRow.isShelved ? qsTr("Unshelve") : qsTr("Shelve…")
                            enabled: page.session.canShelve && !page.alarms.isBusy
                            implicitHeight: Theme.touchTarget - 8
                            onClicked: {
                                if (alarmRow.isShelved) {
                                    page.alarms.unshelve(alarmRow.tag)
                                } else {
                                    shelveDialog.tag = alarmRow.tag
                                    shelveDialog.open()
                                }
                            }
                        }
                    }
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

        SectionCard {
            title: qsTr("History (this session)")
            Layout.fillWidth: true
            Layout.preferredHeight: parent.height * 0.38
            RowLayout {
                Layout.fillWidth: true
                TextField {
                    objectName: "historyFilter"
                    Layout.preferredWidth: 260
                    implicitHeight: Theme.touchTarget
                    placeholderText: qsTr("Filter by tag or message")
                    onTextChanged: alarms.historyFilter = text
                }
                ComboBox {
                    objectName: "historyPriority"
                    implicitHeight: Theme.touchTarget
                    model: ["", "critical", "high", "medium", "low"]
                    displayText: currentText.length > 0 ? currentText : qsTr("all priorities")
                    onActivated: index => alarms.historyPriority = model[index]
                }
            }
            ListView {
                objectName: "historyList"
                Layout.fillWidth: true
                Layout.fillHeight: true
                clip: true
                model: alarms.history
                ScrollBar.vertical: ScrollBar {}
                delegate: Label {
                    required property string time
                    required property string tag
                    required property string priority
                    required property string from
                    required property string to
                    required property string message
                    width: ListView.view.width
                    text: time + "  " + priority.toUpperCase() + "  " + tag + "  " + from + " → " + to + "  " + message
                    color: Theme.text
                    font.pixelSize: Theme.fontSmall
                    elide: Text.ElideRight
                }
            }
        }
    }

    ShelveDialog { id: shelveDialog; objectName: "shelveDialog"; alarms: page.alarms; anchors.centerIn: parent }
}
