import QtQuick
import QtQuick.Controls
import QtTest
import Waferscope.Console

// The console window: the login dialog, the user badge, the alarm banner on every page and the
// navigation between pages. Its machine's heartbeat stops at power-on, so the banner has the
// controller's heartbeat.lost alarm to show.
ConsoleTestCase {
    id: testCase
    name: "Main"
    faults: ["heartbeat-stop:start=0s,duration=600s"]
    subject: Component { Main {} }

    /// Logs in through the session view model; the dialog, which is modal, then closes.
    function loginPastTheDialog(user) {
        login(user)
        tryCompare(named("loginDialog"), "visible", false)
    }

    function test_theWindowOpensWithTheLoginDialog() {
        compare(page.visible, true)
        const dialog = named("loginDialog")
        tryCompare(dialog, "opened", true)
        compare(named("userBadge").text, "not logged in")
        compare(named("switchUserButton").text, "Log in")
        // The simulated machine's demo users are named on the dialog.
        const notice = named("demoNotice")
        compare(notice.visible, true)
        for (const user of ["operator", "technician", "engineer", "admin"])
            verify(notice.text.indexOf(user) >= 0, notice.text)
        compare(named("loginButton").enabled, false)
    }

    function test_loggingInThroughTheDialogClosesItAndShowsTheUser() {
        const dialog = named("loginDialog")
        tryCompare(dialog, "opened", true)
        named("userField").text = "operator"
        named("passwordField").text = "operator"
        const button = named("loginButton")
        tryCompare(button, "enabled", true)
        mouseClick(button)
        tryCompare(viewModel.session, "isLoggedIn", true, 15000)
        tryCompare(dialog, "visible", false)
        compare(named("userBadge").text, "operator · operator (demo)")
        compare(named("switchUserButton").text, "Switch user")
        compare(named("passwordField").text, "")
    }

    function test_aWrongPasswordKeepsTheDialogOpenWithAnError() {
        const dialog = named("loginDialog")
        tryCompare(dialog, "opened", true)
        named("userField").text = "operator"
        named("passwordField").text = "not the password"
        mouseClick(named("loginButton"))
        tryVerify(() => viewModel.session.errorText.length > 0, 15000, "the login fails")
        compare(viewModel.session.isLoggedIn, false)
        tryCompare(named("loginError"), "visible", true)
        compare(named("loginError").text, viewModel.session.errorText)
        compare(dialog.visible, true)
    }

    function test_theBannerShowsTheAlarmAndOnlyTechniciansAcknowledgeIt() {
        loginPastTheDialog("operator")
        const banner = named("alarmBanner")
        tryCompare(banner, "isAlarming", true, 10000)
        verify(named("bannerText").text.indexOf("heartbeat.lost") >= 0, named("bannerText").text)
        // The pages do not move when the alarm comes or goes: the strip keeps its place.
        const viewport = named("pageViewport")
        const pageTop = viewport.mapToItem(null, 0, 0).y
        compare(named("bannerPriority").text, "CRITICAL")
        const acknowledge = named("bannerAcknowledge")
        compare(acknowledge.enabled, false)

        logout()
        tryCompare(named("loginDialog"), "opened", true)
        loginPastTheDialog("technician")
        tryCompare(acknowledge, "enabled", true)
        mouseClick(acknowledge)
        tryCompare(viewModel.alarms, "hasBanner", false, 5000)
        tryCompare(banner, "isAlarming", false)
        compare(banner.visible, true)
        compare(named("bannerText").text, "No unacknowledged alarms")
        compare(named("bannerAcknowledge").visible, false)
        compare(viewport.mapToItem(null, 0, 0).y, pageTop)
    }

    function test_switchingUserLogsOutAndOpensTheDialog() {
        loginPastTheDialog("engineer")
        const dialog = named("loginDialog")
        compare(named("userBadge").text, "engineer · engineer (demo)")
        mouseClick(named("switchUserButton"))
        compare(viewModel.session.isLoggedIn, false)
        tryCompare(dialog, "opened", true)
        compare(named("userBadge").text, "not logged in")
    }

    function test_theTabsAndTheBannerNavigateBetweenPages() {
        loginPastTheDialog("operator")
        compare(page.currentPage, 0)
        const tabs = named("pageTabs")
        compare(tabs.count, named("pages").count)
        for (let i = tabs.count - 1; i >= 0; --i) {
            // The Audit tab is not there for an operator.
            if (!tabs.itemAt(i).visible)
                continue
            mouseClick(tabs.itemAt(i))
            tryCompare(page, "currentPage", i)
        }
        // The Alarms tab (the fourth) counts the unacknowledged alarms.
        tryVerify(() => tabs.itemAt(3).text === "Alarms (1)", 10000, tabs.itemAt(3).text)
        tryCompare(named("alarmBanner"), "isAlarming", true, 10000)
        const banner = named("alarmBanner")
        let openAlarms = null
        for (const button of findButtons(banner))
            if (button.text === "Alarms…")
                openAlarms = button
        verify(openAlarms !== null, "the banner has an Alarms… button")
        mouseClick(openAlarms)
        tryCompare(page, "currentPage", 3)
        compare(named("pages").currentIndex, 3)
    }

    /// The buttons among the descendants of `item`.
    function findButtons(item) {
        let buttons = []
        for (let i = 0; i < item.children.length; ++i) {
            const child = item.children[i]
            if (child instanceof Button)
                buttons.push(child)
            buttons = buttons.concat(findButtons(child))
        }
        return buttons
    }

    function test_ctrlLOpensTheLoginWithTheUserFieldCleared() {
        const dialog = named("loginDialog")
        tryCompare(dialog, "opened", true)
        named("userField").text = "operator"
        named("passwordField").text = "operator"
        mouseClick(named("loginButton"))
        tryCompare(dialog, "visible", false, 15000)
        keyClick(Qt.Key_L, Qt.ControlModifier)
        tryCompare(dialog, "opened", true)
        compare(viewModel.session.isLoggedIn, false)
        compare(named("userField").text, "")
        compare(named("passwordField").text, "")
    }

    function test_theAuditTabIsThereForEngineersAndAdminsOnly() {
        loginPastTheDialog("technician")
        const audit = named("tab_Audit")
        compare(audit.visible, false)
        compare(audit.width, 0)
        logout()
        loginPastTheDialog("engineer")
        tryCompare(audit, "visible", true)
        verify(audit.width > 0)
        mouseClick(audit)
        tryCompare(page, "currentPage", 7)
        tryCompare(named("auditTable"), "visible", true)
    }

    /// The control that shows `item`'s focus: the item, or the control it is the inner part of
    /// (a spin box's text, a combo box's content).
    function focusShower(item) {
        for (let it = item; it; it = it.parent) {
            if (it.visualFocus !== undefined)
                return it
            if (it === page.contentItem)
                break
        }
        return item
    }

    /// The item that spans the whole window, header included.
    function windowRoot() {
        let root = page.contentItem
        while (root.parent)
            root = root.parent
        return root
    }

    /// Whether two grabs of the whole window differ on `item` or within 3 pixels around it.
    /// (TestCase.grabImage crops by an item's own x and y, not its place in the window: the tests
    /// grab the window's content item and look at the place themselves.)
    function differsAround(a, b, item) {
        const at = item.mapToItem(null, 0, 0)
        const left = Math.max(0, Math.floor(at.x) - 3)
        const top = Math.max(0, Math.floor(at.y) - 3)
        const right = Math.min(a.width, Math.ceil(at.x + item.width) + 3)
        const bottom = Math.min(a.height, Math.ceil(at.y + item.height) + 3)
        for (let y = top; y < bottom; ++y) {
            for (let x = left; x < right; ++x) {
                if (a.red(x, y) !== b.red(x, y) || a.green(x, y) !== b.green(x, y) || a.blue(x, y) !== b.blue(x, y))
                    return true
            }
        }
        return false
    }

    function test_everyControlReachedByTabShowsItsFocus() {
        loginPastTheDialog("admin")
        page.width = 1600
        page.height = 1000
        tryCompare(page, "width", 1600)
        const names = ["Run", "Defects", "Statistics", "Alarms", "Machine", "History", "Users", "Audit"]
        let checked = 0
        for (let index = 0; index < names.length; ++index) {
            page.showPage(index)
            const tab = named("tab_" + names[index])
            tab.focus = false
            tab.forceActiveFocus(Qt.TabFocusReason)
            const seen = []
            let cameRound = false
            // Tab through the page until the focus comes round again to the page's tab (bounded):
            // coming back anywhere else is a control that keeps Tab to itself.
            for (let step = 0; step < 80; ++step) {
                const item = focusShower(page.activeFocusItem)
                if (!item || seen.indexOf(item) >= 0) {
                    verify(item === seen[0], names[index] + " page: Tab is kept by " + (item ? item.objectName || item : "nothing")
                           + " after " + seen.map(i => i.objectName || String(i)).join(", "))
                    cameRound = true
                    break
                }
                seen.push(item)
                if (item.visible && item.width > 0 && item.height > 0) {
                    const focused = grabImage(windowRoot())
                    item.focus = false
                    const unfocused = grabImage(windowRoot())
                    verify(differsAround(focused, unfocused, item), names[index] + " page: " + (item.objectName || item)
                           + " looks the same with and without keyboard focus")
                    ++checked
                    item.forceActiveFocus(Qt.TabFocusReason)
                }
                keyClick(Qt.Key_Tab)
            }
            verify(cameRound, names[index] + " page: Tab did not come round in 80 steps")
        }
        verify(checked >= 100, "controls checked: " + checked)
    }

    /// WCAG's contrast ratio of two colours.
    function contrast(a, b) {
        function channel(c) { return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4) }
        function luminance(c) { return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b) }
        const la = luminance(a)
        const lb = luminance(b)
        return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05)
    }

    function test_aDropDownsCurrentEntryIsReadable() {
        loginPastTheDialog("engineer")
        // The Basic style draws the entry under the pointer or keys on `light`, in `highlightedText`,
        // and selected text on `highlight`.
        verify(contrast(page.palette.light, page.palette.highlightedText) >= 4.5,
               "entry contrast " + contrast(page.palette.light, page.palette.highlightedText))
        verify(contrast(page.palette.highlight, page.palette.highlightedText) >= 4.5,
               "selection contrast " + contrast(page.palette.highlight, page.palette.highlightedText))
        // The idle progress bar's track is dark, not a full light bar.
        verify(contrast(page.palette.midlight, page.palette.window) < 1.5,
               "track contrast " + contrast(page.palette.midlight, page.palette.window))
    }

    /// The right edge of `item` in window coordinates.
    function rightEdge(item) { return item.mapToItem(null, item.width, 0).x }

    function test_atTheMinimumSizeNothingIsCutOffOrSqueezed() {
        loginPastTheDialog("admin")
        page.width = page.minimumWidth
        page.height = page.minimumHeight
        tryCompare(page, "width", page.minimumWidth)
        // The header keeps the user and the switch button inside the window.
        tryVerify(() => rightEdge(named("switchUserButton")) <= page.width, 5000,
                  "the switch button ends at " + rightEdge(named("switchUserButton")) + " of " + page.width)
        // The pages keep their own minimum width inside a narrower window (they scroll) instead
        // of squeezing their columns over each other.
        const pages = named("pages")
        verify(page.width < Theme.pageMinimumWidth, "the window is narrower than the pages: " + page.width)
        tryCompare(pages, "width", Theme.pageMinimumWidth)
        tryCompare(pages, "height", Theme.pageMinimumHeight)

        // Run: the last progress figures and the map's footer lie inside the (scrollable) pages.
        page.showPage(0)
        for (const name of ["defectsTile", "mapSelection"]) {
            const item = named(name)
            tryVerify(() => item.mapToItem(pages, 0, item.height).y <= pages.height, 5000,
                      name + " ends at " + item.mapToItem(pages, 0, item.height).y + " of " + pages.height)
        }

        // Users: every row keeps its Remove button inside the page.
        page.showPage(6)
        const list = named("userList")
        tryVerify(() => list.count > 0, 5000, "the users are listed")
        for (const name of ["operator", "technician", "engineer"]) {
            const remove = named("remove_" + name)
            tryVerify(() => remove.width > 0 && remove.mapToItem(list, remove.width, 0).x <= list.width, 5000,
                      "Remove " + name + " ends at " + remove.mapToItem(list, remove.width, 0).x + " of the list's " + list.width)
        }

        // History: the map between the run list and the review keeps a usable width.
        page.showPage(5)
        const map = named("historyMap")
        tryVerify(() => map.width >= 380, 5000, "the history map is " + map.width + " wide")
    }

    function test_theMouseWheelScrollsThePagesOfASmallWindow() {
        loginPastTheDialog("operator")
        const viewport = named("pageViewport")
        page.showPage(0)
        // A window as large as the pages: nothing to scroll, the wheel leaves them in place.
        page.width = Theme.pageMinimumWidth + 40
        page.height = Theme.pageMinimumHeight + 80
        tryVerify(() => viewport.height >= Theme.pageMinimumHeight, 5000, "the viewport is " + viewport.height + " high")
        mouseWheel(viewport, 20, viewport.height - 20, 0, -120)
        compare(viewport.contentY, 0)

        page.width = page.minimumWidth
        page.height = page.minimumHeight
        tryVerify(() => viewport.contentHeight > viewport.height, 5000, "the pages are taller than the viewport")
        // Over the Run page's left column (no list of its own under the pointer): one notch down,
        // then far down to the end, then back up to the top.
        const x = 20
        const y = viewport.height - 30
        mouseWheel(viewport, x, y, 0, -120)
        tryCompare(viewport, "contentY", Theme.wheelStep)
        for (let i = 0; i < 20; ++i)
            mouseWheel(viewport, x, y, 0, -120)
        const end = viewport.contentHeight - viewport.height + viewport.bottomMargin
        tryCompare(viewport, "contentY", end)
        for (let i = 0; i < 20; ++i)
            mouseWheel(viewport, x, y, 0, 120)
        tryCompare(viewport, "contentY", 0)
        // Shift turns it sideways.
        mouseWheel(viewport, x, y, 0, -120, Qt.NoButton, Qt.ShiftModifier)
        tryCompare(viewport, "contentX", Theme.wheelStep)
    }

}

