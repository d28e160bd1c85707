#include <QTest>

#include <waferscope/core/lot_id.h>
#include <waferscope/core/validation_error.h>
#include <waferscope/core/wafer_id.h>

using waferscope::core::LotId;
using waferscope::core::ValidationError;
using waferscope::core::WaferId;

namespace {

std::string waferProblem(const std::string &text)
{
    try {
        static_cast<void>(WaferId(text));
    } catch (const ValidationError &e) {
        return std::string(e.problemWith("wafer id"));
    }
    return {};
}

} // namespace

class LotIdTest : public QObject
{
    Q_OBJECT

private slots:
    void acceptsLettersDigitsDashUnderscoreAndDot()
    {
        QCOMPARE(LotId("LOT-4711_a.b").text(), std::string("LOT-4711_a.b"));
        QVERIFY(LotId::problemWith("9LOT").empty());
    }

    void aPathOrCommandInTheLotIdIsRefusedNamingTheCharacter()
    {
        const std::string problem = LotId::problemWith("LOT/../../x;DROP");
        QVERIFY2(problem.find("character 4 ('/') is not allowed") != std::string::npos, problem.c_str());
        QVERIFY(LotId::problemWith("LOT;DROP").find("(';')") != std::string::npos);
        QVERIFY(LotId::problemWith("LOT\\x").find("('\\')") != std::string::npos);
        QVERIFY(LotId::problemWith("LOT x").find("(code 32)") != std::string::npos);
        QVERIFY_THROWS_EXCEPTION(ValidationError, LotId("LOT/../../x;DROP"));
    }

    void aLotIdMustStartWithALetterOrDigitSoItIsNeverDotOrDotDot()
    {
        QVERIFY(LotId::problemWith("..").find("must start with a letter or a digit, not '.'") != std::string::npos);
        QVERIFY(LotId::problemWith(".hidden").find("must start with") != std::string::npos);
        QVERIFY(LotId::problemWith("-x").find("must start with") != std::string::npos);
        QCOMPARE(LotId::problemWith(""), std::string("is empty"));
    }

    void aLotIdLeavesRoomForTheSlotInItsWaferIds()
    {
        QVERIFY(LotId::problemWith(std::string(28, 'L')).empty());
        QVERIFY(LotId::problemWith(std::string(29, 'L')).find("has 29 characters; at most 28") != std::string::npos);
        QCOMPARE(LotId(std::string(28, 'L')).waferId(25).text().size(), WaferId::kMaxLength);
    }

    void waferIdsAreTheLotAndTheTwoDigitSlot()
    {
        const auto ids = LotId("LOT7").waferIds(12);
        QCOMPARE(ids.size(), std::size_t{12});
        QCOMPARE(ids.front().text(), std::string_view("LOT7-01"));
        QCOMPARE(ids[9].text(), std::string_view("LOT7-10"));
        QCOMPARE(ids.back().text(), std::string_view("LOT7-12"));
    }

    void aLotFitsOneCassette()
    {
        QCOMPARE(LotId("L").waferIds(LotId::kCassetteSlots).size(), std::size_t{25});
        try {
            static_cast<void>(LotId("L").waferIds(26));
            QFAIL("26 wafers were accepted");
        } catch (const ValidationError &e) {
            QVERIFY(std::string(e.problemWith("wafers")).find("26 wafers do not fit a cassette") != std::string::npos);
        }
        QVERIFY_THROWS_EXCEPTION(ValidationError, LotId("L").waferIds(0));
        QVERIFY_THROWS_EXCEPTION(ValidationError, LotId("L").waferId(26));
    }

    void waferIdsKeepTheSameSafeCharacterSet()
    {
        QVERIFY(waferProblem("W/1").find("character 2 ('/') is not allowed") != std::string::npos);
        QVERIFY(waferProblem("..").find("must start with a letter or a digit") != std::string::npos);
        QVERIFY(waferProblem("W_1.2-3").empty());
    }
};

QTEST_GUILESS_MAIN(LotIdTest)
#include "lot_id_test.moc"
