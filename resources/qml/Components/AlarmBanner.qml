import QtQuick
import Waferscope.Console
import QtQuick.Controls
import QtQuick.Layouts
import Waferscope.ViewModels

// On every page: the most urgent unacknowledged alarm, with acknowledge for those allowed to. The
// strip keeps its place when there is none (a quiet line), so that an alarm coming or going never
// moves the page under the operator's pointer.
Rectangle {
    id: banner
    required property AlarmsViewModel alarms
    required property SessionViewModel session
    signal openAlarms()
    readonly property bool isAlarming: alarms.hasBanner || alarms.isFlooding
    implicitHeight: Theme.touchTarget + 8
    color: isAlarming ? Theme.priorityColor(alarms.bannerPriority) : Theme.surface
    Accessible.role: Accessible.AlertMessage
    Accessible.name: isAlarming ? bannerText.text : qsTr("No unacknowledged alarms")

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: Theme.spacing
        anchors.rightMargin: Theme.spacing
        spacing: Theme.spacing
        Label {
            objectName: "bannerPriority"
            visible: banner.isAlarming
            text: alarms.bannerPriority.toUpperCase()
            font.bold: true
            font.pixelSize: Theme.fontNormal
            color: Theme.background
        }
        Label {
            id: bannerText
            objectName: "bannerText"
            Layout.fillWidth: true
            text: alarms.hasBanner
                  ? alarms.bannerText + "  (" + alarms.bannerTag + ")"
                    + (alarms.unacknowledgedCount > 1 ? "  +" + (alarms.unacknowledgedCount - 1) + " more" : "")
                  : alarms.isFlooding ? alarms.floodText : qsTr("No unacknowledged alarms")
            elide: Text.ElideRight
            font.pixelSize: Theme.fontNormal
            font.bold: banner.isAlarming
            color: banner.isAlarming ? Theme.background : Theme.textMuted
        }
        Label {
            visible: alarms.isFlooding && alarms.hasBanner
            text: alarms.floodText
            color: Theme.background
            font.pixelSize: Theme.fontSmall
        }
        Button {
            objectName: "bannerAcknowledge"
            text: qsTr("Acknowledge")
            visible: alarms.hasBanner
            enabled: session.canAcknowledge && !alarms.isBusy
            implicitHeight: Theme.touchTarget - 8
            onClicked: alarms.acknowledge(alarms.bannerTag, "")
            ToolTip.visible: hovered && !session.canAcknowledge
            ToolTip.text: qsTr("Technicians and above acknowledge alarms")
        }
        Button {
            text: qsTr("Alarms…")
            implicitHeight: Theme.touchTarget - 8
            onClicked: banner.openAlarms()
        }
    }
}
