import QtQuick
import Waferscope.Console
import QtQuick.Controls
import QtQuick.Layouts

// A label over a large value, legible from a step back; `tone` colours the value.
ColumnLayout {
    property string label
    property string value
    property color tone: Theme.text
    spacing: 2
    Label { text: parent.label; color: Theme.textMuted; font.pixelSize: Theme.fontSmall }
    Label { objectName: "value"; text: parent.value; color: parent.tone; font.pixelSize: Theme.fontLarge; font.bold: true }
}
