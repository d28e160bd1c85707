import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Waferscope.Console
import Waferscope.ViewModels

// The runs in the database, newest first, narrowed by a search over run, lot, recipe, state and user.
SectionCard {
    id: root
    required property HistoryViewModel history
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
    RowLayout {
        Layout.fillWidth: true
        BusyIndicator { running: root.history.isBusy; visible: running; implicitHeight: Theme.touchTarget - 12 }
        // Wrapped, not cut: an export names the file it wrote, whole.
        Label { objectName: "historyStatus"; Layout.fillWidth: true; text: root.history.statusText; color: Theme.textMuted; wrapMode: Text.WrapAnywhere }
    }
    Label {
        objectName: "historyError"
        visible: text.length > 0
        text: root.history.errorText
        color: Theme.danger
        wrapMode: Text.WordWrap
        Layout.fillWidth: true
    }
    ListView {
        objectName: "runList"
        Layout.fillWidth: true
        Layout.fillHeight: true
        clip: true
        model: root.history.runs
        enabled: !root.history.isBusy
        ScrollBar.vertical: ScrollBar {}
        Accessible.name: qsTr("Runs")
        delegate: RunDelegate {
            width: ListView.view.width
            history: root.history
        }
    }
}
