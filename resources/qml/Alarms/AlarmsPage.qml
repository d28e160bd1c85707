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
            PageTab {
                id: activeTab
                objectName: "activeAlarmsTab"
                text: qsTr("Active")
                Accessible.name: qsTr("Active alarms")
            }
            PageTab {
                id: logTab
                objectName: "alarmLogTab"
                text: qsTr("History")
                Accessible.name: qsTr("Alarm history")
            }
            PageTab {
                id: kpiTab
                objectName: "alarmKpiTab"
                text: qsTr("Performance")
                Accessible.name: qsTr("Alarm performance (ISA-18.2)")
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
