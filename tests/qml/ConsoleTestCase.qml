import QtQuick
import QtTest
import Waferscope.Testing
import Waferscope.ViewModels

// The frame of every console test file: before each test function a fresh console on its own
// simulated machine (faults, isUnpaced and recipe as the file sets them) and the subject — a page
// or the window — made on it with `console` set; any warning during the test fails it. Helpers
// log in through the session view model's QmlTask and find controls by objectName.
TestCase {
    id: root
    when: windowShown
    // TestCase hides itself; the pages must be shown to be clicked and to lay out.
    visible: true
    width: 1600
    height: 960

    property var faults: []
    property bool isUnpaced: false
    property string recipe: "default.json"
    /// The page or window under test; it receives `console`.
    property Component subject

    property TestSession session: null
    property ConsoleViewModel viewModel: null
    property var page: null

    Component {
        id: sessionComponent
        TestSession { anchors.fill: parent }
    }

    function init() {
        // Every warning fails the test.
        failOnWarning(/.*/)
        session = createTemporaryObject(sessionComponent, root,
                                        { faults: root.faults, isUnpaced: root.isUnpaced, recipe: root.recipe })
        verify(session !== null, "the test session is made")
        verify(session.console !== null, "the console is built: " + session.errorText)
        viewModel = session.console
        page = createTemporaryObject(subject, session, { console: viewModel })
        verify(page !== null, "the subject loads")
    }

    function cleanup() {
        // A run left going (a failed test) ends before its machine goes.
        if (viewModel !== null && viewModel.run.isRunning) {
            session.abortRun()
            tryCompare(viewModel.run, "isRunning", false, 30000)
        }
        // The session, the page and the view models go with the temporary objects.
        page = null
        viewModel = null
        session = null
    }

    /// Logs in as a demo user (password = name) and checks the role the console then shows.
    function login(user) {
        const isLoggedIn = valueOf(viewModel.session.login(user, user), "the login of " + user)
        verify(isLoggedIn, "logged in as " + user + ": " + viewModel.session.errorText)
        compare(viewModel.session.isLoggedIn, true)
        compare(viewModel.session.role, user)
    }

    /// Runs lot `lotId` (one wafer, the session's recipe) to its end as `user`; returns its state.
    function runLot(user, lotId) {
        login(user)
        viewModel.run.lotId = lotId
        viewModel.run.waferCount = 1
        compare(valueOf(viewModel.run.start(), "the start of " + lotId), true)
        tryCompare(viewModel.run, "isRunning", false, 120000)
        compare(viewModel.run.errorText, "")
        return viewModel.run.state
    }

    function logout() {
        viewModel.session.logout()
        compare(viewModel.session.isLoggedIn, false)
    }

    /// The item of the subject named `name`; fails the test when there is none.
    function named(name) {
        let item = findChild(page, name)
        // A window's items hang under its content item, its popups under its overlay.
        if (item === null && page.contentItem !== undefined)
            item = findChild(page.contentItem, name)
        if (item === null && page.overlay !== undefined)
            item = findChild(page.overlay, name)
        verify(item !== null, "the subject has an item named " + name)
        return item
    }

    /// Waits for a QmlTask to end and returns its value.
    function valueOf(task, what) {
        let result
        let isDone = false
        task.then(value => { result = value; isDone = true })
        tryVerify(() => isDone, 15000, what + " ends")
        return result
    }
}
