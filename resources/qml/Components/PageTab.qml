import QtQuick
import QtQuick.Controls
import Waferscope.Console

// A tab of the console or of a page: the open one raised and underlined (the Basic style draws it
// the other way round on this dark theme), the one with keyboard focus framed.
TabButton {
    id: tab
    implicitHeight: Theme.touchTarget
    background: Rectangle {
        color: tab.checked ? Theme.selection : Theme.surface
        border.color: Theme.text
        border.width: tab.visualFocus ? 2 : 0
        Rectangle {
            anchors.bottom: parent.bottom
            width: parent.width
            height: 3
            color: Theme.accent
            visible: tab.checked
        }
    }
}
