#include <QSignalSpy>
#include <QTest>

#include <waferscope/viewmodels/session/session_view_model.h>

#include "fake_rig.h"

using waferscope::core::Permission;
using waferscope::testing::FakeRig;
using waferscope::viewmodels::SessionViewModel;

class SessionViewModelTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void nobodyLoggedInMayDoNothing()
    {
        FakeRig rig;
        SessionViewModel session(rig.services());
        QVERIFY(!session.isLoggedIn());
        for (const Permission p : waferscope::core::kAllPermissions) {
            QVERIFY(!session.allows(p));
        }
        QVERIFY(!session.actor());
        QVERIFY(session.refusal(Permission::AcknowledgeAlarms).startsWith("Log in"));
    }

    void aDemoUserLogsInWithTheirRoleAndItIsAudited()
    {
        FakeRig rig;
        SessionViewModel session(rig.services());
        QSignalSpy changed(&session, &SessionViewModel::userChanged);
        QVERIFY(QCoro::waitFor(session.loginTask("technician", "technician")));
        QVERIFY(session.isLoggedIn());
        QCOMPARE(session.userName(), QString("technician"));
        QCOMPARE(session.role(), QString("technician"));
        QVERIFY(session.isDemoUser());
        QVERIFY(session.canAcknowledge());
        QVERIFY(session.canShelve());
        QVERIFY(!session.canViewStatistics());
        QCOMPARE(changed.count(), 1);
        const auto audit = rig.audit();
        QVERIFY(!audit.empty());
        QCOMPARE(audit.front().action, std::string("login"));
        QCOMPARE(audit.front().userName, std::string("technician"));
        QCOMPARE(audit.front().role, std::string("technician"));
    }

    void aWrongPasswordIsRefusedWithOneMessageAndAudited()
    {
        FakeRig rig;
        SessionViewModel session(rig.services());
        QVERIFY(!QCoro::waitFor(session.loginTask("operator", "wrong")));
        QVERIFY(!session.isLoggedIn());
        const QString wrongPassword = session.errorText();
        QVERIFY(!QCoro::waitFor(session.loginTask("nobody", "operator")));
        QCOMPARE(session.errorText(), wrongPassword);
        QVERIFY(!session.isBusy());
        const auto audit = rig.audit();
        QCOMPARE(audit.size(), std::size_t{2});
        QCOMPARE(audit.front().action, std::string("login.refused"));
        // The audit names who tried, never the password.
        QVERIFY(audit.front().detail.find("nobody") != std::string::npos);
        QVERIFY(audit.back().detail.find("wrong") == std::string::npos);
    }

    void aSecondLoginWhileOneIsCheckedIsRefused()
    {
        FakeRig rig;
        // Full-strength hashes, so the first check is still running when the second login comes.
        waferscope::core::UserDirectory users(std::filesystem::path(rig.dir.path().toStdString()) / "slow.json");
        users.addUser("alice", waferscope::core::Role::Operator, "correct horse");
        users.addUser("bob", waferscope::core::Role::Admin, "battery staple");
        SessionViewModel session(rig.servicesWith(users));
        auto first = session.loginTask("alice", "correct horse");
        QVERIFY(session.isBusy());
        QVERIFY(!QCoro::waitFor(session.loginTask("bob", "battery staple")));
        QVERIFY(QCoro::waitFor(std::move(first)));
        QCOMPARE(session.userName(), QString("alice"));
    }

    void aLoginPendingWhenTheViewModelGoesAwayEndsWithoutTouchingIt()
    {
        FakeRig rig;
        // Full-strength hashes, so the check is still running when the view model is destroyed.
        waferscope::core::UserDirectory users(std::filesystem::path(rig.dir.path().toStdString()) / "slow.json");
        users.addUser("alice", waferscope::core::Role::Operator, "correct horse");
        auto session = std::make_unique<SessionViewModel>(rig.servicesWith(users));
        auto pending = session->loginTask("alice", "correct horse");
        QVERIFY(session->isBusy());
        session.reset();
        // The check finishes and the coroutine resumes into a view model that is gone.
        QVERIFY(!QCoro::waitFor(std::move(pending)));
    }

    void logoutEndsTheSessionAndIsAudited()
    {
        FakeRig rig;
        SessionViewModel session(rig.services());
        QVERIFY(QCoro::waitFor(session.loginTask("engineer", "engineer")));
        QVERIFY(session.canViewStatistics());
        session.logout();
        QVERIFY(!session.isLoggedIn());
        QVERIFY(!session.canRun());
        const auto audit = rig.audit();
        QCOMPARE(audit.front().action, std::string("logout"));
        QCOMPARE(audit.front().userName, std::string("engineer"));
    }

    void fiveWrongPasswordsLockTheNameAndEvenTheRightOneIsRefusedThen()
    {
        FakeRig rig;
        SessionViewModel session(rig.services());
        for (int i = 0; i < 4; ++i) {
            QVERIFY(!QCoro::waitFor(session.loginTask("operator", "guess")));
            QCOMPARE(session.errorText(), QString("Wrong user name or password"));
        }
        QVERIFY(!QCoro::waitFor(session.loginTask("operator", "guess")));
        QVERIFY2(session.errorText().contains("Too many wrong passwords for 'operator': try again in 30 seconds"),
                 qPrintable(session.errorText()));
        // Locked: the right password is not even checked.
        QVERIFY(!QCoro::waitFor(session.loginTask("operator", "operator")));
        QVERIFY2(session.errorText().startsWith("Too many wrong passwords for 'operator': try again in"),
                 qPrintable(session.errorText()));
        QVERIFY(!session.isLoggedIn());
        const auto audit = rig.audit();
        QCOMPARE(audit.front().action, std::string("login.refused"));
        QCOMPARE(audit.front().detail, std::string("user 'operator' locked"));
        // Another name is not locked.
        QVERIFY(QCoro::waitFor(session.loginTask("technician", "technician")));
    }

    void aSessionWithoutActivityEndsByItselfAndIsAudited()
    {
        QCoreApplication::setOrganizationName("WaferscopeTest");
        QCoreApplication::setApplicationName("session_view_model_test");
        FakeRig rig;
        SessionViewModel session(rig.services());
        QVERIFY(QCoro::waitFor(session.loginTask("operator", "operator")));
        session.setIdleLogoutAfter(std::chrono::milliseconds(50));
        QSignalSpy changed(&session, &SessionViewModel::userChanged);
        QVERIFY(changed.wait(10'000));
        QVERIFY(!session.isLoggedIn());
        QVERIFY2(session.errorText().contains("without activity"), qPrintable(session.errorText()));
        QCOMPARE(rig.audit().front().action, std::string("logout.idle"));
        // Off: a session stays.
        session.setIdleLogoutAfter(std::chrono::milliseconds(0));
        QVERIFY(QCoro::waitFor(session.loginTask("operator", "operator")));
        QVERIFY(!changed.wait(200));
        QVERIFY(session.isLoggedIn());
    }

    void demoUsersAreListedOnlyOnTheSimulatedMachine()
    {
        FakeRig rig;
        SessionViewModel simulated(rig.services());
        QVERIFY(simulated.hasDemoUsers());
        QCOMPARE(simulated.demoUsers().size(), 4);
        rig.engine.setSimulated(false);
        SessionViewModel real(rig.services());
        QVERIFY(!real.hasDemoUsers());
        QVERIFY(real.demoUsers().isEmpty());
    }
};

QTEST_GUILESS_MAIN(SessionViewModelTest)
#include "session_view_model_test.moc"
