import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Waferscope.Console
import Waferscope.ViewModels

// Past runs from the database: open one to see its wafer maps and review its defects; engineers
// re-export a KLARF file and reclassify defects.
Item {
    id: root
    required property ConsoleViewModel console
    readonly property HistoryViewModel history: root.console.history
    readonly property SessionViewModel session: root.console.session
    onVisibleChanged: if (root.visible) root.history.refresh()

    RowLayout {
        anchors.fill: parent
        anchors.margins: Theme.spacing
        spacing: Theme.spacing

        // The three panes share the width in proportion to their preferred widths and never get
        // narrower than what their controls need (Theme.pageMinimumWidth holds all three).
        RunListPane {
            Layout.preferredWidth: 440
            Layout.minimumWidth: 320
            Layout.fillWidth: true
            Layout.fillHeight: true
            history: root.history
            session: root.session
            dataFolder: root.console.dataFolder
        }

        SectionCard {
            objectName: "historyMapCard"
            titleInCapitals: root.history.klarfTitle.length === 0
            title: root.history.klarfTitle.length > 0 ? root.history.klarfTitle
                   : root.history.openRunId.length > 0 ? qsTr("Run %1").arg(root.history.openRunId) : qsTr("Open a run")
            Layout.preferredWidth: 520
            Layout.minimumWidth: 440
            Layout.fillWidth: true
            Layout.fillHeight: true
            RowLayout {
                Layout.fillWidth: true
                visible: root.history.wafers.length > 0
                ComboBox {
                    objectName: "waferBox"
                    implicitHeight: Theme.touchTarget
                    Layout.preferredWidth: 240
                    model: Array.from(root.history.wafers, w => w.waferId + " (" + w.defects + ")")
                    currentIndex: root.history.waferIndex
                    enabled: !root.history.isBusy
                    onActivated: index => root.history.selectWafer(index)
                    Accessible.name: qsTr("Wafer")
                }
                CommandButton {
                    objectName: "exportButton"
                    text: qsTr("Export KLARF")
                    enabled: root.session.canExport && !root.history.isBusy && root.history.waferIndex >= 0
                    onClicked: root.history.exportKlarf(root.history.waferIndex)
                }
                Item { Layout.fillWidth: true }
            }
            Label {
                visible: !root.session.canExport && root.history.wafers.length > 0
                text: qsTr("Engineers and admins export KLARF files")
                color: Theme.textMuted
                font.pixelSize: Theme.fontSmall
                wrapMode: Text.WordWrap
                Layout.fillWidth: true
            }
            WaferMap {
                id: historyMap
                objectName: "historyMap"
                Layout.fillWidth: true
                Layout.fillHeight: true
                model: root.history.map
                Accessible.name: qsTr("Wafer map")
                DefectMark { map: historyMap }
            }
            ClassLegend { objectName: "historyLegend"; Layout.fillWidth: true }
        }

        DefectReviewPane {
            Layout.preferredWidth: 560
            Layout.minimumWidth: 560
            Layout.fillWidth: true
            Layout.fillHeight: true
            review: root.history.review
            session: root.session
        }
    }
}
