import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtCharts
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
        visible: !statistics.isAllowed
        text: qsTr("Pipeline statistics are for engineers and admins")
        color: Theme.textMuted
        font.pixelSize: Theme.fontLarge
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.spacing
        spacing: Theme.spacing
        visible: statistics.isAllowed

        RowLayout {
            spacing: Theme.spacing * 3
            ValueTile { objectName: "fpsTile"; label: qsTr("Frames/s"); value: statistics.framesPerSecond.toFixed(1) }
            ValueTile {
                objectName: "lagTile"
                label: qsTr("UI lag p50 / p99")
                value: statistics.lagP50Ms.toFixed(1) + " / " + statistics.lagP99Ms.toFixed(1) + " ms"
                tone: statistics.lagP99Ms > 16 ? Theme.warning : Theme.good
            }
            ValueTile { label: qsTr("UI posts/s"); value: statistics.marshalPostsPerSecond.toFixed(1) }
            ValueTile { label: qsTr("Allocations/s (process)"); value: statistics.allocationsPerSecond.toFixed(0) }
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
                ChartView {
                    id: chart
                    required property var modelData
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    title: modelData[1]
                    theme: ChartView.ChartThemeDark
                    backgroundColor: Theme.surface
                    titleColor: Theme.text
                    legend.visible: false
                    antialiasing: true
                    // Three labels fit the narrowest chart (the window's minimum width shares it by five).
                    ValueAxis {
                        id: axisX
                        min: -300; max: 0; tickCount: 3
                        labelFormat: "%d s"; labelsColor: Theme.textMuted
                        labelsFont.pixelSize: Theme.fontSmall
                    }
                    ValueAxis {
                        id: axisY
                        min: 0; max: 10; tickCount: 3
                        labelFormat: "%.3g"; labelsColor: Theme.textMuted
                        labelsFont.pixelSize: Theme.fontSmall
                    }
                    // A series per unbroken stretch: no line across time with nothing measured.
                    LineSeries { id: firstSegment; axisX: axisX; axisY: axisY; color: Theme.accent; width: 2 }
                    property var segmentSeries: [firstSegment]
                    function redraw() {
                        const key = chart.modelData[0]
                        const needed = page.statistics.segmentCount(key)
                        const list = chart.segmentSeries
                        while (list.length < needed) {
                            const added = chart.createSeries(ChartView.SeriesTypeLine, "", axisX, axisY)
                            added.color = Theme.accent
                            added.width = 2
                            list.push(added)
                        }
                        chart.segmentSeries = list
                        for (let i = 0; i < list.length; ++i)
                            page.statistics.fillSegment(list[i], key, i)
                        axisY.max = Math.max(1, page.statistics.seriesMax(key) * 1.2)
                        axisX.min = -Math.min(300, Math.max(30, Math.ceil(page.statistics.seriesSeconds / 30) * 30))
                    }
                    Connections {
                        target: page.statistics
                        function onRefreshed() {
                            if (page.visible)
                                chart.redraw()
                        }
                    }
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
