import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Waferscope.Console
import Waferscope.ViewModels

// Reclassify the picked defect: choose its class and store it; the outcome below.
ColumnLayout {
    id: root
    required property DefectReviewModel review
    required property SessionViewModel session
    spacing: 4

    RowLayout {
        spacing: Theme.spacing
        ComboBox {
            id: classBox
            objectName: "reviewClass"
            Layout.preferredWidth: 200
            implicitHeight: Theme.touchTarget
            model: root.review.classNames
            currentIndex: root.review.pickedClassIndex
            enabled: root.review.hasPick && root.session.canReviewDefects && !root.review.isBusy && !root.review.isImported
            Accessible.name: qsTr("Defect class")
        }
        CommandButton {
            objectName: "reclassifyButton"
            text: qsTr("Reclassify")
            enabled: classBox.enabled && classBox.currentIndex !== root.review.pickedClassIndex
            onClicked: root.review.reclassify(classBox.currentIndex)
        }
    }
    Label {
        objectName: "reviewMessage"
        Layout.fillWidth: true
        visible: text.length > 0
        text: root.review.errorText.length > 0 ? root.review.errorText
              : root.review.isImported ? qsTr("Another tool's defects: read only")
              : root.session.canReviewDefects ? root.review.statusText : qsTr("Engineers reclassify defects")
        color: root.review.errorText.length > 0 ? Theme.danger : Theme.textMuted
        wrapMode: Text.WordWrap
        font.pixelSize: Theme.fontSmall
    }
}
