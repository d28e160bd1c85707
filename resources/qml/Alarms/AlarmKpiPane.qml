import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Waferscope.Console
import Waferscope.ViewModels

// How the alarm system performed over a period, by ISA-18.2's measures: each headline figure in
// the colour of its verdict against the standard's target, then the lists behind them.
Item {
    id: root
    required property AlarmKpiModel kpis
    onVisibleChanged: if (root.visible) root.kpis.refresh()

    function toneColor(tone) {
        return tone === "alarm" ? Theme.danger : tone === "warning" ? Theme.warning : Theme.good
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.spacing
        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacing
            ComboBox {
                objectName: "kpiPeriod"
                implicitHeight: Theme.touchTarget
                Layout.preferredWidth: 230
                model: root.kpis.periodNames
                currentIndex: root.kpis.periodIndex
                onActivated: index => root.kpis.periodIndex = index
                Accessible.name: qsTr("Period")
            }
            Button {
                objectName: "kpiRefresh"
                text: qsTr("Refresh")
                implicitHeight: Theme.touchTarget
                enabled: !root.kpis.isLoading
                onClicked: root.kpis.refresh()
                Accessible.name: qsTr("Refresh the alarm KPIs")
            }
            Label {
                objectName: "kpiPeriodText"
                Layout.fillWidth: true
                text: root.kpis.errorText.length > 0 ? root.kpis.errorText : root.kpis.periodText
                color: root.kpis.errorText.length > 0 ? Theme.danger : Theme.textMuted
                elide: Text.ElideRight
            }
        }

        GridLayout {
            Layout.fillWidth: true
            columns: 3
            columnSpacing: Theme.spacing
            rowSpacing: Theme.spacing / 2
            ValueTile {
                objectName: "kpiRate"
                Layout.fillWidth: true
                Layout.preferredWidth: 1
                label: qsTr("Alarms per hour at this console")
                value: root.kpis.rateText
                tone: root.toneColor(root.kpis.rateTone)
                ToolTip.text: root.kpis.rateTarget
                ToolTip.visible: rateHover.hovered
                ToolTip.delay: 500
                HoverHandler { id: rateHover }
            }
            Label {
                objectName: "kpiPeak"
                Layout.fillWidth: true
                Layout.preferredWidth: 1
                text: root.kpis.peakText
                color: root.toneColor(root.kpis.peakTone)
                wrapMode: Text.WordWrap
            }
            Label {
                objectName: "kpiFlood"
                Layout.fillWidth: true
                Layout.preferredWidth: 1
                text: root.kpis.floodText
                color: root.toneColor(root.kpis.floodTone)
                wrapMode: Text.WordWrap
            }
            Label {
                objectName: "kpiBadActors"
                Layout.fillWidth: true
                Layout.preferredWidth: 1
                text: root.kpis.badActorText
                color: root.toneColor(root.kpis.badActorTone)
                wrapMode: Text.WordWrap
            }
            Label {
                objectName: "kpiChattering"
                Layout.fillWidth: true
                Layout.preferredWidth: 1
                text: root.kpis.chatteringText
                color: root.toneColor(root.kpis.chatteringTone)
                wrapMode: Text.WordWrap
            }
            Label {
                objectName: "kpiStanding"
                Layout.fillWidth: true
                Layout.preferredWidth: 1
                text: root.kpis.standingText
                color: root.toneColor(root.kpis.standingTone)
                wrapMode: Text.WordWrap
            }
            Label {
                objectName: "kpiPriorities"
                Layout.columnSpan: 2
                Layout.fillWidth: true
                Layout.preferredWidth: 2
                text: root.kpis.priorityText
                color: Theme.textMuted
                wrapMode: Text.WordWrap
            }
            Label {
                objectName: "kpiResponse"
                Layout.fillWidth: true
                Layout.preferredWidth: 1
                text: root.kpis.responseText
                color: Theme.textMuted
                wrapMode: Text.WordWrap
            }
        }

        GridLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            columns: 3
            columnSpacing: Theme.spacing
            rowSpacing: Theme.spacing
            SummaryList {
                objectName: "kpiBadActorList"
                Layout.fillWidth: true
                Layout.fillHeight: true
                Layout.preferredWidth: 1
                title: qsTr("Top 10 bad actors")
                emptyText: qsTr("No alarms in the period")
                rows: root.kpis.badActors
                columns: [{ key: "tag", title: qsTr("Alarm"), width: 150 },
                          { key: "priority", title: qsTr("Priority"), width: 80 },
                          { key: "activations", title: qsTr("Alarms"), width: 60 },
                          { key: "share", title: qsTr("Share"), width: 60 }]
            }
            SummaryList {
                objectName: "kpiFloodList"
                Layout.fillWidth: true
                Layout.fillHeight: true
                Layout.preferredWidth: 1
                title: qsTr("Flood periods (over 10 alarms in 10 min)")
                emptyText: qsTr("No flood in the period")
                rows: root.kpis.floods
                columns: [{ key: "began", title: qsTr("Began"), width: 170 },
                          { key: "length", title: qsTr("Length"), width: 120 },
                          { key: "activations", title: qsTr("Alarms"), width: 60 },
                          { key: "peak", title: qsTr("Peak"), width: 50 }]
            }
            SummaryList {
                objectName: "kpiStandingList"
                Layout.fillWidth: true
                Layout.fillHeight: true
                Layout.preferredWidth: 1
                title: qsTr("Standing alarms (stale in orange)")
                emptyText: qsTr("Nothing in alarm now")
                rows: root.kpis.standing
                warnKey: "stale"
                columns: [{ key: "tag", title: qsTr("Alarm"), width: 150 },
                          { key: "state", title: qsTr("State"), width: 130 },
                          { key: "age", title: qsTr("For"), width: 110 }]
            }
            SummaryList {
                objectName: "kpiChatteringList"
                Layout.fillWidth: true
                Layout.fillHeight: true
                Layout.preferredWidth: 1
                title: qsTr("Chattering (3 in 1 min)")
                emptyText: qsTr("No chattering alarm")
                rows: root.kpis.chattering
                columns: [{ key: "tag", title: qsTr("Alarm"), width: 150 },
                          { key: "episodes", title: qsTr("Bursts"), width: 70 },
                          { key: "activations", title: qsTr("Alarms"), width: 60 }]
            }
            SummaryList {
                objectName: "kpiUserList"
                Layout.fillWidth: true
                Layout.fillHeight: true
                Layout.preferredWidth: 1
                title: qsTr("Responses by user")
                emptyText: qsTr("Nobody acknowledged or shelved")
                rows: root.kpis.users
                columns: [{ key: "user", title: qsTr("User"), width: 150 },
                          { key: "acknowledgements", title: qsTr("Acknowledged"), width: 130 },
                          { key: "shelves", title: qsTr("Shelved"), width: 70 }]
            }
        }
    }
}
