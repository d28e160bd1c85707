#include <QTest>

#include <string>

#include <waferscope/core/validation_error.h>

using waferscope::core::ValidationError;

class ValidationErrorTest : public QObject
{
    Q_OBJECT

private slots:
    void listsEveryIssueWithItsFieldInWhat()
    {
        const ValidationError error("recipe", {{"name", "is empty"}, {"threshold", "-3 must be positive"}});
        QCOMPARE(std::string(error.what()), std::string("invalid recipe: name: is empty; threshold: -3 must be positive"));
        QCOMPARE(error.subject(), std::string("recipe"));
        QCOMPARE(error.issues().size(), std::size_t{2});
    }

    void problemWithNamesTheProblemOfOneFieldOrNothing()
    {
        const ValidationError error("recipe", {{"name", "is empty"}});
        QCOMPARE(error.problemWith("name"), std::string_view("is empty"));
        QVERIFY(error.problemWith("threshold").empty());
    }

    void isAnInvalidArgument()
    {
        try {
            throw ValidationError("recipe", {{"name", "is empty"}});
        } catch (const std::invalid_argument &e) {
            QVERIFY(std::string(e.what()).find("name: is empty") != std::string::npos);
            return;
        }
        QFAIL("not caught as std::invalid_argument");
    }
};

QTEST_GUILESS_MAIN(ValidationErrorTest)
#include "validation_error_test.moc"
