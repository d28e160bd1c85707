import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Waferscope.Console
import Waferscope.ViewModels

// The machine's devices at a glance, and its SEMI E10 equipment state.
Item {
    id: page
    required property ConsoleViewModel console
    readonly property MachineViewModel machine: console.machine

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
                    text: machine.e10State
                    font.pixelSize: Theme.fontHuge
                    font.bold: true
                    font.capitalization: Font.AllUppercase
                    color: machine.e10State === "productive" ? Theme.good
                         : machine.e10State === "unscheduled down" ? Theme.danger
                         : machine.e10State === "engineering" ? Theme.accent : Theme.text
                }
                Label {
                    text: machine.machineName + (machine.isSimulated ? qsTr(" — simulated machine") : "")
                    color: Theme.textMuted
                    font.pixelSize: Theme.fontNormal
                }
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
                    color: machine.heartbeatAlive ? Theme.good : Theme.danger
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
                ValueTile { objectName: "heartbeatState"; label: qsTr("State"); value: machine.heartbeatAlive ? qsTr("alive") : qsTr("LOST"); tone: machine.heartbeatAlive ? Theme.good : Theme.danger }
            }
            ValueTile { label: qsTr("Latency p50"); value: machine.heartbeatLatencyMs.toFixed(1) + " ms" }
            ValueTile { label: qsTr("Jitter"); value: machine.heartbeatJitterMs.toFixed(1) + " ms" }
            ValueTile { label: qsTr("Beat / losses"); value: machine.heartbeatSequence + " / " + machine.heartbeatMissed }
        }

        SectionCard {
            title: qsTr("Stage")
            Layout.fillWidth: true
            ValueTile { label: qsTr("Position"); value: "X " + machine.stageXMm.toFixed(3) + "  Y " + machine.stageYMm.toFixed(3) + " mm" }
            ValueTile { label: qsTr("Motion"); value: machine.stageMoving ? qsTr("moving") : qsTr("still") }
            ValueTile { label: qsTr("Following error"); value: machine.followingErrorUm.toFixed(2) + " µm" }
            ValueTile { objectName: "encoderState"; label: qsTr("Encoder"); value: machine.encoderHealthy ? qsTr("healthy") : qsTr("FAULT"); tone: machine.encoderHealthy ? Theme.good : Theme.danger }
        }

        SectionCard {
            title: qsTr("Illumination, vacuum, camera")
            Layout.fillWidth: true
            ValueTile { label: qsTr("Lamp set / read"); value: machine.lampSetpointPercent.toFixed(1) + " / " + machine.lampReadbackPercent.toFixed(1) + " %" }
            ValueTile { objectName: "vacuumTile"; label: qsTr("Vacuum"); value: machine.vacuumKpa.toFixed(1) + " kPa" + (machine.vacuumOn ? "" : qsTr(" (off)")) }
            ValueTile { label: qsTr("Wafer"); value: machine.waferClamped ? qsTr("clamped") : qsTr("not clamped") }
            ValueTile { label: qsTr("Camera"); value: machine.cameraConnected ? (machine.cameraAcquiring ? qsTr("acquiring") : qsTr("connected")) : qsTr("DISCONNECTED"); tone: machine.cameraConnected ? Theme.text : Theme.danger }
        }
        SectionCard {
            title: qsTr("Simulator: start a fault now")
            objectName: "simulatorCard"
            visible: machine.simulatorFaults.length > 0
            Layout.fillWidth: true
            Layout.columnSpan: 3
            Flow {
                Layout.fillWidth: true
                spacing: Theme.spacing
                Repeater {
                    model: machine.simulatorFaults
                    CommandButton {
                        required property string modelData
                        required property int index
                        objectName: "simulateFault" + index
                        text: modelData
                        tone: Theme.warning
                        enabled: page.console.session.isLoggedIn
                        onClicked: page.machine.simulateFault(index)
                    }
                }
            }
            Label {
                text: machine.errorText.length > 0 ? machine.errorText
                      : qsTr("A vacuum drop only shows while the vacuum is on, during a run; each fault raises its alarm and the run pauses or aborts as its recipe says.")
                color: machine.errorText.length > 0 ? Theme.danger : Theme.textMuted
                font.pixelSize: Theme.fontSmall
                wrapMode: Text.WordWrap
                Layout.fillWidth: true
            }
        }
        Item { Layout.fillHeight: true; Layout.columnSpan: 3 }
    }
}
