import QtQuick
import QtQuick.Controls
import QtTest
import Waferscope.Console

// Closing the window while a run goes on asks first: "Keep running" keeps the run and the window;
// "Abort and close" aborts the run with the reason and closes the window once it has ended. The
// run is paused first so that it is still in progress whatever the load on the machine.
ConsoleTestCase {
    id: testCase
    name: "CloseWindow"
    isUnpaced: false
    subject: Component { Main {} }

    function startALot() {
        login("operator")
        tryCompare(named("loginDialog"), "visible", false)
        viewModel.run.lotId = "LOT-CLOSE"
        viewModel.run.waferCount = 3
        compare(valueOf(viewModel.run.start(), "the start"), true)
        tryCompare(viewModel.run, "isRunning", true, 15000)
        // Paused, the lot cannot end on its own while the test closes the window, however slow
        // the machine; a paused run is still a run in progress.
        tryCompare(viewModel.run, "canPause", true, 30000)
        compare(viewModel.run.pause(), true)
        tryCompare(viewModel.run, "isPaused", true, 15000)
    }

    function test_closingWithNoRunClosesAtOnce() {
        login("operator")
        page.close()
        tryCompare(page, "visible", false)
        compare(named("closeConfirm").visible, false)
    }

    function test_closingDuringARunAsksAndKeepingItRunningKeepsBoth() {
        startALot()
        page.close()
        const dialog = named("closeConfirm")
        tryCompare(dialog, "opened", true)
        compare(page.visible, true)
        dialog.reject()
        tryCompare(dialog, "visible", false)
        compare(page.visible, true)
        compare(viewModel.run.isRunning, true)
    }

    function test_abortAndCloseEndsTheRunWithTheReasonThenCloses() {
        startALot()
        page.close()
        const dialog = named("closeConfirm")
        tryCompare(dialog, "opened", true)
        dialog.accept()
        tryCompare(viewModel.run, "isRunning", false, 60000)
        compare(viewModel.run.state, "aborted")
        verify(viewModel.run.stateReason.indexOf("the console was closed during the run (operator)") >= 0,
               viewModel.run.stateReason)
        tryCompare(page, "visible", false)
    }
}
