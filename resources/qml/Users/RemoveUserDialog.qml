import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Waferscope.Console
import Waferscope.ViewModels

// Asks before a user is removed: removing cannot be undone from the console.
Dialog {
    id: root
    required property UsersViewModel users
    property string userName
    title: qsTr("Remove %1?").arg(root.userName)
    modal: true
    width: 460
    onAccepted: root.users.removeUser(root.userName)
    // The safe answer has the keyboard: Return keeps the user, Tab then Return removes, Escape keeps.
    onOpened: keepButton.forceActiveFocus(Qt.TabFocusReason)

    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.spacing
        Accessible.name: root.title
        Label {
            Layout.fillWidth: true
            text: qsTr("%1 will no longer be able to log in. Their past actions stay in the audit trail.").arg(root.userName)
            color: Theme.text
            wrapMode: Text.WordWrap
        }
        RowLayout {
            Layout.alignment: Qt.AlignRight
            spacing: Theme.spacing
            CommandButton {
                id: keepButton
                objectName: "cancelRemoveButton"
                text: qsTr("Keep")
                tone: Theme.textMuted
                onClicked: root.reject()
            }
            CommandButton {
                objectName: "confirmRemoveButton"
                text: qsTr("Remove")
                tone: Theme.danger
                onClicked: root.accept()
            }
        }
    }
}
