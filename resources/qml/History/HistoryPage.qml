import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Waferscope.Console
import Waferscope.ViewModels

// Past runs from the database: open one to see its wafer maps; engineers re-export a KLARF file.
Item {
    id: page
    required property ConsoleViewModel console
    readonly property HistoryViewModel history: console.history
    readonly property SessionViewModel session: console.session
    onVisibleChanged: if (visible) history.refresh()

    RowLayout {
        anchors.fill: parent
        anchors.margins: Theme.spacing
        spacing: Theme.spacing

        SectionCard {
            title: qsTr("Runs")
            Layout.preferredWidth: 560
            Layout.fillHeight: true
            RowLayout {
                Layout.fillWidth: true
                CommandButton { objectName: "refreshButton"; text: qsTr("Refresh"); enabled: !history.isBusy; onClicked: history.refresh() }
                BusyIndicator { running: history.isBusy; implicitHeight: Theme.touchTarget }
                Label { Layout.fillWidth: true; text: history.statusText; color: Theme.textMuted; elide: Text.ElideRight }
            }
            Label { objectName: "historyError"; visible: text.length > 0; text: history.errorText; color: Theme.danger; wrapMode: Text.WordWrap; Layout.fillWidth: true }
            ListView {
                id: runList
                objectName: "runList"
                Layout.fillWidth: true
                Layout.fillHeight: true
                clip: true
                model: history.runs
                enabled: !history.isBusy
                ScrollBar.vertical: ScrollBar {}
                delegate: ItemDelegate {
                    id: runRow
                    required property var modelData
                    required property int index
                    width: ListView.view.width
                    height: 56
                    highlighted: history.openRunId === modelData.runId
                    onClicked: history.openRun(modelData.runId)
                    contentItem: ColumnLayout {
                        spacing: 0
                        Label { text: runRow.modelData.runName + "  " + runRow.modelData.lotId + "  —  " + runRow.modelData.state; color: Theme.text; font.bold: true }
                        Label {
                            text: runRow.modelData.started + "  ·  " + runRow.modelData.recipe + "  ·  " + runRow.modelData.wafers
                                  + qsTr(" wafer(s)  ·  ") + runRow.modelData.defects + qsTr(" defects")
                            color: Theme.textMuted
                            font.pixelSize: Theme.fontSmall
                        }
                    }
                }
            }
        }

        SectionCard {
            title: history.openRunId.length > 0 ? qsTr("Run %1").arg(history.openRunId) : qsTr("Open a run")
            Layout.fillWidth: true
            Layout.fillHeight: true
            RowLayout {
                Layout.fillWidth: true
                visible: history.wafers.length > 0
                ComboBox {
                    objectName: "waferBox"
                    implicitHeight: Theme.touchTarget
                    Layout.preferredWidth: 260
                    model: history.wafers.map(w => w.waferId + " (" + w.defects + ")")
                    currentIndex: history.waferIndex
                    enabled: !history.isBusy
                    onActivated: index => history.selectWafer(index)
                }
                CommandButton {
                    objectName: "exportButton"
                    text: qsTr("Export KLARF")
                    enabled: session.canExport && !history.isBusy && history.waferIndex >= 0
                    onClicked: history.exportKlarf(history.waferIndex)
                }
                Label { visible: !session.canExport; text: qsTr("Engineers export results"); color: Theme.textMuted }
            }
            WaferMap {
                objectName: "historyMap"
                Layout.fillWidth: true
                Layout.fillHeight: true
                model: history.map
            }
        }
    }
}
