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
            text: banner.alarms.bannerPriority.toUpperCase()
            font.bold: true
            font.pixelSize: Theme.fontNormal
            color: Theme.background
        }
        Label {
            id: bannerText
            objectName: "bannerText"
            Layout.fillWidth: true
            text: banner.alarms.hasBanner
                  ? banner.alarms.bannerText + "  (" + banner.alarms.bannerTag + ")"
                    + (banner.alarms.unacknowledgedCount > 1 ? "  +" + (banner.alarms.unacknowledgedCount - 1) + " more" : "")
                  : alarms.isFlooding ? alarms.floodText : qsTr("No unacknowledged alarms") // qmllint disable unqualified
            elide: Text.ElideRight
            font.pixelSize: Theme.fontNormal
            font.bold: banner.isAlarming
            color: banner.isAlarming ? Theme.background : Theme.textMuted
        }
        Label {
            visible: banner.alarms.isFlooding && banner.alarms.hasBanner
            text: banner.alarms.floodText
            color: Theme.background
            font.pixelSize: Theme.fontSmall
        }
        Button {
            objectName: "bannerAcknowledge"
            text: qsTr("Acknowledge")
            visible: banner.alarms.hasBanner
            enabled: banner.session.canAcknowledge && !banner.alarms.isBusy
            opacity: enabled ? 1.0 : Theme.disabledOpacity
            implicitHeight: Theme.touchTarget - 8
            onClicked: banner.alarms.acknowledge(banner.alarms.bannerTag, "")
            ToolTip.visible: hovered && !banner.session.canAcknowledge
            ToolTip.text: qsTr("Technicians and above acknowledge alarms")
        }
        Button {
            text: qsTr("Alarms…")
            implicitHeight: Theme.touchTarget - 8
            onClicked: banner.openAlarms()
        }
    }
}
