import QtQuick
import QtTest
import Waferscope.Console

// The Users page is for admins: others see a notice; an admin adds a user who can then log in.
ConsoleTestCase {
    id: testCase
    name: "UsersPage"
    subject: Component { UsersPage { anchors.fill: parent } }

    function test_aTechnicianSeesNotAllowed() {
        login("technician")
        compare(named("notAllowed").visible, true)
        compare(named("userList").visible, false)
        compare(named("addUserButton").visible, false)
    }

    function test_anAdminSeesTheDemoUsers() {
        login("admin")
        tryCompare(named("notAllowed"), "visible", false)
        const list = named("userList")
        tryCompare(list, "visible", true)
        tryCompare(list, "count", viewModel.session.demoUsers.length)
        compare(named("role_technician").currentText, "technician")
    }

    function test_anAdminAddsAUserWhoCanLogIn() {
        login("admin")
        const list = named("userList")
        tryVerify(() => list.count > 0, 5000, "the users are listed")
        const before = list.count
        const add = named("addUserButton")
        compare(add.enabled, false)
        named("newUserName").text = "inspector"
        // A password shorter than the rule keeps the button off, as the field's hint says.
        named("newUserPassword").text = "short"
        compare(add.enabled, false)
        verify(named("newUserPassword").placeholderText.indexOf(viewModel.users.minimumPasswordLength + " characters") >= 0,
               named("newUserPassword").placeholderText)
        named("newUserPassword").text = "inspect-1234"
        const role = named("newUserRole")
        role.currentIndex = role.find("technician")
        tryCompare(add, "enabled", true)
        mouseClick(add)
        tryCompare(list, "count", before + 1, 15000)
        compare(viewModel.users.errorText, "")
        compare(named("newUserName").text, "")

        logout()
        compare(valueOf(viewModel.session.login("inspector", "inspect-1234"), "the new user's login"), true)
        compare(viewModel.session.role, "technician")
    }

    function test_removingAUserAsksFirstAndKeepsThemWhenTheAdminSaysNo() {
        login("admin")
        const list = named("userList")
        tryVerify(() => list.count > 0, 5000, "the users are listed")
        const before = list.count
        const dialog = named("removeUserDialog")
        mouseClick(named("remove_operator"))
        tryCompare(dialog, "opened", true)
        compare(dialog.userName, "operator")
        mouseClick(named("cancelRemoveButton"))
        tryCompare(dialog, "visible", false)
        // A removal would have made the view model busy at once.
        compare(viewModel.users.isBusy, false)
        compare(list.count, before)

        mouseClick(named("remove_operator"))
        tryCompare(dialog, "opened", true)
        mouseClick(named("confirmRemoveButton"))
        tryCompare(list, "count", before - 1, 15000)
        compare(viewModel.users.errorText, "")
    }

    function test_theRemoveDialogAnswersTheKeyboardWithTheSafeAnswerFirst() {
        login("admin")
        const list = named("userList")
        tryVerify(() => list.count > 0, 5000, "the users are listed")
        const before = list.count
        const dialog = named("removeUserDialog")
        mouseClick(named("remove_operator"))
        tryCompare(dialog, "opened", true)
        tryCompare(named("cancelRemoveButton"), "activeFocus", true)
        keyClick(Qt.Key_Return)
        tryCompare(dialog, "visible", false)
        compare(viewModel.users.isBusy, false)
        compare(list.count, before)

        mouseClick(named("remove_operator"))
        tryCompare(dialog, "opened", true)
        keyClick(Qt.Key_Escape)
        tryCompare(dialog, "visible", false)
        compare(list.count, before)

        mouseClick(named("remove_operator"))
        tryCompare(dialog, "opened", true)
        tryCompare(named("cancelRemoveButton"), "activeFocus", true)
        keyClick(Qt.Key_Tab)
        tryCompare(named("confirmRemoveButton"), "activeFocus", true)
        keyClick(Qt.Key_Return)
        tryCompare(list, "count", before - 1, 15000)
    }

    function test_theAdminsOwnRowOffersNoChangeThatWouldBeRefused() {
        login("admin")
        const list = named("userList")
        tryVerify(() => list.count > 0, 5000, "the users are listed")
        // Your own role and account are another admin's to change: those controls are off on your
        // row only.
        compare(named("role_admin").enabled, false)
        compare(named("remove_admin").enabled, false)
        compare(named("role_operator").enabled, true)
        compare(named("remove_operator").enabled, true)
    }

    function test_aRefusedRoleChangePutsTheBoxBackToTheStoredRole() {
        login("admin")
        const list = named("userList")
        tryVerify(() => list.count > 0, 5000, "the users are listed")
        // The view model refuses a change of your own role whatever the page offers; the box
        // must not keep showing a role that was not stored.
        const box = named("role_admin")
        box.currentIndex = box.find("operator")
        box.activated(box.currentIndex)
        tryCompare(box, "currentText", "admin")
        compare(viewModel.users.errorText, "Another admin must change your role")
        compare(viewModel.session.role, "admin")
    }
}
