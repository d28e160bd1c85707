import QtQuick
import Waferscope.Console

// The keyboard-focus frame of a view that draws none of its own (a table, a list): on the view
// itself, above its scrolling content, while the view has the focus.
Rectangle {
    required property Item view
    parent: view
    anchors.fill: parent
    color: "transparent"
    border.color: Theme.text
    border.width: 2
    visible: view.activeFocus
    z: 10
}
