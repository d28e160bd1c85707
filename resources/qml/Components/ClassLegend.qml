import QtQuick
import QtQuick.Controls
import Waferscope.Console
import Waferscope.ViewModels

// The wafer map's legend: each defect class's colour and name, wrapping onto more lines as needed.
Flow {
    id: root
    spacing: Theme.spacing
    Accessible.role: Accessible.List
    Accessible.name: qsTr("Defect class legend")

    Repeater {
        model: ClassLegendModel {}
        ClassLegendEntry {}
    }
}
