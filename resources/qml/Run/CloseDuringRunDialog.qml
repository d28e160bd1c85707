import QtQuick
import QtQuick.Controls
import Waferscope.ViewModels

// Asked when the window is closed while a run goes on: closing aborts the run first (its defects
// so far are kept, its reason says the console was closed), then the window closes once it ended.
Dialog {
    id: root
    required property RunViewModel run
    modal: true
    title: qsTr("A run is in progress")
    standardButtons: Dialog.Yes | Dialog.No
    Label {
        width: 460
        wrapMode: Text.WordWrap
        text: qsTr("Closing the console aborts the run: the wafer being scanned ends incomplete; the defects found so far are kept. Abort the run and close?")
    }
    Component.onCompleted: {
        const yes = root.standardButton(Dialog.Yes)
        if (yes) yes.text = qsTr("Abort and close")
        const no = root.standardButton(Dialog.No)
        if (no) no.text = qsTr("Keep running")
    }
}
