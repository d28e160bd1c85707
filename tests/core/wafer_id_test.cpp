#include <QTest>

#include <string>

#include <waferscope/core/validation_error.h>
#include <waferscope/core/wafer_id.h>
#include <waferscope/testing/allocation_counter.h>

using waferscope::core::ValidationError;
using waferscope::core::WaferId;
using waferscope::testing::AllocationScope;

namespace {

std::string problemOf(std::string_view text)
{
    try {
        const WaferId id(text);
    } catch (const ValidationError &e) {
        return std::string(e.problemWith("wafer id"));
    }
    return {};
}

} // namespace

class WaferIdTest : public QObject
{
    Q_OBJECT

private slots:
    void keepsItsText()
    {
        const WaferId id("LOT4711-07");
        QCOMPARE(id.text(), std::string_view("LOT4711-07"));
        QVERIFY(!id.isEmpty());
        QVERIFY(id == WaferId("LOT4711-07"));
        QVERIFY(!(id == WaferId("LOT4711-08")));
    }

    void defaultIsEmpty()
    {
        QVERIFY(WaferId().isEmpty());
        QVERIFY(WaferId().text().empty());
    }

    void copyingAllocatesNothing()
    {
        const WaferId id("ABCDEFGHIJKLMNOPQRSTUVWXYZ01234"); // 31 characters: longer than any SSO buffer
        const AllocationScope scope;
        WaferId copies[8];
        for (WaferId &copy : copies) {
            copy = id;
        }
        QCOMPARE(scope.thread(), std::uint64_t{0});
        QVERIFY(copies[7] == id);
    }

    void acceptsThirtyOneCharactersAndRejectsThirtyTwo()
    {
        QCOMPARE(WaferId(std::string(31, 'A')).text().size(), std::size_t{31});
        QVERIFY(problemOf(std::string(32, 'A')).find("has 32 characters; at most 31 are allowed") != std::string::npos);
    }

    void rejectsEmptyTextSayingSo()
    {
        QCOMPARE(problemOf(""), std::string("is empty"));
    }

    void rejectsSpacesAndNonPrintableCharactersNamingThePosition()
    {
        QVERIFY(problemOf("LOT 1").find("character 4 (code 32)") != std::string::npos);
        QVERIFY(problemOf("LOT\n1").find("character 4 (code 10)") != std::string::npos);
        QVERIFY(problemOf("LOT\xc3\xa9").find("character 4") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(WaferIdTest)
#include "wafer_id_test.moc"
