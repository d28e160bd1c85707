import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Waferscope.Console
import Waferscope.ViewModels

// The console window: navigation, the user, the alarm banner on every page, and the pages.
ApplicationWindow {
    id: window
    required property ConsoleViewModel console
    readonly property SessionViewModel session: console.session
    property alias currentPage: pages.currentIndex
    width: 1600
    height: 960
    // Below the pages' own minimum (Theme.pageMinimumWidth × Theme.pageMinimumHeight) the pages
    // scroll instead of squeezing their columns; the window itself fits a 1280×720 screen.
    minimumWidth: 1100
    minimumHeight: 620
    visible: true
    title: qsTr("Waferscope %1%2").arg(console.version).arg(console.isSimulated ? qsTr(" — simulated machine") : "")
    color: Theme.background
    palette.window: Theme.background
    palette.windowText: Theme.text
    palette.base: Theme.surfaceRaised
    palette.text: Theme.text
    palette.button: Theme.surfaceRaised
    palette.buttonText: Theme.text
    // Basic style: a drop-down's current entry is drawn on `light` in `highlightedText`; a progress
    // bar's track is `midlight` (dark, so an idle bar looks empty) and its fill `dark`.
    palette.highlight: Theme.highlight
    palette.highlightedText: Theme.text
    palette.placeholderText: Theme.textMuted
    palette.mid: Theme.border
    palette.light: Theme.selection
    palette.midlight: Theme.background
    palette.dark: Theme.border
    // Tool tips in the theme's colours, not white boxes over the dark pages.
    palette.toolTipBase: Theme.surfaceRaised
    palette.toolTipText: Theme.text
    font.pixelSize: Theme.fontNormal

    function showPage(index) { pages.currentIndex = index }

    // Closing with a run going asks first; once agreed, the run is aborted and the window closes
    // when the engine reports its end.
    property bool isClosingAfterRun: false
    onClosing: close => {
        if (window.console.run.isRunning && !window.isClosingAfterRun) {
            close.accepted = false
            closeConfirm.open()
        }
    }

    Shortcut { sequence: "Ctrl+1"; onActivated: window.showPage(0) }
    Shortcut { sequence: "Ctrl+2"; onActivated: window.showPage(1) }
    Shortcut { sequence: "Ctrl+3"; onActivated: window.showPage(2) }
    Shortcut { sequence: "Ctrl+4"; onActivated: window.showPage(3) }
    Shortcut { sequence: "Ctrl+5"; onActivated: window.showPage(4) }
    Shortcut { sequence: "Ctrl+6"; onActivated: window.showPage(5) }
    Shortcut { sequence: "Ctrl+7"; onActivated: window.showPage(6) }
    Shortcut { sequence: "Ctrl+8"; enabled: window.session.canViewAudit; onActivated: window.showPage(7) }
    Shortcut { sequence: "F5"; autoRepeat: false; enabled: window.console.run.canStart; onActivated: window.console.run.start() }
    Shortcut { sequence: "F6"; autoRepeat: false; enabled: window.console.run.canPause || window.console.run.canResume; onActivated: window.console.run.isPaused ? window.console.run.resume() : window.console.run.pause() }
    Shortcut { sequence: "Ctrl+K"; autoRepeat: false; enabled: window.session.canAcknowledge; onActivated: window.console.alarms.acknowledgeAllShown("") }
    Shortcut { sequence: "Ctrl+L"; onActivated: window.session.logout() }

    header: ColumnLayout {
        spacing: 0
        ToolBar {
            Layout.fillWidth: true
            implicitHeight: Theme.touchTarget + 16
            background: Rectangle { color: Theme.surface }
            RowLayout {
                anchors.fill: parent
                anchors.leftMargin: Theme.spacing
                anchors.rightMargin: Theme.spacing
                spacing: Theme.spacing
                // The name gives way to the tabs and the user on a narrow window.
                Label { visible: window.width >= 1440; text: "WAFERSCOPE"; font.pixelSize: Theme.fontLarge; font.bold: true; font.letterSpacing: 2; color: Theme.accent }
                TabBar {
                    id: tabs
                    objectName: "pageTabs"
                    currentIndex: pages.currentIndex
                    onCurrentIndexChanged: pages.currentIndex = currentIndex
                    background: Item {}
                    Repeater {
                        model: [qsTr("Run"), qsTr("Defects"), qsTr("Statistics"), qsTr("Alarms"), qsTr("Machine"), qsTr("History"), qsTr("Users"), qsTr("Audit")]
                        PageTab {
                            id: pageTab
                            required property string modelData
                            required property int index
                            text: modelData + (index === 3 && window.console.alarms.unacknowledgedCount > 0 ? " (" + window.console.alarms.unacknowledgedCount + ")" : "") // qmllint disable unqualified
                            objectName: "tab_" + modelData
                            // The audit trail is for engineers and admins.
                            visible: index !== 7 || window.session.canViewAudit // qmllint disable unqualified
                            width: visible ? implicitWidth + 24 : 0
                            implicitHeight: Theme.touchTarget
                            font.pixelSize: Theme.fontNormal
                            Accessible.name: modelData
                        }
                    }
                }
                Item { Layout.fillWidth: true }
                Label {
                    objectName: "userBadge"
                    text: window.session.isLoggedIn ? window.session.userName + " · " + window.session.role + (window.session.isDemoUser ? qsTr(" (demo)") : "") : qsTr("not logged in")
                    color: Theme.text
                    font.pixelSize: Theme.fontNormal
                    elide: Text.ElideRight
                    Layout.minimumWidth: 80
                    Layout.maximumWidth: 260
                }
                Button {
                    objectName: "switchUserButton"
                    text: window.session.isLoggedIn ? qsTr("Switch user") : qsTr("Log in")
                    ToolTip.visible: hovered
                    ToolTip.text: qsTr("Ctrl+L logs out; then log in as another user")
                    implicitHeight: Theme.touchTarget - 8
                    onClicked: { window.session.logout(); login.open() }
                }
            }
        }
        AlarmBanner {
            objectName: "alarmBanner"
            Layout.fillWidth: true
            alarms: window.console.alarms
            session: window.session
            onOpenAlarms: window.showPage(3)
        }
    }

    // The pages are laid out for at least Theme.pageMinimumWidth × Theme.pageMinimumHeight; a
    // smaller window shows scroll bars instead of columns drawn over each other or buttons cut
    // off. Not dragged by the pointer: the wafer maps and tables take drags themselves.
    Flickable {
        id: pageViewport
        objectName: "pageViewport"
        anchors.fill: parent
        contentWidth: Math.max(width, Theme.pageMinimumWidth)
        contentHeight: Math.max(height, Theme.pageMinimumHeight)
        clip: true
        interactive: false
        boundsBehavior: Flickable.StopAtBounds
        // Room for a shown scroll bar, so that it does not cover the pages' last pixels.
        rightMargin: contentHeight > height ? 12 : 0
        bottomMargin: contentWidth > width ? 12 : 0
        ScrollBar.horizontal: ScrollBar { policy: pageViewport.contentWidth > pageViewport.width ? ScrollBar.AlwaysOn : ScrollBar.AlwaysOff }
        ScrollBar.vertical: ScrollBar { policy: pageViewport.contentHeight > pageViewport.height ? ScrollBar.AlwaysOn : ScrollBar.AlwaysOff }
        StackLayout {
            id: pages
            objectName: "pages"
            width: pageViewport.contentWidth
            height: pageViewport.contentHeight
            RunPage { objectName: "runPage"; console: window.console }
            DefectsPage { objectName: "defectsPage"; console: window.console }
            StatisticsPage { objectName: "statisticsPage"; console: window.console }
            AlarmsPage { objectName: "alarmsPage"; console: window.console }
            MachinePage { objectName: "machinePage"; console: window.console }
            HistoryPage { objectName: "historyPage"; console: window.console }
            UsersPage { objectName: "usersPage"; console: window.console }
            AuditPage { objectName: "auditPage"; console: window.console }
        }
    }

    // The mouse wheel scrolls the pages when the window is smaller than they are; a table or
    // list under the pointer takes the wheel first and scrolls itself. Shift turns the wheel
    // sideways, as in other desktop programs.
    WheelHandler {
        objectName: "pageWheel"
        target: null
        enabled: pageViewport.contentHeight > pageViewport.height || pageViewport.contentWidth > pageViewport.width
        onWheel: (event) => {
            const sideways = (event.modifiers & Qt.ShiftModifier) || event.angleDelta.y === 0
            const delta = sideways ? (event.angleDelta.x !== 0 ? event.angleDelta.x : event.angleDelta.y) : event.angleDelta.y
            const step = delta / 120 * Theme.wheelStep
            if (sideways)
                pageViewport.contentX = Math.max(0, Math.min(pageViewport.contentWidth - pageViewport.width + pageViewport.rightMargin, pageViewport.contentX - step))
            else
                pageViewport.contentY = Math.max(0, Math.min(pageViewport.contentHeight - pageViewport.height + pageViewport.bottomMargin, pageViewport.contentY - step))
        }
    }

    LoginDialog {
        id: login
        objectName: "loginDialog"
        session: window.session
        visible: !window.session.isLoggedIn
    }
    CloseDuringRunDialog {
        id: closeConfirm
        objectName: "closeConfirm"
        anchors.centerIn: parent
        run: window.console.run
        onAccepted: {
            window.isClosingAfterRun = true
            if (!window.console.run.abortBecauseTheConsoleCloses())
                window.close()
        }
    }
    Connections {
        target: window.console.run
        function onRunEnded() { if (window.isClosingAfterRun) window.close() }
    }
    Connections {
        target: window.session
        function onUserChanged() { if (!window.session.isLoggedIn) login.open() }
    }
}
