import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Waferscope.Console
import Waferscope.ViewModels

// The live defects as a sortable table, filterable by class, following the newest or frozen so a
// picked defect stays put during a run; the picked defect's crop and measurements beside it.
Item {
    id: root
    required property ConsoleViewModel console
    readonly property DefectListModel defects: root.console.defects
    readonly property DefectTableModel table: root.console.defectTable

    RowLayout {
        anchors.fill: parent
        anchors.margins: Theme.spacing
        spacing: Theme.spacing

        SectionCard {
            title: qsTr("Live defects (last %1 kept; all are in History)").arg(2000)
            Layout.fillWidth: true
            Layout.fillHeight: true
            DefectToolbar { Layout.fillWidth: true; defects: root.defects; table: root.table }
            DataTable {
                id: defectTable
                objectName: "defectTable"
                Layout.fillWidth: true
                Layout.fillHeight: true
                table: root.table
                emptyText: qsTr("No defects yet")
                onCurrentRowChanged: root.table.pick(defectTable.currentRow)
            }
            Connections {
                target: root.table
                function onCountChanged() { if (root.table.isFollowing) defectTable.showFirstRow() }
            }
        }

        SectionCard {
            title: qsTr("Picked defect")
            Layout.preferredWidth: 320
            Layout.fillHeight: true
            ClassLegend { Layout.fillWidth: true; columns: 2 }
            Rectangle {
                Layout.preferredWidth: 256
                Layout.preferredHeight: 256
                color: Theme.background
                border.color: Theme.border
                Image {
                    id: crop
                    objectName: "cropImage"
                    anchors.fill: parent
                    anchors.margins: 1
                    fillMode: Image.PreserveAspectFit
                    smooth: false
                    cache: false
                    source: root.table.imageUrl
                    Accessible.name: qsTr("Crop of defect %1").arg(root.table.pickedId)
                }
                Label {
                    anchors.centerIn: parent
                    visible: crop.status !== Image.Ready
                    text: root.table.hasPick ? qsTr("No staged image") : qsTr("Pick a defect")
                    color: Theme.textMuted
                }
            }
            Label {
                objectName: "selectedDetail"
                Layout.fillWidth: true
                wrapMode: Text.WordWrap
                color: Theme.text
                text: root.table.detailText
            }
            Item { Layout.fillHeight: true }
        }
    }
}
