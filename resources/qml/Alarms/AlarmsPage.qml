import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Waferscope.Console
import Waferscope.ViewModels

// Technician: the active alarms (acknowledge, shelve, unshelve); on the History tab, every alarm
// event the database keeps, of every run and session; on the Performance tab, ISA-18.2's KPIs.
Item {
    id: root
    required property ConsoleViewModel console
    readonly property AlarmsViewModel alarms: root.console.alarms
    readonly property SessionViewModel session: root.console.session
    property alias currentTab: tabs.currentIndex

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.spacing
        spacing: Theme.spacing
        TabBar {
            id: tabs
            objectName: "alarmTabs"
            Layout.fillWidth: true
            // The chosen tab is the raised, underlined one (the Basic style draws it the other way
            // round on this dark theme).
            TabButton {
                id: activeTab
                objectName: "activeAlarmsTab"
                text: qsTr("Active")
                implicitHeight: Theme.touchTarget
                Accessible.name: qsTr("Active alarms")
                background: Rectangle {
                    color: activeTab.checked ? Theme.selection : Theme.surface
                    Rectangle { anchors.bottom: parent.bottom; width: parent.width; height: 3; color: Theme.accent; visible: activeTab.checked }
                }
            }
            TabButton {
                id: logTab
                objectName: "alarmLogTab"
                text: qsTr("History")
                implicitHeight: Theme.touchTarget
                Accessible.name: qsTr("Alarm history")
                background: Rectangle {
                    color: logTab.checked ? Theme.selection : Theme.surface
                    Rectangle { anchors.bottom: parent.bottom; width: parent.width; height: 3; color: Theme.accent; visible: logTab.checked }
                }
            }
            TabButton {
                id: kpiTab
                objectName: "alarmKpiTab"
                text: qsTr("Performance")
                implicitHeight: Theme.touchTarget
                Accessible.name: qsTr("Alarm performance (ISA-18.2)")
                background: Rectangle {
                    color: kpiTab.checked ? Theme.selection : Theme.surface
                    Rectangle { anchors.bottom: parent.bottom; width: parent.width; height: 3; color: Theme.accent; visible: kpiTab.checked }
                }
            }
        }
        StackLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            currentIndex: tabs.currentIndex
            ActiveAlarmsPane {
                alarms: root.alarms
                session: root.session
                onShelveRequested: tag => { shelveDialog.tag = tag; shelveDialog.open() }
            }
            AlarmLogPane { objectName: "alarmLogPane"; log: root.console.alarmLog }
            AlarmKpiPane { objectName: "alarmKpiPane"; kpis: root.console.alarmKpis }
        }
    }

    ShelveDialog { id: shelveDialog; objectName: "shelveDialog"; alarms: root.alarms; anchors.centerIn: parent }
}
