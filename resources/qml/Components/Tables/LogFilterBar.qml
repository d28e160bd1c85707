import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Waferscope.Console
import Waferscope.ViewModels

// The filters of a log read from the database: time range, user, text; Refresh reads it again.
// Extra controls (a priority filter) go in as children, before the status.
RowLayout {
    id: root
    required property LogTableModel log
    default property alias extras: extraRow.data
    spacing: Theme.spacing

    ComboBox {
        objectName: root.objectName + "Range"
        implicitHeight: Theme.touchTarget
        Layout.preferredWidth: 180
        model: root.log.rangeNames
        currentIndex: root.log.rangeIndex
        onActivated: index => root.log.rangeIndex = index
        Accessible.name: qsTr("Time range")
    }
    TextField {
        objectName: root.objectName + "User"
        implicitHeight: Theme.touchTarget
        Layout.preferredWidth: 160
        placeholderText: qsTr("User")
        onTextChanged: root.log.userFilter = text
        Accessible.name: qsTr("Filter by user")
    }
    TextField {
        objectName: root.objectName + "Text"
        implicitHeight: Theme.touchTarget
        Layout.preferredWidth: 240
        placeholderText: qsTr("Search text")
        onTextChanged: root.log.textFilter = text
        Accessible.name: qsTr("Filter by text")
    }
    RowLayout { id: extraRow; spacing: Theme.spacing }
    CommandButton {
        objectName: root.objectName + "Refresh"
        text: qsTr("Refresh")
        enabled: !root.log.isBusy
        onClicked: root.log.refresh()
        Accessible.name: qsTr("Refresh")
    }
    Label {
        objectName: root.objectName + "Status"
        Layout.fillWidth: true
        text: root.log.errorText.length > 0 ? root.log.errorText : root.log.statusText
        color: root.log.errorText.length > 0 ? Theme.danger : Theme.textMuted
        elide: Text.ElideRight
    }
}
