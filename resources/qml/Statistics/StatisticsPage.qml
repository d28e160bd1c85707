import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Waferscope.Console
import Waferscope.ViewModels

// Engineer: every stage, channel, pool, executor and marshal with its counters and rates,
// the UI thread's lag, and live charts of the last minutes.
Item {
    id: page
    required property ConsoleViewModel console
    readonly property StatisticsViewModel statistics: console.statistics

    Label {
        objectName: "notAllowed"
        // Near the top, not the middle: on a small window the page is taller than what shows.
        anchors.horizontalCenter: parent.horizontalCenter
        anchors.top: parent.top
        anchors.topMargin: Theme.spacing * 10
        visible: !page.statistics.isAllowed
        text: qsTr("Pipeline statistics are for engineers and admins")
        color: Theme.textMuted
        font.pixelSize: Theme.fontLarge
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.spacing
        spacing: Theme.spacing
        visible: page.statistics.isAllowed

        RowLayout {
            spacing: Theme.spacing * 3
            ValueTile { objectName: "fpsTile"; label: qsTr("Frames/s"); value: page.statistics.framesPerSecond.toFixed(1) }
            ValueTile {
                objectName: "lagTile"
                label: qsTr("UI lag p50 / p99")
                value: page.statistics.lagP50Ms.toFixed(1) + " / " + page.statistics.lagP99Ms.toFixed(1) + " ms"
                tone: page.statistics.lagP99Ms > 16 ? Theme.warning : Theme.good
            }
            ValueTile { label: qsTr("UI posts/s"); value: page.statistics.marshalPostsPerSecond.toFixed(1) }
            ValueTile { label: qsTr("Allocations/s (process)"); value: page.statistics.allocationsPerSecond.toFixed(0) }
            Item { Layout.fillWidth: true }
            // Freeze the page to read or compare its figures; the charts show the frozen time as a gap.
            CommandButton {
                objectName: "pauseButton"
                text: page.statistics.isPaused ? qsTr("Resume") : qsTr("Freeze")
                onClicked: page.statistics.isPaused = !page.statistics.isPaused
            }
        }

        RowLayout {
            Layout.fillWidth: true
            Layout.preferredHeight: 210
            Layout.maximumHeight: 210
            spacing: Theme.spacing
            Repeater {
                model: [["frames", qsTr("Frames processed /s")], ["defects", qsTr("Defects /s")],
                        ["detectionP99", qsTr("Frame latency p99 (ms)")], ["poolInUse", qsTr("Frame pool in use")],
                        ["uiLag", qsTr("UI lag p99 (ms)")]]
                SeriesChart {
                    required property var modelData
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    title: modelData[1]
                    key: modelData[0]
                    statistics: page.statistics // qmllint disable unqualified
                    isShown: page.visible // qmllint disable unqualified
                }
            }
        }

        SummaryList {
            objectName: "stageList"
            Layout.fillWidth: true
            Layout.preferredHeight: 150
            title: qsTr("Pipeline stages (detection and staging: this run; persistence: since start)")
            emptyText: qsTr("No stage measured yet")
            rows: page.statistics.stages
            columns: [{ key: "stage", title: qsTr("Stage"), width: 160 },
                      { key: "throughput", title: qsTr("Throughput"), width: 170 },
                      { key: "p50", title: qsTr("Latency p50"), width: 120 },
                      { key: "p99", title: qsTr("Latency p99"), width: 120 },
                      { key: "latencySpan", title: qsTr("Latency from → to"), width: 200 }]
        }

        SectionCard {
            title: qsTr("Stages, channels, pools, executors, marshals")
            Layout.fillWidth: true
            Layout.fillHeight: true
            DataTable {
                objectName: "statsTable"
                Layout.fillWidth: true
                Layout.fillHeight: true
                table: page.statistics.table
                emptyText: qsTr("No pipeline primitive registered")
            }
        }
    }
}
