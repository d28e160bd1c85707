import QtQuick
import Waferscope.Console
import QtQuick.Controls

// A large, touch-friendly command button; `tone` colours it (accent by default). A disabled one is
// grey and faded, so that it does not look like it can be pressed.
Button {
    id: control
    property color tone: Theme.accent
    opacity: control.enabled ? 1.0 : Theme.disabledOpacity
    Accessible.name: control.text
    implicitHeight: Theme.touchTarget
    implicitWidth: Math.max(120, contentItem.implicitWidth + 32)
    font.pixelSize: Theme.fontNormal
    // Return and Enter press a focused command, as Space does.
    Keys.onReturnPressed: control.clicked()
    Keys.onEnterPressed: control.clicked()
    font.bold: true
    contentItem: Label {
        text: control.text
        font: control.font
        color: control.enabled ? Theme.background : Theme.textMuted
        horizontalAlignment: Text.AlignHCenter
        verticalAlignment: Text.AlignVCenter
    }
    background: Rectangle {
        radius: Theme.radius
        color: !control.enabled ? Theme.surfaceRaised : control.down ? Qt.darker(control.tone, 1.3) : control.tone
        border.color: !control.enabled ? Theme.border : control.activeFocus ? Theme.text : "transparent"
        border.width: 2
    }
}
