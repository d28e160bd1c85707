import QtQuick
import Waferscope.Console
import QtQuick.Controls
import QtQuick.Layouts
import Waferscope.ViewModels

// The live defect list, newest first, filterable by class, with the selected defect's crop.
Item {
    id: page
    required property ConsoleViewModel console
    readonly property DefectListModel defects: console.defects
    property var selected: ({})

    RowLayout {
        anchors.fill: parent
        anchors.margins: Theme.spacing
        spacing: Theme.spacing

        SectionCard {
            title: qsTr("Live defects (newest first, last %1 kept; all are in History)").arg(2000)
            Layout.fillWidth: true
            Layout.fillHeight: true
            RowLayout {
                Layout.fillWidth: true
                Label { text: qsTr("Class"); color: Theme.text; font.pixelSize: Theme.fontNormal }
                ComboBox {
                    id: classFilter
                    objectName: "classFilter"
                    implicitHeight: Theme.touchTarget
                    Layout.preferredWidth: 240
                    model: defects.classNames
                    displayText: currentText.length > 0 ? currentText : qsTr("all classes")
                    onActivated: index => defects.classFilter = defects.classNames[index]
                }
                Item { Layout.fillWidth: true }
                Label {
                    objectName: "defectCount"
                    text: qsTr("%1 shown · %2 received").arg(defects.count).arg(defects.totalReceived)
                    color: Theme.textMuted
                    font.pixelSize: Theme.fontNormal
                }
            }
            RowLayout {
                Layout.fillWidth: true
                Layout.leftMargin: 12 // the delegates' padding
                spacing: 0
                Repeater {
                    model: [qsTr("Time"), qsTr("Class"), qsTr("Size µm"), qsTr("Die"), qsTr("X µm"), qsTr("Y µm"), qsTr("Wafer")]
                    Label {
                        required property string modelData
                        Layout.preferredWidth: 110
                        text: modelData
                        color: Theme.textMuted
                        font.pixelSize: Theme.fontSmall
                    }
                }
            }
            ListView {
                id: list
                objectName: "defectList"
                Layout.fillWidth: true
                Layout.fillHeight: true
                clip: true
                model: page.defects
                reuseItems: true
                ScrollBar.vertical: ScrollBar {}
                delegate: ItemDelegate {
                    id: row
                    required property int index
                    required property string defectId
                    required property string defectClass
                    required property color classColor
                    required property real sizeUm
                    required property string die
                    required property real xUm
                    required property real yUm
                    required property string time
                    required property string waferId
                    width: ListView.view.width
                    height: 36
                    highlighted: ListView.isCurrentItem
                    onClicked: {
                        list.currentIndex = index
                        page.selected = page.defects.get(index)
                    }
                    contentItem: RowLayout {
                        spacing: 0
                        Label { Layout.preferredWidth: 110; text: row.time; color: Theme.text }
                        Row {
                            Layout.preferredWidth: 110
                            spacing: 6
                            Rectangle { width: 12; height: 12; radius: 6; color: row.classColor; anchors.verticalCenter: parent.verticalCenter }
                            Label { text: row.defectClass; color: Theme.text }
                        }
                        Label { Layout.preferredWidth: 110; text: row.sizeUm.toFixed(1); color: Theme.text }
                        Label { Layout.preferredWidth: 110; text: row.die; color: Theme.text }
                        Label { Layout.preferredWidth: 110; text: row.xUm.toFixed(0); color: Theme.text }
                        Label { Layout.preferredWidth: 110; text: row.yUm.toFixed(0); color: Theme.text }
                        Label { Layout.preferredWidth: 110; text: row.waferId; color: Theme.textMuted }
                        Item { Layout.fillWidth: true }
                    }
                }
            }
        }

        SectionCard {
            title: qsTr("Selected defect")
            Layout.preferredWidth: 320
            Layout.fillHeight: true
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
                    source: page.selected.imageUrl !== undefined ? page.selected.imageUrl : ""
                }
                Label {
                    anchors.centerIn: parent
                    visible: crop.status !== Image.Ready
                    text: page.selected.defectId === undefined ? qsTr("Select a defect")
                                                               : qsTr("No staged image")
                    color: Theme.textMuted
                }
            }
            Label {
                objectName: "selectedDetail"
                Layout.fillWidth: true
                wrapMode: Text.WordWrap
                color: Theme.text
                font.pixelSize: Theme.fontNormal
                text: page.selected.defectId === undefined ? ""
                      : qsTr("Defect %1\n%2, %3 µm\ndie %4 at (%5, %6) µm\nwafer %7, %8")
                        .arg(page.selected.defectId).arg(page.selected.defectClass)
                        .arg(Number(page.selected.sizeUm).toFixed(1)).arg(page.selected.die)
                        .arg(Number(page.selected.xUm).toFixed(0)).arg(Number(page.selected.yUm).toFixed(0))
                        .arg(page.selected.waferId).arg(page.selected.time)
            }
            Item { Layout.fillHeight: true }
        }
    }
}
