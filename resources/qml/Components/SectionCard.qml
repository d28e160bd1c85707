import QtQuick
import Waferscope.Console
import QtQuick.Controls
import QtQuick.Layouts

// A titled panel on a page.
Rectangle {
    id: card
    property string title
    /// Titles are set in capitals; a title that quotes names (a file, a lot) keeps their case.
    property bool titleInCapitals: true
    default property alias content: body.data
    color: Theme.surface
    radius: Theme.radius
    border.color: Theme.border
    implicitHeight: column.implicitHeight + 2 * Theme.spacing
    implicitWidth: column.implicitWidth + 2 * Theme.spacing

    ColumnLayout {
        id: column
        anchors.fill: parent
        anchors.margins: Theme.spacing
        spacing: Theme.spacing / 2
        Label {
            text: card.title
            visible: text.length > 0
            Layout.fillWidth: true
            wrapMode: Text.WordWrap
            color: Theme.textMuted
            font.pixelSize: Theme.fontSmall
            font.capitalization: card.titleInCapitals ? Font.AllUppercase : Font.MixedCase
            font.letterSpacing: card.titleInCapitals ? 1 : 0
        }
        ColumnLayout {
            id: body
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: Theme.spacing / 2
        }
    }
}
