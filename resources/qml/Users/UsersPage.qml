import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Waferscope.Console
import Waferscope.ViewModels

// Admin: the console's users — add one, change a role, set a new password, remove one.
Item {
    id: page
    required property ConsoleViewModel console
    readonly property UsersViewModel users: console.users

    Label {
        objectName: "notAllowed"
        // Near the top, not the middle: on a small window the page is taller than what shows.
        anchors.horizontalCenter: parent.horizontalCenter
        anchors.top: parent.top
        anchors.topMargin: Theme.spacing * 10
        visible: !page.users.isAllowed
        text: qsTr("User management is for admins")
        color: Theme.textMuted
        font.pixelSize: Theme.fontLarge
    }

    RowLayout {
        anchors.fill: parent
        anchors.margins: Theme.spacing
        spacing: Theme.spacing
        visible: page.users.isAllowed

        SectionCard {
            title: qsTr("Users")
            Layout.fillWidth: true
            Layout.fillHeight: true
            ListView {
                objectName: "userList"
                Layout.fillWidth: true
                Layout.fillHeight: true
                clip: true
                model: page.users.users
                delegate: RowLayout {
                    id: userRow
                    required property var modelData
                    readonly property bool isYou: userRow.modelData.name === page.console.session.userName
                    width: ListView.view.width
                    height: Theme.touchTarget + 8
                    spacing: Theme.spacing
                    Label { Layout.preferredWidth: 230; elide: Text.ElideRight; text: userRow.modelData.name + (userRow.modelData.isDemo ? qsTr(" (demo)") : "") + (userRow.isYou ? qsTr(" — you") : ""); color: Theme.text; font.bold: true }
                    ComboBox {
                        objectName: "role_" + userRow.modelData.name
                        implicitHeight: Theme.touchTarget - 8
                        Layout.preferredWidth: 150
                        model: page.users.roles // qmllint disable unqualified
                        id: roleBox
                        currentIndex: page.users.roles.indexOf(userRow.modelData.role) // qmllint disable unqualified
                        // Your own role and account are changed by another admin: your row offers
                        // no change that would be refused.
                        enabled: !page.users.isBusy && !userRow.isYou // qmllint disable unqualified
                        // A refused change puts the box back to the role that is stored.
                        onActivated: index => page.users.setRole(userRow.modelData.name, page.users.roles[index]).then(isChanged => {
                            if (!isChanged)
                                roleBox.currentIndex = page.users.roles.indexOf(userRow.modelData.role)
                        })
                    }
                    TextField {
                        id: newPassword
                        Layout.preferredWidth: 160
                        implicitHeight: Theme.touchTarget - 8
                        echoMode: TextInput.Password
                        placeholderText: qsTr("New password")
                    }
                    Button {
                        text: qsTr("Set password")
                        enabled: newPassword.text.length >= page.users.minimumPasswordLength && !page.users.isBusy // qmllint disable unqualified
                        implicitHeight: Theme.touchTarget - 8
                        onClicked: { page.users.setPassword(userRow.modelData.name, newPassword.text); newPassword.text = "" } // qmllint disable unqualified
                    }
                    Item { Layout.fillWidth: true }
                    Button {
                        objectName: "remove_" + userRow.modelData.name
                        text: qsTr("Remove")
                        enabled: !page.users.isBusy && !userRow.isYou // qmllint disable unqualified
                        opacity: enabled ? 1 : Theme.disabledOpacity
                        implicitHeight: Theme.touchTarget - 8
                        onClicked: {
                            removeDialog.userName = userRow.modelData.name // qmllint disable unqualified
                            removeDialog.open()
                        }
                        Accessible.name: qsTr("Remove %1").arg(userRow.modelData.name)
                    }
                }
            }
        }

        SectionCard {
            title: qsTr("Add a user")
            Layout.preferredWidth: 380
            Layout.alignment: Qt.AlignTop
            TextField { id: nameField; objectName: "newUserName"; Layout.fillWidth: true; implicitHeight: Theme.touchTarget; placeholderText: qsTr("User name") }
            ComboBox { id: newRoleBox; objectName: "newUserRole"; Layout.fillWidth: true; implicitHeight: Theme.touchTarget; model: page.users.roles }
            TextField { id: passwordField; objectName: "newUserPassword"; Layout.fillWidth: true; implicitHeight: Theme.touchTarget; echoMode: TextInput.Password; placeholderText: qsTr("Password (%1 characters or more)").arg(page.users.minimumPasswordLength) }
            CommandButton {
                objectName: "addUserButton"
                text: qsTr("Add user")
                enabled: nameField.text.length > 0 && passwordField.text.length >= page.users.minimumPasswordLength && !page.users.isBusy
                onClicked: page.users.addUser(nameField.text, newRoleBox.currentText, passwordField.text).then(ok => {
                    if (ok) { nameField.text = ""; passwordField.text = "" }
                })
            }
            BusyIndicator { running: page.users.isBusy; visible: running }
            Label { objectName: "usersError"; visible: text.length > 0; text: page.users.errorText; color: Theme.danger; wrapMode: Text.WordWrap; Layout.fillWidth: true }
            Label { visible: text.length > 0; text: page.users.statusText; color: Theme.good; wrapMode: Text.WordWrap; Layout.fillWidth: true }
        }
    }

    RemoveUserDialog { id: removeDialog; objectName: "removeUserDialog"; users: page.users; anchors.centerIn: parent }
}
