#include <QTemporaryDir>
#include <QTest>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <waferscope/core/users/role.h>
#include <waferscope/core/users/user_directory.h>

using waferscope::core::isAllowed;
using waferscope::core::Permission;
using waferscope::core::Role;
using waferscope::core::UserDirectory;
using waferscope::core::UserDirectoryError;

namespace {

/// Few iterations keep the tests fast; one test checks the default.
constexpr int kFastIterations = 64;

std::string readAll(const std::filesystem::path &file)
{
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

template<typename F>
std::string errorOf(F &&f)
{
    try {
        f();
    } catch (const UserDirectoryError &e) {
        return e.what();
    }
    return {};
}

} // namespace

class UserDirectoryTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void eachRoleHoldsThePermissionsOfTheRolesBelowIt()
    {
        QVERIFY(isAllowed(Role::Operator, Permission::RunInspection));
        QVERIFY(!isAllowed(Role::Operator, Permission::AcknowledgeAlarms));
        QVERIFY(!isAllowed(Role::Operator, Permission::ViewStatistics));
        QVERIFY(isAllowed(Role::Technician, Permission::AcknowledgeAlarms));
        QVERIFY(isAllowed(Role::Technician, Permission::ShelveAlarms));
        QVERIFY(!isAllowed(Role::Technician, Permission::ExportResults));
        QVERIFY(isAllowed(Role::Engineer, Permission::ViewStatistics));
        QVERIFY(isAllowed(Role::Engineer, Permission::ExportResults));
        QVERIFY(!isAllowed(Role::Technician, Permission::ViewAudit));
        QVERIFY(isAllowed(Role::Engineer, Permission::ViewAudit));
        QVERIFY(!isAllowed(Role::Technician, Permission::ReviewDefects));
        QVERIFY(isAllowed(Role::Engineer, Permission::ReviewDefects));
        QVERIFY(!isAllowed(Role::Engineer, Permission::ManageUsers));
        for (const Permission p : waferscope::core::kAllPermissions) {
            QVERIFY(isAllowed(Role::Admin, p));
        }
    }

    void roleNamesReadBack()
    {
        for (const Role r : waferscope::core::kAllRoles) {
            QCOMPARE(waferscope::core::parseRole(toText(r)), r);
        }
        QVERIFY(!waferscope::core::parseRole("supervisor"));
    }

    void anAddedUserVerifiesWithTheirPasswordOnly()
    {
        QTemporaryDir dir;
        UserDirectory users(std::filesystem::path(dir.path().toStdString()) / "users.json", kFastIterations);
        users.addUser("alice", Role::Technician, "correct horse");
        const auto alice = users.verify("alice", "correct horse");
        QVERIFY(alice);
        QCOMPARE(alice->role, Role::Technician);
        QVERIFY(!users.verify("alice", "correct hors"));
        QVERIFY(!users.verify("bob", "correct horse"));
    }

    void theFileHoldsSaltedHashesNeverThePassword()
    {
        QTemporaryDir dir;
        const auto file = std::filesystem::path(dir.path().toStdString()) / "users.json";
        UserDirectory users(file, kFastIterations);
        users.addUser("alice", Role::Operator, "correct horse");
        users.addUser("bob", Role::Operator, "correct horse");
        const std::string text = readAll(file);
        QVERIFY(text.find("correct horse") == std::string::npos);
        QVERIFY(text.find("\"salt\"") != std::string::npos);
        // The same password under two salts gives two hashes.
        const auto first = text.find("\"hash\"");
        const auto second = text.find("\"hash\"", first + 1);
        QVERIFY(second != std::string::npos);
        QVERIFY(text.substr(first, text.find('\n', first) - first) !=
                text.substr(second, text.find('\n', second) - second));
    }

    void usersSurviveReopening()
    {
        QTemporaryDir dir;
        const auto file = std::filesystem::path(dir.path().toStdString()) / "users.json";
        {
            UserDirectory users(file, kFastIterations);
            users.addUser("alice", Role::Engineer, "correct horse");
        }
        UserDirectory reopened(file, kFastIterations);
        QCOMPARE(reopened.users().size(), std::size_t{1});
        QVERIFY(reopened.verify("alice", "correct horse"));
    }

    void theDefaultHashIsSlowPbkdf2WithItsIterationsStored()
    {
        QTemporaryDir dir;
        const auto file = std::filesystem::path(dir.path().toStdString()) / "users.json";
        UserDirectory users(file);
        users.addUser("alice", Role::Operator, "correct horse");
        QVERIFY(readAll(file).find(std::to_string(UserDirectory::kDefaultIterations)) != std::string::npos);
        // Reopened with other defaults, the stored iterations still verify.
        UserDirectory reopened(file, kFastIterations);
        QVERIFY(reopened.verify("alice", "correct horse"));
    }

    void badNamesShortPasswordsAndDuplicatesAreRefusedByName()
    {
        QTemporaryDir dir;
        UserDirectory users(std::filesystem::path(dir.path().toStdString()) / "users.json", kFastIterations);
        QVERIFY(errorOf([&] { users.addUser("al ice", Role::Operator, "correct horse"); }).find("'al ice'") !=
                std::string::npos);
        QVERIFY(errorOf([&] { users.addUser("alice", Role::Operator, "short"); }).find("too short") !=
                std::string::npos);
        users.addUser("alice", Role::Operator, "correct horse");
        QVERIFY(errorOf([&] { users.addUser("alice", Role::Admin, "correct horse"); }).find("already exists") !=
                std::string::npos);
        QVERIFY(errorOf([&] { users.removeUser("bob"); }).find("no user 'bob'") != std::string::npos);
        QCOMPARE(users.users().size(), std::size_t{1});
    }

    void theLastAdminCannotBeRemovedOrDemoted()
    {
        QTemporaryDir dir;
        UserDirectory users(std::filesystem::path(dir.path().toStdString()) / "users.json", kFastIterations);
        users.addUser("root", Role::Admin, "correct horse");
        QVERIFY(errorOf([&] { users.removeUser("root"); }).find("last admin") != std::string::npos);
        QVERIFY(errorOf([&] { users.setRole("root", Role::Operator); }).find("last admin") != std::string::npos);
        QCOMPARE(users.find("root")->role, Role::Admin);
    }

    void demoUsersAreOnePerRoleAndMarked()
    {
        QTemporaryDir dir;
        UserDirectory users(std::filesystem::path(dir.path().toStdString()) / "users.json", kFastIterations);
        QVERIFY(!users.hasDemoUsers());
        users.addDemoUsers();
        QVERIFY(users.hasDemoUsers());
        QCOMPARE(users.users().size(), std::size_t{4});
        const auto tech = users.verify("technician", "technician");
        QVERIFY(tech);
        QCOMPARE(tech->role, Role::Technician);
        QVERIFY(tech->isDemo);
        users.addDemoUsers();
        QCOMPARE(users.users().size(), std::size_t{4});
        users.setPassword("technician", "a real password");
        QVERIFY(!users.find("technician")->isDemo);
    }

    void aCorruptFileIsRefusedNamingIt()
    {
        QTemporaryDir dir;
        const auto file = std::filesystem::path(dir.path().toStdString()) / "users.json";
        std::ofstream(file) << "{ not json";
        const std::string error = errorOf([&] { UserDirectory users(file, kFastIterations); });
        QVERIFY(error.find(file.string()) != std::string::npos);
        QVERIFY(error.find("not valid JSON") != std::string::npos);
        QCOMPARE(readAll(file), std::string("{ not json"));
    }
};

QTEST_GUILESS_MAIN(UserDirectoryTest)
#include "user_directory_test.moc"
