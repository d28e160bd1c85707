import QtQuick
import Waferscope.Console
import Waferscope.ViewModels

// A ring around the picked defect on a wafer map (its model's mark), following zoom and pan.
Rectangle {
    id: mark
    required property WaferMap map
    readonly property WaferMapModel model: mark.map.model
    // Read again whenever the view or the mark moves.
    readonly property point at: mark.place(mark.map.zoom, mark.map.panX, mark.map.panY, mark.map.width,
                                           mark.map.height, mark.model ? mark.model.markMm : Qt.point(0, 0))
    function place(zoom, panX, panY, width, height, markMm) {
        return mark.map.mapFromWafer(markMm.x, markMm.y)
    }
    objectName: "defectMark"
    visible: mark.model !== null && mark.model.hasMark
    x: mark.at.x - width / 2
    y: mark.at.y - height / 2
    width: 24
    height: 24
    radius: 12
    color: "transparent"
    border.color: Theme.text
    border.width: 2
    Rectangle {
        anchors.fill: parent
        anchors.margins: -2
        radius: width / 2
        color: "transparent"
        border.color: Theme.background
        border.width: 1
    }
}
