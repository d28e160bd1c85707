#include <QTest>

#include <QFile>
#include <QTemporaryDir>

#include <cmath>
#include <string>

#include <waferscope/core/die_grid.h>
#include <waferscope/core/results/klarf_read_error.h>
#include <waferscope/core/results/klarf_reader.h>
#include <waferscope/core/results/klarf_wafer.h>
#include <waferscope/core/results/klarf_writer.h>

#include "klarf_fixtures.h"

using waferscope::core::DieGrid;
using waferscope::core::KlarfFile;
using waferscope::core::KlarfReadError;
using waferscope::core::KlarfReader;
using waferscope::core::KlarfWafer;
using waferscope::core::KlarfWriter;
using waferscope::core::PointMm;
using waferscope::core::toKlarfWafer;
using waferscope::core::WaferGeometry;
using waferscope::core::WaferResult;
using waferscope::testing::smallWafer;
using waferscope::testing::withCrops;

namespace {

const std::string kSamples = WAFERSCOPE_KLARF_SAMPLES_DIR;

std::string sampleText(const std::string &name)
{
    QFile file(QString::fromStdString(kSamples + "/" + name));
    if (!file.open(QIODevice::ReadOnly)) {
        throw std::runtime_error("cannot open the sample " + name);
    }
    return file.readAll().toStdString();
}

/// simple12.klarf with `from` replaced by `to` once; the sample must contain `from`.
std::string editedSimple(const std::string &from, const std::string &to)
{
    std::string text = sampleText("simple12.klarf");
    const std::size_t at = text.find(from);
    if (at == std::string::npos) {
        throw std::runtime_error("simple12.klarf has no '" + from + "'");
    }
    return text.replace(at, from.size(), to);
}

/// The error KlarfReader gives for `text`; an empty error when it reads the text.
KlarfReadError errorOf(const std::string &text)
{
    try {
        static_cast<void>(KlarfReader::parse(text, "probe.klarf"));
    } catch (const KlarfReadError &error) {
        return error;
    }
    return KlarfReadError("", -1, "read without error");
}

/// µm to the nanometre, as the writer rounds them.
double nm(double um)
{
    return std::round(um * 1000.0) / 1000.0;
}

} // namespace

class KlarfReaderTest : public QObject
{
    Q_OBJECT

private slots:
    void readsTheAmatKlarf11SampleWithoutImages()
    {
        const KlarfFile klarf = KlarfReader::read(kSamples + "/CPS3TwithoutReview.001");
        QCOMPARE(klarf.versionMajor, 1);
        QCOMPARE(klarf.versionMinor, 1);
        QCOMPARE(klarf.inspectionStationId, (std::vector<std::string>{"AMAT", "COMPLUS 3T", "HYCPS04"}));
        QCOMPARE(klarf.lotId, std::string("HJU008"));
        QCOMPARE(klarf.waferId, std::string("25"));
        QCOMPARE(klarf.slot, std::optional<int>(25));
        QVERIFY(!klarf.deviceId);
        QCOMPARE(klarf.setup, (std::optional<KlarfFile::Setup>({"03R3", "10-19-21 10:03:42"})));
        QCOMPARE(klarf.stepId, std::string("IMD2_SRO"));
        QCOMPARE(klarf.sampleSize, (std::optional<KlarfFile::SampleSize>({1, 200.0})));
        QCOMPARE(klarf.diePitch, (std::optional<KlarfFile::Pair>({2489.96, 2259.92})));
        QCOMPARE(klarf.dieOrigin, (std::optional<KlarfFile::Pair>({0.0, 0.0})));
        QCOMPARE(klarf.sampleCenterLocation, (std::optional<KlarfFile::Pair>({2394.8, 2090.32})));
        QCOMPARE(klarf.classes.size(), std::size_t{276});
        QCOMPARE(klarf.className(39), std::optional<std::string>("0.5_protrution"));
        QCOMPARE(klarf.className(1020), std::optional<std::string>("Group20"));
        QCOMPARE(klarf.sampleTestPlan.size(), std::size_t{4988});
        QCOMPARE(klarf.sampleTestPlan.front(), (KlarfFile::Die{-37, -8}));
        QCOMPARE(klarf.sampleTestPlan.back(), (KlarfFile::Die{38, 9}));
        QCOMPARE(klarf.defectColumns.size(), std::size_t{14});
        QVERIFY(klarf.hasColumn("ROUGHBINNUMBER"));
        QVERIFY(!klarf.hasColumn("CLUSTERNUMBER"));
        QCOMPARE(klarf.defects.size(), std::size_t{16});
        const KlarfFile::Defect &first = klarf.defects.front();
        QCOMPARE(first.id, 1);
        QCOMPARE(first.xRel, 552.64);
        QCOMPARE(first.yRel, 1043.08);
        QCOMPARE(first.xIndex, -35);
        QCOMPARE(first.yIndex, -9);
        QCOMPARE(first.xSize, 2.68);
        QCOMPARE(first.ySize, 3.64);
        QCOMPARE(first.defectArea, 9.7552);
        QCOMPARE(first.dSize, 4.5206407965);
        QCOMPARE(first.classNumber, 0);
        QCOMPARE(first.test, 1);
        QCOMPARE(first.imageCount, 0);
        QVERIFY(first.images.empty());
        QCOMPARE(first.otherColumns, (std::vector<std::pair<std::string, std::string>>{{"ROUGHBINNUMBER", "0"}}));
        QCOMPARE(first.line, 5287);
        const KlarfFile::Defect &last = klarf.defects.back();
        QCOMPARE(last.id, 16);
        QCOMPARE(last.xRel, 1753.12);
        QCOMPARE(last.xIndex, 32);
        QCOMPARE(last.yIndex, -9);
        QCOMPARE(last.defectArea, 68.7232);
        QCOMPARE(klarf.otherRecords.back().keyword, std::string("WaferStatus"));
        QCOMPARE(klarf.otherRecords.front().keyword, std::string("InspectionTest"));
    }

    void readsTheCrlfKlarf12SampleWithItsQuirks()
    {
        const KlarfFile klarf = KlarfReader::read(kSamples + "/simple12.klarf");
        QCOMPARE(klarf.versionMinor, 2);
        QCOMPARE(klarf.fileTimestamp, std::string("07-07-77 0:17:07"));
        QCOMPARE(klarf.deviceId, std::optional<std::string>("aDevice"));
        QCOMPARE(klarf.setup, (std::optional<KlarfFile::Setup>({"", "07-07-75 07:07:07"})));
        QCOMPARE(klarf.orientationMarkType, std::string("FLAT"));
        QCOMPARE(klarf.slot, std::optional<int>(1));
        QCOMPARE(klarf.diePitch, (std::optional<KlarfFile::Pair>({150000.0, 150000.0})));
        QCOMPARE(klarf.classes, (std::vector<KlarfFile::ClassEntry>{{-1, "Unclassified"}, {10, "Blork"}}));
        QCOMPARE(klarf.sampleTestPlan, (std::vector<KlarfFile::Die>{{0, 0}}));
        QCOMPARE(klarf.defectColumns.size(), std::size_t{17});
        QCOMPARE(klarf.defects.size(), std::size_t{1});
        const KlarfFile::Defect &d = klarf.defects[0];
        QCOMPARE(d.id, 1);
        QCOMPARE(d.xRel, 3500.123);
        QCOMPARE(d.yRel, 75000.123);
        QCOMPARE(d.xSize, 1.111);
        QCOMPARE(d.ySize, 1.444);
        QCOMPARE(d.defectArea, 25.123);
        QCOMPARE(d.dSize, 5.0);
        QCOMPARE(d.classNumber, 10);
        QCOMPARE(d.test, 1);
        QCOMPARE(d.imageCount, 0);
        QVERIFY(d.images.empty());
        QCOMPARE(d.otherColumns.size(), std::size_t{4}); // CLUSTERNUMBER … REVIEWSAMPLE
        QCOMPARE(d.line, 29);
    }

    void theSamplesWafersAreDrawnOnTheirOwnDies()
    {
        // The AMAT file: 4988 dies of 2.49 × 2.26 mm on a 200 mm wafer, every defect on one of them.
        const KlarfWafer amat = toKlarfWafer(KlarfReader::read(kSamples + "/CPS3TwithoutReview.001"), "amat");
        QCOMPARE(amat.grid.dieCount(), std::size_t{4988});
        QCOMPARE(amat.defects.size(), std::size_t{16});
        QCOMPARE(amat.classNames.front(), std::string("Undefined"));
        // Defect 1 on die (−35, −9): 2394.8 µm right of that die's lattice corner lies the centre.
        const auto &first = amat.defects.front();
        const PointMm corner = amat.grid.dieOrigin(first.die);
        QVERIFY(std::abs(corner.x - (-35 * 2.48996 - 2.3948)) < 1e-9);
        QVERIFY(std::abs(corner.y - (-9 * 2.25992 - 2.09032)) < 1e-9);
        QVERIFY(std::abs(first.xRelUm - 552.64) < 1e-6);
        for (const auto &d : amat.defects) {
            const PointMm at = amat.grid.dieOrigin(d.die);
            // Every defect lies on the wafer.
            QVERIFY(std::hypot(at.x + d.xRelUm / 1000.0, at.y + d.yRelUm / 1000.0) < 100.0);
        }
        // The reader's own file: one 150 mm "die" covering a 150 mm wafer.
        const KlarfWafer whole = toKlarfWafer(KlarfReader::read(kSamples + "/simple12.klarf"), "simple12");
        QCOMPARE(whole.grid.dieCount(), std::size_t{1});
        QCOMPARE(whole.grid.geometry().diameterMm, 150.0);
        QCOMPARE(whole.classNames, std::vector<std::string>{"Blork"});
    }

    void rejectsTheBadSampleNamingLine29()
    {
        try {
            static_cast<void>(KlarfReader::read(kSamples + "/bad12DefectList.klarf"));
            QFAIL("the bad sample was read");
        } catch (const KlarfReadError &error) {
            QCOMPARE(error.line(), 29);
            QCOMPARE(error.reason(), std::string("the defect row has 18 values; DefectRecordSpec's 17 columns take 17"));
            QVERIFY(std::string(error.what()).find("bad12DefectList.klarf, line 29: ") != std::string::npos);
        }
    }

    void rejectsMalformedFilesNamingTheLineAndTheReason_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("line");
        QTest::addColumn<QString>("reason");
        const auto row = [](const char *name, const std::string &text, int line, const char *reason) {
            QTest::newRow(name) << QString::fromStdString(text) << line << QString::fromUtf8(reason);
        };
        const std::string simple = sampleText("simple12.klarf");
        row("file cut short in the defect list", simple.substr(0, simple.find("3500.123")), 28,
            "the record DefectList that begins here is not ended with ';' (the file is cut short)");
        row("record without its ';'", editedSimple("Slot 1;", "Slot 1"), 16, "Slot needs 1 value, not 4");
        row("row with a value too few", editedSimple("10 1 0 0 0 0 0 0 ;", "10 1 0 0 0 0 0 ;"), 29,
            "the defect row that begins on line 29 ends after 16 of the 17 columns DefectRecordSpec declares");
        row("row with a value too many", editedSimple("10 1 0 0 0 0 0 0 ;", "10 1 0 0 0 0 0 0 0 ;"), 29,
            "the defect row has 18 values; DefectRecordSpec's 17 columns take 17");
        row("image list longer than the row", editedSimple("10 1 0 0 0 0 0 0 ;", "10 1 0 0 0 0 1 2 1 0 ;"), 29,
            "the IMAGELIST of the defect row that begins on line 29 ends before its 2 (number, type) pairs");
        row("value that is not a number", editedSimple("3500.123", "35OO.123"), 29, "XREL: '35OO.123' is not a number");
        row("index that is not whole", editedSimple(" 1 3500.123 75000.123 0 0", " 1 3500.123 75000.123 0.5 0"), 29,
            "XINDEX: '0.5' is not a whole number");
        row("die pitch that is not a number", editedSimple("DiePitch 1.5000000000e+005", "DiePitch wide"), 13,
            "DiePitch: 'wide' is not a number");
        row("class list shorter than its count", editedSimple("ClassLookup 2", "ClassLookup 3"), 20,
            "ClassLookup 3 ends after 2 entries");
        row("declared column count that differs from the names", editedSimple("DefectRecordSpec 17", "DefectRecordSpec 16"),
            27, "DefectRecordSpec 16 has more entries than its count");
        row("missing EndOfFile", editedSimple("EndOfFile;\r\n", ""), 35, "the file ends without \"EndOfFile;\"");
        row("text after EndOfFile", simple + "LotID \"late\";\r\n", 37, "the record LotID follows \"EndOfFile;\"");
        row("unclosed quote", editedSimple("LotID \"aLot\";", "LotID \"aLot;"), 6, "a quoted string is not closed on its line");
        row("no FileVersion first", editedSimple("FileVersion 1 2;\r\n", ""), 1, "the file begins with FileTimestamp, not FileVersion");
        row("second wafer", editedSimple("Slot 1;", "Slot 1;\r\nWaferID \"other\";"), 17,
            "a second WaferID; this reader reads files of one wafer");
    }

    void rejectsMalformedFilesNamingTheLineAndTheReason()
    {
        QFETCH(QString, text);
        QFETCH(int, line);
        QFETCH(QString, reason);
        const KlarfReadError error = errorOf(text.toStdString());
        QCOMPARE(QString::fromStdString(error.reason()), reason);
        QCOMPARE(error.line(), line);
        QCOMPARE(error.file().string(), std::string("probe.klarf"));
    }

    void aFileThatCannotBeOpenedIsNamed()
    {
        try {
            static_cast<void>(KlarfReader::read("/nonexistent/x.klarf"));
            QFAIL("a missing file was read");
        } catch (const KlarfReadError &error) {
            QCOMPARE(error.line(), 0);
            QCOMPARE(std::string(error.what()), std::string("cannot read KLARF /nonexistent/x.klarf: the file cannot be opened"));
        }
    }

    void whatTheWriterWritesReadsBackToTheSameDefects()
    {
        QTemporaryDir folder;
        const WaferResult result = withCrops(smallWafer(), folder.filePath(QStringLiteral("crops")));
        const std::string file = folder.filePath(QStringLiteral("LOT4711-07.klarf")).toStdString();
        KlarfWriter::write(result, file);
        const KlarfFile klarf = KlarfReader::read(file);
        QCOMPARE(klarf.versionMinor, 2);
        QCOMPARE(klarf.lotId, result.lotId);
        QCOMPARE(klarf.waferId, std::string(result.waferId.text()));
        QCOMPARE(klarf.slot, std::optional<int>(7));
        QCOMPARE(klarf.deviceId, std::optional<std::string>("DEV-A"));
        QCOMPARE(klarf.setup->id, result.setupId);
        QCOMPARE(klarf.tiffSpec, std::optional<std::string>("6.0 G R"));
        QCOMPARE(klarf.tiffFileName, std::optional<std::string>("LOT4711-07.tif"));
        QCOMPARE(klarf.diePitch, (std::optional<KlarfFile::Pair>({50000.0, 50000.0})));
        QCOMPARE(klarf.classes.size(), result.classes.size());
        for (std::size_t i = 0; i < result.classes.size(); ++i) {
            QCOMPARE(klarf.classes[i].number, result.classes[i].number);
            QCOMPARE(klarf.classes[i].name, result.classes[i].name);
        }
        const DieGrid grid(result.geometry);
        QCOMPARE(klarf.sampleTestPlan.size(), result.sampledDies.size());
        QCOMPARE(klarf.defects.size(), result.defects.size());
        int page = 0;
        for (std::size_t i = 0; i < result.defects.size(); ++i) {
            const WaferResult::Defect &wrote = result.defects[i];
            const KlarfFile::Defect &read = klarf.defects[i];
            QCOMPARE(read.id, wrote.id);
            QCOMPARE(read.xIndex, wrote.die.column);
            QCOMPARE(read.yIndex, grid.rowCount() - 1 - wrote.die.row);
            QCOMPARE(read.xRel, nm(wrote.xRelUm));
            QCOMPARE(read.yRel, nm(wrote.yRelUm));
            QCOMPARE(read.xSize, nm(wrote.xSizeUm));
            QCOMPARE(read.ySize, nm(wrote.ySizeUm));
            QCOMPARE(read.defectArea, nm(wrote.areaUm2));
            QCOMPARE(read.classNumber, wrote.classNumber);
            QCOMPARE(read.imageCount, static_cast<int>(wrote.images.size()));
            QCOMPARE(read.images.size(), wrote.images.size());
            for (const KlarfFile::Image &image : read.images) {
                QCOMPARE(image.number, ++page);
                QCOMPARE(image.type, 0);
            }
        }
    }
};

QTEST_GUILESS_MAIN(KlarfReaderTest)
#include "klarf_reader_test.moc"
