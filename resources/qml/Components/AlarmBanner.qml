import QtQuick
import Waferscope.Console
import QtQuick.Controls
import QtQuick.Layouts
import Waferscope.ViewModels

// On every page: the most urgent unacknowledged alarm, with acknowledge for those allowed to.
Rectangle {
    id: banner
    required property AlarmsViewModel alarms
    required property SessionViewModel session
    signal openAlarms()
    visible: alarms.hasBanner || alarms.isFlooding
    implicitHeight: visible ? Theme.touchTarget + 8 : 0
    color: Theme.priorityColor(alarms.bannerPriority)

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: Theme.spacing
        anchors.rightMargin: Theme.spacing
        spacing: Theme.spacing
        Label {
            objectName: "bannerPriority"
            text: alarms.bannerPriority.toUpperCase()
            font.bold: true
            font.pixelSize: Theme.fontNormal
            color: Theme.background
        }
        Label {
            objectName: "bannerText"
            Layout.fillWidth: true
            text: alarms.hasBanner
                  ? alarms.bannerText + "  (" + alarms.bannerTag + ")"
                    + (alarms.unacknowledgedCount > 1 ? "  +" + (alarms.unacknowledgedCount - 1) + " more" : "")
                  : alarms.floodText
            elide: Text.ElideRight
            font.pixelSize: Theme.fontNormal
            font.bold: true
            color: Theme.background
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
