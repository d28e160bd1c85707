import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Waferscope.Console
import Waferscope.ViewModels

// One past run: id, lot and state; when and by whom it started, recipe and counts; why it ended.
ItemDelegate {
    id: root
    required property var modelData
    required property int index
    required property HistoryViewModel history
    height: root.modelData.endText.length > 0 ? 76 : 56
    highlighted: root.history.openRunId === root.modelData.runId
    onClicked: root.history.openRun(root.modelData.runId)
    Accessible.name: root.modelData.title

    // The keyboard's place in the list.
    Rectangle {
        anchors.fill: parent
        color: "transparent"
        border.color: Theme.accent
        border.width: 2
        visible: root.ListView.isCurrentItem && root.ListView.view.activeFocus
    }

    contentItem: ColumnLayout {
        spacing: 0
        Label { text: root.modelData.title; color: Theme.text; font.bold: true; elide: Text.ElideRight; Layout.fillWidth: true }
        Label {
            text: root.modelData.summary
            color: Theme.textMuted
            font.pixelSize: Theme.fontSmall
            elide: Text.ElideRight
            Layout.fillWidth: true
        }
        Label {
            objectName: "endReason"
            visible: text.length > 0
            text: root.modelData.endText
            color: root.modelData.state === "completed" ? Theme.textMuted : Theme.warning
            font.pixelSize: Theme.fontSmall
            elide: Text.ElideRight
            Layout.fillWidth: true
        }
    }
}
