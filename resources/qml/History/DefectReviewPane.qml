import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Waferscope.Console
import Waferscope.ViewModels

// The open wafer's defects: pick one (click or arrow keys) to see its crop and measurements;
// engineers reclassify it (stored and audited).
SectionCard {
    id: root
    required property DefectReviewModel review
    required property SessionViewModel session
    title: qsTr("Defects of this wafer")

    DataTable {
        id: table
        objectName: "reviewTable"
        Layout.fillWidth: true
        Layout.fillHeight: true
        table: root.review
        emptyText: qsTr("No defects")
        onCurrentRowChanged: root.review.pick(table.currentRow)
    }
    RowLayout {
        Layout.fillWidth: true
        spacing: Theme.spacing
        Rectangle {
            Layout.preferredWidth: 180
            Layout.preferredHeight: 180
            color: Theme.background
            border.color: Theme.border
            Image {
                id: crop
                objectName: "reviewCrop"
                anchors.fill: parent
                anchors.margins: 1
                fillMode: Image.PreserveAspectFit
                smooth: false
                cache: false
                source: root.review.imageUrl
                Accessible.name: qsTr("Crop of defect %1").arg(root.review.pickedId)
            }
            Label {
                anchors.centerIn: parent
                visible: crop.status !== Image.Ready
                text: root.review.hasPick ? qsTr("No crop image") : qsTr("No defect picked")
                color: Theme.textMuted
            }
        }
        ColumnLayout {
            Layout.fillWidth: true
            Layout.alignment: Qt.AlignTop
            Label {
                objectName: "reviewDetail"
                Layout.fillWidth: true
                text: root.review.detailText
                color: Theme.text
                wrapMode: Text.WordWrap
                font.pixelSize: Theme.fontSmall
            }
            ReclassifyRow { Layout.fillWidth: true; review: root.review; session: root.session }
        }
    }
}
