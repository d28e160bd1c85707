import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Waferscope.Console
import Waferscope.ViewModels

// Engineers and admins: the audit trail — who did what, when, in which role — from the database.
Item {
    id: root
    required property ConsoleViewModel console
    readonly property AuditTrailModel audit: root.console.audit
    readonly property SessionViewModel session: root.console.session
    onVisibleChanged: if (root.visible && root.session.canViewAudit) root.audit.refresh()

    SectionCard {
        anchors.fill: parent
        anchors.margins: Theme.spacing
        title: qsTr("Audit trail")
        Label {
            objectName: "auditNotAllowed"
            visible: !root.session.canViewAudit
            text: qsTr("Engineers and admins read the audit trail")
            color: Theme.textMuted
        }
        LogFilterBar {
            objectName: "auditFilter"
            visible: root.session.canViewAudit
            Layout.fillWidth: true
            log: root.audit
        }
        DataTable {
            objectName: "auditTable"
            visible: root.session.canViewAudit
            Layout.fillWidth: true
            Layout.fillHeight: true
            table: root.audit
            emptyText: qsTr("No audit entries")
        }
    }
}
