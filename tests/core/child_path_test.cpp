#include <QTest>

#include <waferscope/core/child_path.h>
#include <waferscope/core/validation_error.h>

using waferscope::core::childPath;
using waferscope::core::ValidationError;

namespace {

std::string problemOf(const std::filesystem::path &root, std::initializer_list<std::string_view> parts)
{
    try {
        static_cast<void>(childPath(root, parts));
    } catch (const ValidationError &e) {
        return std::string(e.problemWith("path"));
    }
    return {};
}

} // namespace

class ChildPathTest : public QObject
{
    Q_OBJECT

private slots:
    void eachPartIsOneFolderLevelUnderTheRoot()
    {
        QCOMPARE(childPath("/data", {"klarf", "run-1", "LOT-01.klarf"}), std::filesystem::path("/data/klarf/run-1/LOT-01.klarf"));
        QCOMPARE(childPath("data", {"a"}), std::filesystem::path("data/a"));
    }

    void aPartThatClimbsOrCrossesIsRefusedNamingIt()
    {
        QVERIFY(problemOf("/data", {"klarf", ".."}).find("'..' cannot name a file or folder") != std::string::npos);
        QVERIFY(problemOf("/data", {"."}).find("cannot name") != std::string::npos);
        QVERIFY(problemOf("/data", {""}).find("cannot name") != std::string::npos);
        QVERIFY(problemOf("/data", {"LOT/../../x"}).find("'LOT/../../x' holds a path separator") != std::string::npos);
        QVERIFY(problemOf("/data", {"a\\b"}).find("path separator") != std::string::npos);
        QVERIFY(problemOf("/data", {std::string_view("a\0b", 3)}).find("NUL") != std::string::npos);
        QVERIFY(problemOf("/data", {"/etc"}).find("path separator") != std::string::npos);
    }

    void aRootWithDotsStillHoldsItsChildren()
    {
        QCOMPARE(childPath("/data/./x/../y", {"z"}).lexically_normal(), std::filesystem::path("/data/y/z"));
    }
};

QTEST_GUILESS_MAIN(ChildPathTest)
#include "child_path_test.moc"
