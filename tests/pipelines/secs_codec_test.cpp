// SECS-II codec: every format round-trips, lengths use one to three bytes, and malformed bytes are
// refused with the offset and the reason, without reserving what a hostile length claims.

#include <QTest>

#include <cmath>
#include <limits>

#include <waferscope/pipelines/gem/secs_codec.h>
#include <waferscope/pipelines/gem/secs_decode_error.h>

using namespace waferscope::pipelines::gem;

namespace {

using Bytes = std::vector<std::uint8_t>;

SecsDecodeError decodeError(const Bytes &bytes)
{
    try {
        static_cast<void>(SecsCodec::decode(bytes));
    } catch (const SecsDecodeError &e) {
        return e;
    }
    QTest::qFail("decoding did not fail", __FILE__, __LINE__);
    return SecsDecodeError(0, "none");
}

} // namespace

class SecsCodecTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyFormatRoundTrips()
    {
        const SecsItem item = SecsItem::list({
            SecsItem::list(),
            SecsItem::binary({0x00, 0x7F, 0xFF}),
            SecsItem::booleans({1, 0}),
            SecsItem::ascii("LOT-7"),
            SecsItem::signedInts(SecsFormat::I1, {-128, 127}),
            SecsItem::signedInts(SecsFormat::I2, {-32768, 32767}),
            SecsItem::signedInts(SecsFormat::I4, {std::numeric_limits<std::int32_t>::min(), 5}),
            SecsItem::signedInts(SecsFormat::I8, {std::numeric_limits<std::int64_t>::min(), -1}),
            SecsItem::unsignedInts(SecsFormat::U1, {0, 255}),
            SecsItem::unsignedInts(SecsFormat::U2, {65535}),
            SecsItem::unsignedInts(SecsFormat::U4, {0xFFFFFFFFu}),
            SecsItem::unsignedInts(SecsFormat::U8, {std::numeric_limits<std::uint64_t>::max()}),
            SecsItem::f4(1.5),
            SecsItem::floatingPoint(SecsFormat::F8, {-0.1, 1e300}),
            SecsItem::ascii(""),
        });
        const SecsItem back = SecsCodec::decode(SecsCodec::encode(item));
        QCOMPARE(back.toSml(), item.toSml());
        QVERIFY(back == item);
    }

    void encodesTheBytesE5Gives()
    {
        // <L [2] <A "AB"> <U2 258>>: list 01 02, A 41 02 'A' 'B', U2 A9 02 01 02.
        const Bytes expected{0x01, 0x02, 0x41, 0x02, 'A', 'B', 0xA9, 0x02, 0x01, 0x02};
        QCOMPARE(SecsCodec::encode(SecsItem::list({SecsItem::ascii("AB"), SecsItem::u2(258)})), expected);
        QCOMPARE(SecsCodec::encode(SecsItem::i1(-1)), (Bytes{0x65, 0x01, 0xFF}));
        QCOMPARE(SecsCodec::encode(SecsItem::boolean(true)), (Bytes{0x25, 0x01, 0x01}));
        QCOMPARE(SecsCodec::encode(SecsItem::f4(1.0)), (Bytes{0x91, 0x04, 0x3F, 0x80, 0x00, 0x00}));
    }

    void lengthTakesOneTwoOrThreeBytes()
    {
        for (const std::size_t length : {std::size_t(255), std::size_t(256), std::size_t(65535), std::size_t(65536)}) {
            const SecsItem item = SecsItem::binary(Bytes(length, 0xAB));
            const Bytes bytes = SecsCodec::encode(item);
            const std::size_t lengthBytes = length <= 0xFF ? 1 : length <= 0xFFFF ? 2 : 3;
            QCOMPARE(std::size_t(bytes[0] & 3u), lengthBytes);
            QCOMPARE(bytes.size(), 1 + lengthBytes + length);
            QVERIFY(SecsCodec::decode(bytes) == item);
        }
    }

    void decodesLengthsWrittenWithMoreBytesThanNeeded()
    {
        // <U1 7> with a three-byte length.
        const SecsItem item = SecsCodec::decode(Bytes{0xA7, 0x00, 0x00, 0x01, 0x07});
        QCOMPARE(item.asUnsigned(), std::optional<std::uint64_t>(7));
    }

    void valueThatDoesNotFitItsFormatIsRefused()
    {
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, SecsCodec::encode(SecsItem::u1(256)));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, SecsCodec::encode(SecsItem::i2(40000)));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, SecsCodec::encode(SecsItem::binary(Bytes(0x1000000, 0))));
    }

    void truncatedItemNamesOffsetAndReason()
    {
        // <L [2] <U4 …> truncated after two of four data bytes.
        const auto e = decodeError(Bytes{0x01, 0x02, 0xB1, 0x04, 0x00, 0x01});
        QCOMPARE(e.offset(), std::size_t(2));
        QVERIFY2(e.reason().find("claims 4 byte(s) but only 2 remain") != std::string::npos, e.what());
    }

    void missingLengthBytesAreReported()
    {
        const auto e = decodeError(Bytes{0x43, 0x00});
        QCOMPARE(e.offset(), std::size_t(0));
        QVERIFY2(e.reason().find("3 length byte(s)") != std::string::npos, e.what());
    }

    void emptyInputIsReported()
    {
        const auto e = decodeError(Bytes{});
        QVERIFY2(e.reason().find("data ended") != std::string::npos, e.what());
    }

    void unknownFormatIsReported()
    {
        const auto e = decodeError(Bytes{0x01, 0x01, 0xFD, 0x00});
        QCOMPARE(e.offset(), std::size_t(2));
        QVERIFY2(e.reason().find("unknown format code 077") != std::string::npos, e.what());
    }

    void zeroLengthBytesIsReported()
    {
        const auto e = decodeError(Bytes{0x40});
        QVERIFY2(e.reason().find("zero length bytes") != std::string::npos, e.what());
    }

    void partialElementIsReported()
    {
        const auto e = decodeError(Bytes{0xB1, 0x03, 0x00, 0x00, 0x01});
        QVERIFY2(e.reason().find("not a whole number of 4-byte elements") != std::string::npos, e.what());
    }

    void trailingBytesAreReported()
    {
        const auto e = decodeError(Bytes{0xA5, 0x01, 0x07, 0x00});
        QCOMPARE(e.offset(), std::size_t(3));
        QVERIFY2(e.reason().find("1 byte(s) left") != std::string::npos, e.what());
    }

    void hostileListCountIsRefusedBeforeReserving()
    {
        // A list claiming 16 million items in five bytes: refused at once, nothing reserved for it.
        const auto e = decodeError(Bytes{0x03, 0xFF, 0xFF, 0xFF, 0x00});
        QCOMPARE(e.offset(), std::size_t(0));
        QVERIFY2(e.reason().find("list claims 16777215 items but only 1 byte(s) remain") != std::string::npos,
                 e.what());
    }

    void hostileArrayLengthIsRefused()
    {
        const auto e = decodeError(Bytes{0x23, 0xFF, 0xFF, 0xFF, 0x01});
        QVERIFY2(e.reason().find("claims 16777215 byte(s) but only 1 remain") != std::string::npos, e.what());
    }

    void nestingPastTheLimitIsRefused()
    {
        Bytes allowed;
        for (std::size_t i = 0; i < SecsCodec::kMaxNesting; ++i) {
            allowed.insert(allowed.end(), {0x01, 0x01});
        }
        allowed.back() = 0x00; // the innermost list is empty
        QCOMPARE(SecsCodec::decode(allowed).size(), std::size_t(1));

        Bytes tooDeep;
        for (std::size_t i = 0; i < SecsCodec::kMaxNesting + 1; ++i) {
            tooDeep.insert(tooDeep.end(), {0x01, 0x01});
        }
        tooDeep.back() = 0x00;
        const auto e = decodeError(tooDeep);
        QCOMPARE(e.offset(), 2 * SecsCodec::kMaxNesting);
        QVERIFY2(e.reason().find("nested deeper than 32") != std::string::npos, e.what());
    }

    void everyTruncationOfAValidItemFailsCleanly()
    {
        const Bytes whole = SecsCodec::encode(SecsItem::list(
            {SecsItem::u4(1), SecsItem::list({SecsItem::ascii("PPID"), SecsItem::f8(2.5)}), SecsItem::boolean(false)}));
        for (std::size_t cut = 0; cut < whole.size(); ++cut) {
            const Bytes part(whole.begin(), whole.begin() + static_cast<std::ptrdiff_t>(cut));
            QVERIFY_THROWS_EXCEPTION(SecsDecodeError, SecsCodec::decode(part));
        }
    }

    void smlShowsValuesAndEscapesText()
    {
        QCOMPARE(SecsItem::list({SecsItem::ascii("a\"b\n"), SecsItem::i4(-3), SecsItem::binary(0x0A)}).toSml(),
                 std::string("<L [3] <A \"a\\x22b\\x0A\"> <I4 -3> <B 0x0A>>"));
    }

    void singleValueReadsAcrossIntegerFormats()
    {
        QCOMPARE(SecsItem::i2(12).asUnsigned(), std::optional<std::uint64_t>(12));
        QCOMPARE(SecsItem::i2(-12).asUnsigned(), std::nullopt);
        QCOMPARE(SecsItem::u8(std::numeric_limits<std::uint64_t>::max()).asSigned(), std::nullopt);
        QCOMPARE(SecsItem::binary(0x05).asSigned(), std::optional<std::int64_t>(5));
        QCOMPARE(SecsItem::ascii("5").asUnsigned(), std::nullopt);
    }
};

QTEST_GUILESS_MAIN(SecsCodecTest)
#include "secs_codec_test.moc"
