import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Waferscope.Console

// A titled short list (the alarm KPIs' lists, the E10 shifts): a header of column titles, then one
// line per row of `rows` (maps from the view model, already formatted), each column showing
// row[column.key].
SectionCard {
    id: root
    // The width the layout gives it, not the sum of the columns: the last column takes the rest
    // and the others elide.
    implicitWidth: 200
    // [{ key: "tag", title: qsTr("Alarm"), width: 160 }, …]; the last column takes the rest.
    property var columns: []
    property var rows: []
    property string emptyText
    // Rows whose `warnKey` value is true are drawn in the warning colour (stale alarms).
    property string warnKey

    RowLayout {
        Layout.fillWidth: true
        spacing: Theme.spacing
        Repeater {
            model: root.columns
            delegate: Label {
                required property var modelData
                required property int index
                text: modelData.title
                color: Theme.textMuted
                font.pixelSize: Theme.fontSmall
                font.bold: true
                elide: Text.ElideRight
                Layout.preferredWidth: modelData.width
                Layout.fillWidth: index === root.columns.length - 1 // qmllint disable unqualified
            }
        }
    }
    Label {
        visible: root.rows.length === 0
        text: root.emptyText
        color: Theme.textMuted
        font.pixelSize: Theme.fontSmall
    }
    ListView {
        id: list
        objectName: root.objectName + "Rows"
        Layout.fillWidth: true
        Layout.fillHeight: true
        Layout.minimumHeight: root.rows.length > 0 ? 28 : 0
        clip: true
        model: root.rows
        boundsBehavior: Flickable.StopAtBounds
        ScrollBar.vertical: ScrollBar {}
        delegate: RowLayout {
            id: line
            required property var modelData
            width: ListView.view.width
            height: 26
            spacing: Theme.spacing
            Repeater {
                model: root.columns // qmllint disable unqualified
                delegate: Label {
                    required property var modelData
                    required property int index
                    text: String(line.modelData[modelData.key]) // qmllint disable unqualified
                    color: root.warnKey.length > 0 && line.modelData[root.warnKey] === true ? Theme.warning : Theme.text // qmllint disable unqualified
                    font.pixelSize: Theme.fontSmall
                    elide: Text.ElideRight
                    Layout.preferredWidth: modelData.width
                    Layout.fillWidth: index === root.columns.length - 1 // qmllint disable unqualified
                }
            }
        }
    }
}
