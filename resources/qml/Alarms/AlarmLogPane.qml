import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Waferscope.Console
import Waferscope.ViewModels

// The alarm events the database keeps, of every run and session: who acknowledged, why shelved.
Item {
    id: root
    required property AlarmLogModel log
    onVisibleChanged: if (root.visible) root.log.refresh()

    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.spacing
        LogFilterBar {
            objectName: "alarmLogFilter"
            Layout.fillWidth: true
            log: root.log
            ComboBox {
                objectName: "alarmLogPriority"
                implicitHeight: Theme.touchTarget
                Layout.preferredWidth: 170
                model: root.log.priorityNames
                currentIndex: root.log.priorityIndex
                onActivated: index => root.log.priorityIndex = index
                Accessible.name: qsTr("Priority")
            }
        }
        DataTable {
            objectName: "alarmLogTable"
            Layout.fillWidth: true
            Layout.fillHeight: true
            table: root.log
            emptyText: qsTr("No alarm events stored")
        }
    }
}
