import QtQuick
import Waferscope.Console
import QtQuick.Controls
import QtQuick.Layouts
import Waferscope.ViewModels

// The login: user name and password, checked by the session view model off the UI thread.
// On the simulated machine the demo users are listed and the dialog says so.
Popup {
    id: dialog
    required property SessionViewModel session
    modal: true
    closePolicy: Popup.NoAutoClose
    anchors.centerIn: Overlay.overlay
    width: 440
    padding: 24
    background: Rectangle { color: Theme.surface; radius: Theme.radius; border.color: Theme.border }

    function submit() {
        if (!session.isBusy)
            session.login(userField.text, passwordField.text).then(function (ok) {
                if (ok) {
                    passwordField.text = ""
                    dialog.close()
                }
            })
    }
    // Whoever logs in next types their own name: nothing of the last user is left in the fields.
    onAboutToShow: {
        userField.clear()
        passwordField.clear()
    }
    onOpened: userField.forceActiveFocus()

    // The dialog's content, not its contentItem: ids inside a deferred contentItem would make it
    // built at once.
    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.spacing
        Label { text: qsTr("Waferscope — log in"); font.pixelSize: Theme.fontHuge; color: Theme.text }
        Label {
            objectName: "demoNotice"
            visible: dialog.session.hasDemoUsers
            Layout.fillWidth: true
            wrapMode: Text.WordWrap
            color: Theme.warning
            font.pixelSize: Theme.fontSmall
            text: qsTr("Simulated machine: demo users %1 exist, each with its name as password. They are for demonstration only.")
                  .arg(Array.from(dialog.session.demoUsers).join(", "))
        }
        TextField {
            id: userField
            objectName: "userField"
            Layout.fillWidth: true
            implicitHeight: Theme.touchTarget
            placeholderText: qsTr("User name")
            font.pixelSize: Theme.fontNormal
            onAccepted: passwordField.forceActiveFocus()
            Accessible.name: qsTr("User name")
        }
        TextField {
            id: passwordField
            objectName: "passwordField"
            Layout.fillWidth: true
            implicitHeight: Theme.touchTarget
            placeholderText: qsTr("Password")
            echoMode: TextInput.Password
            font.pixelSize: Theme.fontNormal
            onAccepted: dialog.submit()
            Accessible.name: qsTr("Password")
        }
        Label {
            objectName: "loginError"
            visible: dialog.session.errorText.length > 0
            text: dialog.session.errorText
            color: Theme.danger
            font.pixelSize: Theme.fontNormal
        }
        RowLayout {
            Layout.fillWidth: true
            BusyIndicator { running: dialog.session.isBusy; visible: running; implicitHeight: Theme.touchTarget }
            Item { Layout.fillWidth: true }
            CommandButton {
                objectName: "loginButton"
                text: qsTr("Log in")
                enabled: !dialog.session.isBusy && userField.text.length > 0
                onClicked: dialog.submit()
            }
        }
    }
}
