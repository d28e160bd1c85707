import QtQuick
import Waferscope.Console
import QtQuick.Controls
import QtQuick.Layouts
import Waferscope.ViewModels

// Operator: choose a recipe, lot and wafers; start, pause, resume, abort; watch the wafer map fill.
Item {
    id: page
    required property ConsoleViewModel console
    readonly property RunViewModel run: console.run
    readonly property SessionViewModel session: console.session
    property string selection: ""

    // What was picked on the previous wafer's map does not stay under the next one.
    Connections {
        target: page.run.map
        function onWaferChanged() { page.selection = "" }
    }

    RowLayout {
        anchors.fill: parent
        anchors.margins: Theme.spacing
        spacing: Theme.spacing

        ColumnLayout {
            // A fixed width: a longer state or error text wraps instead of widening the column
            // and moving the map under the pointer.
            Layout.preferredWidth: 420
            Layout.minimumWidth: 420
            Layout.maximumWidth: 420
            Layout.fillHeight: true
            spacing: Theme.spacing

            SectionCard {
                title: qsTr("Recipe and lot")
                Layout.fillWidth: true
                ComboBox {
                    id: recipeBox
                    objectName: "recipeBox"
                    Layout.fillWidth: true
                    implicitHeight: Theme.touchTarget
                    model: page.run.recipeNames
                    currentIndex: page.run.recipeIndex
                    enabled: !page.run.isRunning
                    onActivated: index => run.recipeIndex = index
                }
                // A recipe the machine is not set up for: the settings by name here, each with both
                // values in the tooltip (the whole list would push the page's commands out of sight).
                Label {
                    id: recipeSummary
                    objectName: "recipeSummary"
                    Layout.fillWidth: true
                    text: page.run.recipeError.length > 0 ? page.run.recipeErrorHeadline : page.run.recipeSummary
                    color: page.run.recipeError.length > 0 ? Theme.danger : Theme.textMuted
                    wrapMode: Text.WordWrap
                    font.pixelSize: Theme.fontSmall
                    Accessible.description: page.run.recipeError
                    HoverHandler { id: recipeHover }
                    ToolTip.visible: recipeHover.hovered && page.run.recipeError.length > 0
                    ToolTip.text: page.run.recipeError
                }
                GridLayout {
                    columns: 2
                    Layout.fillWidth: true
                    Label { text: qsTr("Lot"); color: Theme.text; font.pixelSize: Theme.fontNormal }
                    TextField {
                        objectName: "lotField"
                        Layout.fillWidth: true
                        implicitHeight: Theme.touchTarget
                        text: page.run.lotId
                        enabled: !page.run.isRunning
                        font.pixelSize: Theme.fontNormal
                        maximumLength: 28
                        validator: RegularExpressionValidator { regularExpression: new RegExp("^" + page.run.lotIdPattern + "$") }
                        Accessible.name: qsTr("Lot id")
                        onEditingFinished: page.run.lotId = text
                        onTextChanged: page.run.lotId = text
                    }
                    Label {
                        objectName: "lotProblem"
                        Layout.columnSpan: 2
                        Layout.fillWidth: true
                        visible: text.length > 0
                        text: page.run.lotIdProblem
                        color: Theme.danger
                        wrapMode: Text.WordWrap
                        font.pixelSize: Theme.fontSmall
                    }
                    Label {
                        objectName: "lotIdNotice"
                        Layout.columnSpan: 2
                        Layout.fillWidth: true
                        visible: text.length > 0
                        text: page.run.lotIdNotice
                        color: Theme.warning
                        wrapMode: Text.WordWrap
                        font.pixelSize: Theme.fontSmall
                    }
                    Label { text: qsTr("Wafers"); color: Theme.text; font.pixelSize: Theme.fontNormal }
                    SpinBox {
                        objectName: "waferSpin"
                        implicitHeight: Theme.touchTarget
                        from: 1; to: page.run.maxWafers
                        value: page.run.waferCount
                        enabled: !page.run.isRunning
                        onValueModified: page.run.waferCount = value
                    }
                }
            }

            SectionCard {
                title: qsTr("Commands")
                Layout.fillWidth: true
                GridLayout {
                    columns: 2
                    Layout.fillWidth: true
                    CommandButton {
                        objectName: "startButton"
                        Layout.fillWidth: true
                        text: qsTr("Start (F5)")
                        tone: Theme.good
                        enabled: page.run.canStart
                        onClicked: page.run.start()
                    }
                    CommandButton {
                        objectName: "pauseButton"
                        Layout.fillWidth: true
                        text: page.run.isPaused ? qsTr("Resume (F6)") : qsTr("Pause (F6)")
                        tone: Theme.warning
                        enabled: page.run.canPause || page.run.canResume
                        onClicked: page.run.isPaused ? page.run.resume() : page.run.pause()
                    }
                    CommandButton {
                        objectName: "abortButton"
                        Layout.fillWidth: true
                        Layout.columnSpan: 2
                        text: qsTr("Abort")
                        tone: Theme.danger
                        enabled: page.run.canAbort
                        onClicked: abortConfirm.open()
                    }
                }
                Label {
                    objectName: "interlockText"
                    Layout.fillWidth: true
                    visible: text.length > 0
                    text: page.run.interlock
                    color: Theme.warning
                    wrapMode: Text.WordWrap
                    font.pixelSize: Theme.fontNormal
                }
                Label {
                    objectName: "runError"
                    Layout.fillWidth: true
                    visible: text.length > 0
                    text: page.run.errorText
                    color: Theme.danger
                    wrapMode: Text.WordWrap
                    font.pixelSize: Theme.fontNormal
                }
                Label {
                    visible: !page.session.canRun
                    text: qsTr("Log in as an operator or above to run inspections")
                    color: Theme.textMuted
                    font.pixelSize: Theme.fontSmall
                }
            }

            SectionCard {
                title: qsTr("Progress")
                Layout.fillWidth: true
                Label {
                    objectName: "runState"
                    text: page.run.state + (page.run.stateReason.length > 0 ? " — " + page.run.stateReason : "")
                          + (page.run.pendingText.length > 0 ? " (" + page.run.pendingText + ")" : "")
                    color: page.run.isPaused ? Theme.warning : Theme.text
                    font.pixelSize: Theme.fontLarge
                    font.bold: true
                    wrapMode: Text.WordWrap
                    Layout.fillWidth: true
                }
                ProgressBar {
                    objectName: "progressBar"
                    Layout.fillWidth: true
                    value: page.run.fraction
                }
                GridLayout {
                    columns: 2
                    columnSpacing: Theme.spacing * 2
                    ValueTile { objectName: "diesTile"; label: qsTr("Dies"); value: page.run.diesDone + " / " + page.run.diesTotal }
                    ValueTile { label: qsTr("Wafer"); value: page.run.waferNumber + " / " + page.run.waferTotal }
                    ValueTile { label: qsTr("Elapsed"); value: page.run.elapsedText }
                    ValueTile { label: qsTr("Time left"); value: page.run.remainingText }
                    ValueTile { objectName: "defectsTile"; label: qsTr("Defects"); value: page.run.defectsFound }
                    ValueTile { label: qsTr("Frames/s"); value: page.run.framesPerSecond.toFixed(1) }
                }
                Label {
                    visible: page.run.lastResult.length > 0
                    text: page.run.lastResult
                    color: Theme.textMuted
                    wrapMode: Text.WordWrap
                    Layout.fillWidth: true
                    font.pixelSize: Theme.fontSmall
                }
            }
            Item { Layout.fillHeight: true }
        }

        SectionCard {
            title: qsTr("Wafer map — %1").arg(page.run.map.waferId.length > 0 ? page.run.map.waferId : qsTr("no wafer"))
            Layout.fillWidth: true
            Layout.fillHeight: true
            WaferMap {
                id: waferMap
                objectName: "waferMap"
                Layout.fillWidth: true
                Layout.fillHeight: true
                model: page.run.map
                onDieClicked: (column, row, defects) =>
                    page.selection = qsTr("Die (%1,%2): %3 defect(s)").arg(column).arg(row).arg(defects)
                onDefectClicked: (id, defectClass, column, row) => {
                    const key = Number(id).toFixed(0)
                    page.selection = qsTr("Defect %1: %2 on die (%3,%4)").arg(key).arg(defectClass).arg(column).arg(row)
                    // The same pick as on the Defects page: its crop shows beside the map.
                    page.console.defectTable.pick(page.console.defectTable.rowOf(key))
                }
                DefectMark { map: waferMap }
            }
            RowLayout {
                Layout.fillWidth: true
                Rectangle {
                    // The crop of the defect clicked on the map, while it is the picked one.
                    objectName: "mapPickedCrop"
                    visible: page.selection.startsWith(qsTr("Defect")) && page.console.defectTable.hasPick
                             && pickedCrop.status === Image.Ready
                    Layout.preferredWidth: 96
                    Layout.preferredHeight: 96
                    color: Theme.background
                    border.color: Theme.border
                    Image {
                        id: pickedCrop
                        anchors.fill: parent
                        anchors.margins: 1
                        fillMode: Image.PreserveAspectFit
                        smooth: false
                        cache: false
                        source: page.console.defectTable.imageUrl
                        Accessible.name: qsTr("Crop of defect %1").arg(page.console.defectTable.pickedId)
                    }
                }
                Label {
                    objectName: "mapSelection"
                    Layout.fillWidth: true
                    text: page.selection.length > 0 ? page.selection
                                                    : qsTr("Wheel to zoom, drag to pan, double-click to reset, click a die or defect")
                    color: Theme.textMuted
                    font.pixelSize: Theme.fontSmall
                    elide: Text.ElideRight
                }
                Label {
                    text: qsTr("%1 dies · %2 defects").arg(page.run.map.dieCount).arg(page.run.map.defectCount)
                    color: Theme.text
                    font.pixelSize: Theme.fontSmall
                }
                Button { text: qsTr("Reset view"); onClicked: waferMap.resetView() }
            }
        }
    }

    Dialog {
        id: abortConfirm
        objectName: "abortConfirm"
        anchors.centerIn: parent
        modal: true
        title: qsTr("Abort the run?")
        standardButtons: Dialog.Yes | Dialog.No
        Label { text: qsTr("The wafer being scanned ends incomplete. Defects found so far are kept.") }
        onAccepted: page.run.abort()
    }
}
