import QtQuick
import QtQuick.Controls
import QtTest
import Waferscope.Console

// The Run page: Start, Pause/Resume and Abort follow the user's role and the run's state.
ConsoleTestCase {
    id: testCase
    name: "RunPage"
    subject: Component { RunPage { anchors.fill: parent } }

    function test_startIsDisabledUntilSomeoneAllowedToRunLogsIn() {
        const start = named("startButton")
        compare(viewModel.session.isLoggedIn, false)
        compare(start.enabled, false)
        // The view model refuses too, not only the button.
        compare(valueOf(viewModel.run.start(), "start while logged out"), false)
        verify(named("runError").text.length > 0, "the refusal is shown")
        compare(viewModel.run.isRunning, false)
        login("operator")
        tryCompare(start, "enabled", true)
        logout()
        tryCompare(start, "enabled", false)
    }

    function test_aRecipeTheMachineIsNotSetUpForSaysSoInAFewLinesAndKeepsTheCommandsInView() {
        login("operator")
        const names = viewModel.run.recipeNames
        const other = names.indexOf("quick-200mm") // the machine is set up for the default recipe
        verify(other >= 0 && other !== viewModel.run.recipeIndex, "another bundled recipe: " + names)
        viewModel.run.recipeIndex = other
        tryVerify(() => viewModel.run.recipeError.length > 0, 5000, "the machine is set up for another recipe")
        const summary = named("recipeSummary")
        compare(summary.text, viewModel.run.recipeErrorHeadline)
        verify(summary.lineCount <= 5, "the message takes " + summary.lineCount + " lines")
        compare(named("startButton").enabled, false)
        // The commands and the progress stay on the page (the window is the default test size).
        const progress = named("defectsTile")
        verify(progress.mapToItem(page, 0, progress.height).y <= page.height,
               "the progress ends at " + progress.mapToItem(page, 0, progress.height).y + " of " + page.height)
    }

    function test_startNeedsALotId() {
        login("operator")
        const start = named("startButton")
        const lot = named("lotField")
        tryCompare(start, "enabled", true)
        lot.text = "   "
        tryCompare(start, "enabled", false)
        lot.text = "LOT-QML"
        compare(viewModel.run.lotId, "LOT-QML")
        tryCompare(start, "enabled", true)
    }

    function test_aLotIdKeepsToTheSafeCharactersAsItIsTyped() {
        login("operator")
        const start = named("startButton")
        const lot = named("lotField")
        lot.text = ""
        lot.forceActiveFocus()
        for (const key of [Qt.Key_L, Qt.Key_O, Qt.Key_T, Qt.Key_Slash, Qt.Key_Period, Qt.Key_1, Qt.Key_Semicolon])
            keyClick(key)
        compare(lot.text, "lot.1", "'/' and ';' are not taken")
        tryCompare(start, "enabled", true)
        // Pasted or set some other way, a bad id is named and Start stays off.
        lot.text = "LOT/../../x;DROP"
        tryCompare(named("lotProblem"), "visible", true)
        verify(named("lotProblem").text.indexOf("'/'") >= 0, named("lotProblem").text)
        compare(start.enabled, false)
        lot.text = "LOT-QML"
        tryCompare(named("lotProblem"), "visible", false)
        tryCompare(start, "enabled", true)
    }

    function test_pauseAndAbortAreEnabledOnlyWhileARunGoesOn() {
        login("operator")
        const start = named("startButton")
        const pause = named("pauseButton")
        const abort = named("abortButton")
        compare(pause.enabled, false)
        compare(abort.enabled, false)
        tryCompare(start, "enabled", true)

        mouseClick(start)
        tryCompare(viewModel.run, "isRunning", true, 15000)
        tryCompare(start, "enabled", false)
        compare(named("recipeBox").enabled, false)
        compare(named("lotField").enabled, false)
        tryCompare(pause, "enabled", true, 15000)
        compare(abort.enabled, true)

        mouseClick(pause)
        tryCompare(viewModel.run, "isPaused", true, 15000)
        compare(pause.text, "Resume (F6)")
        verify(pause.enabled, "a paused run can be resumed")
        mouseClick(pause)
        tryCompare(viewModel.run, "isPaused", false, 15000)
        compare(pause.text, "Pause (F6)")

        mouseClick(abort)
        const confirm = named("abortConfirm")
        tryCompare(confirm, "opened", true)
        mouseClick(confirm.standardButton(Dialog.Yes))
        tryCompare(viewModel.run, "isRunning", false, 30000)
        compare(viewModel.run.state, "aborted")
        verify(named("runState").text.indexOf("aborted") === 0, named("runState").text)
        tryCompare(start, "enabled", true)
        compare(pause.enabled, false)
        compare(abort.enabled, false)
    }

    function test_anAbortThatIsNotConfirmedLeavesTheRunGoing() {
        login("operator")
        mouseClick(named("startButton"))
        tryCompare(named("abortButton"), "enabled", true, 15000)
        mouseClick(named("abortButton"))
        const confirm = named("abortConfirm")
        tryCompare(confirm, "opened", true)
        mouseClick(confirm.standardButton(Dialog.No))
        tryCompare(confirm, "visible", false)
        wait(300)
        compare(viewModel.run.isRunning, true)
        verify(viewModel.run.abort(), "the run can still be aborted")
        tryCompare(viewModel.run, "isRunning", false, 30000)
    }
}
