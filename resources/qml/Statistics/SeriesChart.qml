// qmllint disable
// (Qt 6.4's QtCharts type description lacks ValueAxis: qmllint cannot resolve the axes here.)
import QtQuick
import QtCharts
import Waferscope.Console
import Waferscope.ViewModels

// One live chart of the Statistics page: series `key` of the last minutes, a line per unbroken
// stretch, so that nothing is drawn across time with nothing measured.
ChartView {
    id: chart
    required property StatisticsViewModel statistics
    required property string key
    /// Whether to redraw on each refresh (the page is shown).
    property bool isShown: true
    property var segmentSeries: [firstSegment]

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
        labelFormat: "%.4g"; labelsColor: Theme.textMuted
        labelsFont.pixelSize: Theme.fontSmall
    }
    LineSeries { id: firstSegment; axisX: axisX; axisY: axisY; color: Theme.accent; width: 2 }

    /// The axis's top: 1, 2 or 5 times a power of ten, at least `value` and 1 (so that the middle
    /// tick is a round number too).
    function roundUp(value) {
        if (!(value > 1))
            return 1
        const power = Math.pow(10, Math.floor(Math.log10(value)))
        for (const step of [1, 2, 5, 10]) {
            if (step * power >= value)
                return step * power
        }
        return 10 * power
    }

    function redraw() {
        const needed = chart.statistics.segmentCount(chart.key)
        const list = chart.segmentSeries
        while (list.length < needed) {
            const added = chart.createSeries(ChartView.SeriesTypeLine, "", axisX, axisY)
            added.color = Theme.accent
            added.width = 2
            list.push(added)
        }
        chart.segmentSeries = list
        for (let i = 0; i < list.length; ++i)
            chart.statistics.fillSegment(list[i], chart.key, i)
        axisY.max = chart.roundUp(chart.statistics.seriesMax(chart.key) * 1.1)
        axisX.min = -Math.min(300, Math.max(30, Math.ceil(chart.statistics.seriesSeconds / 30) * 30))
    }
    Connections {
        target: chart.statistics
        function onRefreshed() {
            if (chart.isShown)
                chart.redraw()
        }
    }
}
