import QtQuick
import QtQuick.Layouts
import Waferscope.Console
import Waferscope.ViewModels

// The wafer map's legend: each defect class's colour and name, in `columns` columns.
GridLayout {
    id: root
    columns: 4
    columnSpacing: Theme.spacing
    rowSpacing: 4
    Accessible.role: Accessible.List
    Accessible.name: qsTr("Defect class legend")

    Repeater {
        model: ClassLegendModel {}
        ClassLegendEntry {}
    }
}
