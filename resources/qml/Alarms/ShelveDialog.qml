import QtQuick
import Waferscope.Console
import QtQuick.Controls
import QtQuick.Layouts
import Waferscope.ViewModels

// Shelve one alarm for a duration, with a reason (both required).
Dialog {
    id: dialog
    required property AlarmsViewModel alarms
    property string tag
    title: qsTr("Shelve %1").arg(tag)
    modal: true
    standardButtons: Dialog.Ok | Dialog.Cancel
    width: 420
    // The reason is what must be typed: it has the keyboard, and Return there is OK once it is given.
    onOpened: { reasonField.text = ""; minutesSpin.value = 30; reasonField.forceActiveFocus() }
    onAccepted: alarms.shelve(tag, minutesSpin.value, reasonField.text)

    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.spacing
        Label { text: qsTr("Minutes"); color: Theme.text }
        SpinBox { id: minutesSpin; objectName: "shelveMinutes"; from: 1; to: 480; value: 30; editable: true; implicitHeight: Theme.touchTarget }
        Label { text: qsTr("Reason"); color: Theme.text }
        TextField { id: reasonField; objectName: "shelveReason"; Layout.fillWidth: true; implicitHeight: Theme.touchTarget; placeholderText: qsTr("Why is it shelved?")
                    onAccepted: if (dialog.standardButton(Dialog.Ok).enabled) dialog.accept() }
        Label {
            objectName: "shelveReasonHint"
            visible: reasonField.text.trim().length === 0
            text: qsTr("OK needs a reason: it goes into the alarm history and the audit trail.")
            color: Theme.warning
            font.pixelSize: Theme.fontSmall
            wrapMode: Text.WordWrap
            Layout.fillWidth: true
        }
    }
    Component.onCompleted: standardButton(Dialog.Ok).enabled =
        Qt.binding(() => reasonField.text.trim().length > 0 && !alarms.isBusy)
}
