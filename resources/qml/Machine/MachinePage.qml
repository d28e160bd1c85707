import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Waferscope.Console
import Waferscope.ViewModels

// The machine's devices at a glance, its SEMI E10 equipment state with scheduled maintenance, and
// the time in each E10 state per shift.
Item {
    id: page
    required property ConsoleViewModel console
    readonly property MachineViewModel machine: console.machine
    readonly property EquipmentTimesModel times: console.equipmentTimes
    onVisibleChanged: if (visible) times.refresh()
    Timer { interval: 60000; repeat: true; running: page.visible; onTriggered: page.times.refresh() }
    // A change of state reaches the store through the writer's queue: read the shifts again a
    // moment after it.
    readonly property string shownState: machine.e10State
    onShownStateChanged: if (visible) stateRead.restart()
    Timer { id: stateRead; interval: 1500; onTriggered: page.times.refresh() }

    GridLayout {
        anchors.fill: parent
        anchors.margins: Theme.spacing
        columns: 3
        rowSpacing: Theme.spacing
        columnSpacing: Theme.spacing

        SectionCard {
            title: qsTr("Equipment state (SEMI E10)")
            Layout.fillWidth: true
            Layout.columnSpan: 3
            RowLayout {
                spacing: Theme.spacing * 2
                Label {
                    objectName: "e10State"
                    text: page.machine.e10State
                    font.pixelSize: Theme.fontHuge
                    font.bold: true
                    font.capitalization: Font.AllUppercase
                    color: page.machine.e10State === "productive" ? Theme.good
                         : page.machine.e10State === "unscheduled down" ? Theme.danger
                         : page.machine.e10State === "scheduled down" ? Theme.warning
                         : page.machine.e10State === "engineering" ? Theme.accent : Theme.text
                }
                Label {
                    text: page.machine.machineName + (page.machine.isSimulated ? qsTr(" — simulated machine") : "")
                    color: Theme.textMuted
                    font.pixelSize: Theme.fontNormal
                }
                ValueTile {
                    objectName: "shiftAvailability"
                    label: qsTr("Availability, this shift")
                    value: page.times.availabilityText
                }
                ValueTile {
                    objectName: "shiftUtilization"
                    label: qsTr("Utilization, this shift")
                    value: page.times.utilizationText
                }
                Item { Layout.fillWidth: true }
                // Scheduled maintenance: technicians announce it; no run starts meanwhile.
                TextField {
                    id: maintenanceReason
                    objectName: "maintenanceReason"
                    visible: !page.machine.isInMaintenance
                    enabled: page.machine.canChangeMaintenance
                    implicitHeight: Theme.touchTarget
                    Layout.preferredWidth: 260
                    placeholderText: qsTr("Why (e.g. lamp replacement)")
                    Accessible.name: qsTr("Reason for maintenance")
                    onAccepted: startMaintenance.clicked()
                }
                Label {
                    objectName: "maintenanceText"
                    visible: page.machine.isInMaintenance
                    text: qsTr("Maintenance: %1").arg(page.machine.maintenanceReason)
                    color: Theme.warning
                    elide: Text.ElideRight
                    Layout.maximumWidth: 320
                }
                CommandButton {
                    id: startMaintenance
                    objectName: "maintenanceButton"
                    text: page.machine.isInMaintenance ? qsTr("End maintenance") : qsTr("Start maintenance")
                    tone: Theme.warning
                    enabled: page.machine.canChangeMaintenance
                             && (page.machine.isInMaintenance || maintenanceReason.text.trim().length > 0)
                    Accessible.name: text
                    onClicked: {
                        if (page.machine.isInMaintenance) {
                            page.machine.endMaintenance()
                        } else if (page.machine.startMaintenance(maintenanceReason.text)) {
                            maintenanceReason.text = ""
                        }
                        page.times.refresh()
                    }
                }
            }
            Label {
                objectName: "machineError"
                visible: page.machine.errorText.length > 0
                text: page.machine.errorText
                color: Theme.danger
                wrapMode: Text.WordWrap
                Layout.fillWidth: true
            }
        }

        SectionCard {
            title: qsTr("Heartbeat")
            Layout.fillWidth: true
            RowLayout {
                spacing: Theme.spacing
                Rectangle {
                    id: pulse
                    objectName: "heartbeatPulse"
                    width: 28; height: 28; radius: 14
                    color: page.machine.heartbeatAlive ? Theme.good : Theme.danger
                    property int lastSequence: 0
                    Connections {
                        target: page.machine
                        function onRefreshed() {
                            if (page.machine.heartbeatSequence !== pulse.lastSequence) {
                                pulse.lastSequence = page.machine.heartbeatSequence
                                beat.restart()
                            }
                        }
                    }
                    SequentialAnimation {
                        id: beat
                        NumberAnimation { target: pulse; property: "scale"; to: 1.3; duration: 80 }
                        NumberAnimation { target: pulse; property: "scale"; to: 1.0; duration: 160 }
                    }
                }
                ValueTile { objectName: "heartbeatState"; label: qsTr("State"); value: page.machine.heartbeatAlive ? qsTr("alive") : qsTr("LOST"); tone: page.machine.heartbeatAlive ? Theme.good : Theme.danger }
            }
            ValueTile { label: qsTr("Latency p50"); value: page.machine.heartbeatLatencyMs.toFixed(1) + " ms" }
            ValueTile { label: qsTr("Jitter"); value: page.machine.heartbeatJitterMs.toFixed(1) + " ms" }
            ValueTile { label: qsTr("Beat / losses"); value: page.machine.heartbeatSequence + " / " + page.machine.heartbeatMissed }
        }

        SectionCard {
            title: qsTr("Stage")
            Layout.fillWidth: true
            ValueTile { label: qsTr("Position"); value: "X " + page.machine.stageXMm.toFixed(3) + "  Y " + page.machine.stageYMm.toFixed(3) + " mm" }
            ValueTile { label: qsTr("Motion"); value: page.machine.stageMoving ? qsTr("moving") : qsTr("still") }
            ValueTile { label: qsTr("Following error"); value: page.machine.followingErrorUm.toFixed(2) + " µm" }
            ValueTile { objectName: "encoderState"; label: qsTr("Encoder"); value: page.machine.encoderHealthy ? qsTr("healthy") : qsTr("FAULT"); tone: page.machine.encoderHealthy ? Theme.good : Theme.danger }
        }

        SectionCard {
            title: qsTr("Illumination, vacuum, camera")
            Layout.fillWidth: true
            ValueTile { label: qsTr("Lamp set / read"); value: page.machine.lampSetpointPercent.toFixed(1) + " / " + page.machine.lampReadbackPercent.toFixed(1) + " %" }
            ValueTile { objectName: "vacuumTile"; label: qsTr("Vacuum"); value: page.machine.vacuumKpa.toFixed(1) + " kPa" + (page.machine.vacuumOn ? "" : qsTr(" (off)")) }
            ValueTile { label: qsTr("Wafer"); value: page.machine.waferClamped ? qsTr("clamped") : qsTr("not clamped") }
            ValueTile { label: qsTr("Camera"); value: page.machine.cameraConnected ? (page.machine.cameraAcquiring ? qsTr("acquiring") : qsTr("connected")) : qsTr("DISCONNECTED"); tone: page.machine.cameraConnected ? Theme.text : Theme.danger }
        }
        SectionCard {
            title: qsTr("Simulator: start a fault now")
            objectName: "simulatorCard"
            visible: page.machine.simulatorFaults.length > 0
            Layout.fillWidth: true
            Layout.columnSpan: 3
            Flow {
                Layout.fillWidth: true
                spacing: Theme.spacing
                Repeater {
                    model: page.machine.simulatorFaults
                    CommandButton {
                        required property string modelData
                        required property int index
                        objectName: "simulateFault" + index
                        text: modelData
                        tone: Theme.warning
                        enabled: page.console.session.isLoggedIn // qmllint disable unqualified
                        onClicked: page.machine.simulateFault(index) // qmllint disable unqualified
                    }
                }
            }
            Label {
                text: qsTr("A vacuum drop only shows while the vacuum is on, during a run; each fault raises its alarm and the run pauses or aborts as its recipe says.")
                color: Theme.textMuted
                font.pixelSize: Theme.fontSmall
                wrapMode: Text.WordWrap
                Layout.fillWidth: true
            }
        }
        SummaryList {
            objectName: "shiftTimes"
            title: qsTr("Time in state per shift, last 7 days (SEMI E10; \"not running\": the console was off)")
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.minimumHeight: 180
            Layout.columnSpan: 3
            emptyText: page.times.errorText.length > 0 ? page.times.errorText : qsTr("No state recorded yet")
            rows: page.times.shifts
            columns: [{ key: "shift", title: qsTr("Shift"), width: 275 },
                      { key: "productive", title: qsTr("Productive"), width: 105 },
                      { key: "standby", title: qsTr("Standby"), width: 105 },
                      { key: "engineering", title: qsTr("Engineering"), width: 105 },
                      { key: "scheduledDown", title: qsTr("Scheduled down"), width: 145 },
                      { key: "unscheduledDown", title: qsTr("Unscheduled down"), width: 165 },
                      { key: "nonScheduled", title: qsTr("Not running"), width: 105 },
                      { key: "availability", title: qsTr("Availability"), width: 105 },
                      { key: "utilization", title: qsTr("Utilization"), width: 90 }]
        }
    }
}
