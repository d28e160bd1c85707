import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Waferscope.Console
import Waferscope.ViewModels

// The alarm changes of this session, filtered by tag, message and priority.
SectionCard {
    id: root
    required property AlarmsViewModel alarms
    title: qsTr("Changes this session (all sessions: the History tab)")
    RowLayout {
        Layout.fillWidth: true
        TextField {
            objectName: "historyFilter"
            Layout.preferredWidth: 260
            implicitHeight: Theme.touchTarget
            placeholderText: qsTr("Filter by tag or message")
            onTextChanged: root.alarms.historyFilter = text
            Accessible.name: qsTr("Filter this session's alarm changes")
        }
        ComboBox {
            objectName: "historyPriority"
            implicitHeight: Theme.touchTarget
            Layout.preferredWidth: 170
            readonly property var priorities: ["", "critical", "high", "medium", "low"]
            model: [qsTr("all priorities"), "critical", "high", "medium", "low"]
            onActivated: index => root.alarms.historyPriority = priorities[index]
            Accessible.name: qsTr("Priority")
        }
    }
    ListView {
        objectName: "historyList"
        Layout.fillWidth: true
        Layout.fillHeight: true
        clip: true
        model: root.alarms.history
        ScrollBar.vertical: ScrollBar {}
        delegate: Label {
            required property string time
            required property string tag
            required property string priority
            required property string from
            required property string to
            required property string message
            width: ListView.view.width
            text: time + "  " + priority.toUpperCase() + "  " + tag + "  " + from + " → " + to + "  " + message
            color: Theme.text
            font.pixelSize: Theme.fontSmall
            elide: Text.ElideRight
        }
    }
}
