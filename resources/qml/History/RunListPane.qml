import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtQuick.Dialogs
import Waferscope.Console
import Waferscope.ViewModels

// The runs in the database, newest first, narrowed by a search over run, lot, recipe, state and user.
SectionCard {
    id: root
    required property HistoryViewModel history
    required property SessionViewModel session
    /// Where the file dialog starts: the data folder (our own exports lie in its "exports").
    required property string dataFolder
    title: qsTr("Runs")
    RowLayout {
        Layout.fillWidth: true
        TextField {
            objectName: "runSearch"
            Layout.fillWidth: true
            implicitHeight: Theme.touchTarget
            placeholderText: qsTr("Search lot, recipe, state, user")
            onTextChanged: root.history.searchText = text
            Accessible.name: qsTr("Search runs")
        }
        CommandButton {
            objectName: "refreshButton"
            text: qsTr("Refresh")
            enabled: !root.history.isBusy
            onClicked: root.history.refresh()
        }
    }
    // Another tool's result beside ours: engineers open a KLARF file (read only).
    RowLayout {
        Layout.fillWidth: true
        CommandButton {
            objectName: "openKlarfButton"
            text: qsTr("Open KLARF file…")
            enabled: root.session.canReviewDefects && !root.history.isBusy
            onClicked: klarfDialog.open()
        }
        Label {
            visible: !root.session.canReviewDefects
            text: qsTr("Engineers open other tools' KLARF files")
            color: Theme.textMuted
            font.pixelSize: Theme.fontSmall
            wrapMode: Text.WordWrap
            Layout.fillWidth: true
        }
    }
    FileDialog {
        id: klarfDialog
        objectName: "klarfDialog"
        title: qsTr("Open another tool's KLARF file")
        currentFolder: "file://" + root.dataFolder
        nameFilters: [qsTr("KLARF files (*.klarf *.klf *.krf *.000 *.001 *.002 *.003)"), qsTr("All files (*)")]
        onAccepted: root.history.openKlarf(String(klarfDialog.selectedFile))
    }
    RowLayout {
        Layout.fillWidth: true
        BusyIndicator { running: root.history.isBusy; visible: running; implicitHeight: Theme.touchTarget - 12 }
        // Wrapped, not cut: an export names the file it wrote, whole.
        // (Words stay whole where they fit; a long path breaks anywhere.)
        Label {
            id: historyStatus
            objectName: "historyStatus"
            Layout.fillWidth: true
            Layout.preferredHeight: historyStatus.contentHeight
            text: root.history.statusText
            color: Theme.textMuted
            wrapMode: Text.WrapAtWordBoundaryOrAnywhere
        }
    }
    // Its height is what the wrapped text takes at the pane's width (the layout would otherwise
    // reserve the unwrapped height, and the error would run over the list).
    Label {
        id: historyError
        objectName: "historyError"
        visible: text.length > 0
        text: root.history.errorText
        color: Theme.danger
        wrapMode: Text.WrapAtWordBoundaryOrAnywhere
        Layout.fillWidth: true
        Layout.preferredHeight: historyError.contentHeight
    }
    // Keyboard: Tab reaches the list, the arrow keys move through it, Return opens the run.
    ListView {
        id: runList
        objectName: "runList"
        Layout.fillWidth: true
        Layout.fillHeight: true
        clip: true
        model: root.history.runs
        enabled: !root.history.isBusy
        activeFocusOnTab: true
        keyNavigationEnabled: true
        ScrollBar.vertical: ScrollBar {}
        Accessible.name: qsTr("Runs")
        Keys.onReturnPressed: runList.openCurrent()
        Keys.onEnterPressed: runList.openCurrent()
        function openCurrent() {
            if (runList.currentIndex >= 0 && runList.currentIndex < root.history.runs.length)
                root.history.openRun(root.history.runs[runList.currentIndex].runId)
        }
        FocusFrame { view: runList }
        delegate: RunDelegate {
            width: ListView.view.width
            history: root.history // qmllint disable unqualified
        }
    }
}
