#include <QTest>

#include <fstream>
#include <sstream>

#include <waferscope/viewmodels/users/users_view_model.h>

#include "fake_rig.h"

using waferscope::testing::FakeRig;
using waferscope::viewmodels::SessionViewModel;
using waferscope::viewmodels::UsersViewModel;

namespace {

QStringList names(const UsersViewModel &users)
{
    QStringList result;
    for (const QVariant &user : users.users()) {
        result.append(user.toMap().value("name").toString());
    }
    return result;
}

} // namespace

class UsersViewModelTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void onlyAnAdminSeesOrChangesTheUsers()
    {
        FakeRig rig;
        SessionViewModel session(rig.services());
        UsersViewModel users(rig.services(), session);
        QVERIFY(QCoro::waitFor(session.loginTask("engineer", "engineer")));
        QVERIFY(!users.isAllowed());
        QVERIFY(users.users().isEmpty());
        QVERIFY(!QCoro::waitFor(users.addUserTask("mallory", "admin", "long enough")));
        QVERIFY(users.errorText().contains("engineer"));
        QVERIFY(!rig.users.find("mallory"));
    }

    void anAdminAddsAUserWhoCanThenLogInAndItIsAuditedWithoutThePassword()
    {
        FakeRig rig;
        SessionViewModel session(rig.services());
        UsersViewModel users(rig.services(), session);
        QVERIFY(QCoro::waitFor(session.loginTask("admin", "admin")));
        QVERIFY(users.isAllowed());
        QVERIFY(QCoro::waitFor(users.addUserTask("carol", "technician", "s3cret-pass")));
        QVERIFY(names(users).contains("carol"));
        session.logout();
        QVERIFY(QCoro::waitFor(session.loginTask("carol", "s3cret-pass")));
        QCOMPARE(session.role(), QString("technician"));
        const auto audit = rig.audit();
        bool found = false;
        for (const auto &entry : audit) {
            QVERIFY(entry.detail.find("s3cret") == std::string::npos);
            found = found || (entry.action == "user.add" && entry.detail == "carol as technician");
        }
        QVERIFY(found);
        // The file holds the new user too.
        std::ifstream in(rig.users.file());
        std::stringstream text;
        text << in.rdbuf();
        QVERIFY(text.str().find("\"carol\"") != std::string::npos);
    }

    void theDirectoryRulesComeBackAsErrorsAndChangeNothing()
    {
        FakeRig rig;
        SessionViewModel session(rig.services());
        UsersViewModel users(rig.services(), session);
        QVERIFY(QCoro::waitFor(session.loginTask("admin", "admin")));
        QVERIFY(!QCoro::waitFor(users.addUserTask("dave", "operator", "short")));
        QVERIFY(users.errorText().contains("too short"));
        QVERIFY(!QCoro::waitFor(users.addUserTask("dave", "boss", "long enough")));
        QVERIFY(users.errorText().contains("'boss'"));
        QVERIFY(!QCoro::waitFor(users.removeUserTask("admin")));
        QVERIFY(users.errorText().contains("yourself"));
        QVERIFY(!names(users).contains("dave"));
        QCOMPARE(names(users).size(), 4);
    }

    void aChangePendingWhenTheViewModelGoesAwayEndsWithoutTouchingIt()
    {
        FakeRig rig;
        // Full-strength hashes, so the new password is still being hashed when the view model goes.
        waferscope::core::UserDirectory users(std::filesystem::path(rig.dir.path().toStdString()) / "slow.json");
        users.addUser("root", waferscope::core::Role::Admin, "correct horse");
        const auto services = rig.servicesWith(users);
        SessionViewModel session(services);
        QVERIFY(QCoro::waitFor(session.loginTask("root", "correct horse")));
        auto model = std::make_unique<UsersViewModel>(services, session);
        auto pending = model->addUserTask("erin", "operator", "battery staple");
        QVERIFY(model->isBusy());
        model.reset();
        QVERIFY(!QCoro::waitFor(std::move(pending)));
    }

    void rolesAndPasswordsChangeAndAUserIsRemoved()
    {
        FakeRig rig;
        SessionViewModel session(rig.services());
        UsersViewModel users(rig.services(), session);
        QVERIFY(QCoro::waitFor(session.loginTask("admin", "admin")));
        QVERIFY(QCoro::waitFor(users.setRoleTask("operator", "engineer")));
        QCOMPARE(rig.users.find("operator")->role, waferscope::core::Role::Engineer);
        QVERIFY(QCoro::waitFor(users.setPasswordTask("technician", "a new password")));
        QVERIFY(!rig.users.find("technician")->isDemo);
        QVERIFY(rig.users.verify("technician", "a new password"));
        QVERIFY(QCoro::waitFor(users.removeUserTask("engineer")));
        QVERIFY(!names(users).contains("engineer"));
    }
};

QTEST_GUILESS_MAIN(UsersViewModelTest)
#include "users_view_model_test.moc"
