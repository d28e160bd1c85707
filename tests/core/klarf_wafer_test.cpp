#include <QTest>

#include <QTemporaryDir>

#include <cmath>
#include <string>
#include <vector>

#include <waferscope/core/die_grid.h>
#include <waferscope/core/results/klarf_read_error.h>
#include <waferscope/core/results/klarf_reader.h>
#include <waferscope/core/results/klarf_wafer.h>
#include <waferscope/core/results/klarf_writer.h>

#include "klarf_fixtures.h"

using waferscope::core::DefectClass;
using waferscope::core::DieGrid;
using waferscope::core::DieIndex;
using waferscope::core::KlarfReadError;
using waferscope::core::KlarfReader;
using waferscope::core::KlarfWafer;
using waferscope::core::KlarfWriter;
using waferscope::core::PointMm;
using waferscope::core::WaferResult;
using waferscope::core::toKlarfWafer;
using waferscope::testing::smallWafer;
using waferscope::testing::withoutImages;

namespace {

/// Another tool's KLARF 1.1 in the shape real tools write (CRLF, a notch, a lattice whose die (0, 0)
/// does not start at the wafer's centre, a die origin inside the die): 200 mm, dies of 2 × 3 mm, die
/// (0, 0)'s lower-left corner 1.5 mm left of and 0.5 mm below the centre.
std::string foreignKlarf(const std::string &centre = "SampleCenterLocation 1500.0 500.0;\r\n")
{
    return "FileVersion 1 1;\r\n"
           "FileTimestamp 10-19-21 10:06:32;\r\n"
           "InspectionStationID \"VENDOR\" \"MODEL 3\" \"TOOL7\";\r\n"
           "SampleType WAFER;\r\n"
           "ResultTimestamp 10-19-21 10:04:09;\r\n"
           "LotID \"AB 12\";\r\n"
           "SampleSize 1 200;\r\n"
           "SetupID \"S1\" 10-19-21 10:03:42;\r\n"
           "StepID \"CMP\";\r\n"
           "SampleOrientationMarkType NOTCH;\r\n"
           "OrientationMarkLocation DOWN;\r\n"
           "DiePitch 2.0e+03 3.0e+03;\r\n"
           "DieOrigin 100.0 200.0;\r\n"
           "WaferID \"W#25\";\r\n"
           "Slot 25;\r\n" +
           centre +
           "ClassLookup 3\r\n 0 \"Undefined\"\r\n 3 \"Scratch\"\r\n 7 \"0.3_open\";\r\n"
           "InspectionTest 1;\r\n"
           "SampleTestPlan 4\r\n -1 0\r\n 0 0\r\n 1 0\r\n 0 -1;\r\n"
           "AreaPerTest 2.4e+07;\r\n"
           "DefectRecordSpec 13 DEFECTID XREL YREL XINDEX YINDEX XSIZE YSIZE DEFECTAREA DSIZE CLASSNUMBER TEST "
           "IMAGECOUNT IMAGELIST;\r\n"
           "DefectList\r\n"
           " 1 400.0 1000.0 0 0 2.5 3.5 8.75 3.0 3 1 0 0\r\n"
           " 2 1900.0 100.0 -1 0 1.0 1.0 1.0 1.0 7 1 0 0\r\n"
           " 3 10.0 20.0 5 5 1.0 1.0 1.0 1.0 9 1 0 0;\r\n"
           "SummarySpec 5 TESTNO NDEFECT DEFDENSITY NDIE NDEFDIE;\r\n"
           "SummaryList\r\n 1 3 0.1 4 3;\r\n"
           "EndOfFile;\r\n";
}

} // namespace

class KlarfWaferTest : public QObject
{
    Q_OBJECT

private slots:
    void anotherToolsWaferIsPlacedByItsOwnLatticeAndNamesItsClasses()
    {
        const KlarfWafer wafer = toKlarfWafer(KlarfReader::parse(foreignKlarf(), "tool7.001"), "tool7.001");
        QCOMPARE(wafer.lotId, std::string("AB 12"));
        QCOMPARE(wafer.waferId, std::string("W#25"));
        QCOMPARE(wafer.recordWaferId.text(), std::string_view("KLARF")); // '#' is not ours to name files with
        QCOMPARE(wafer.slot, std::optional<int>(25));
        QCOMPARE(wafer.station, std::string("VENDOR MODEL 3 TOOL7"));
        QCOMPARE(wafer.notch, std::string("DOWN"));
        QCOMPARE(wafer.grid.geometry().diameterMm, 200.0);
        QCOMPARE(wafer.grid.geometry().pitchXMm, 2.0);
        QCOMPARE(wafer.grid.geometry().pitchYMm, 3.0);
        // The plan's four dies and the die (5, 5) that defect 3 names.
        QCOMPARE(wafer.grid.dieCount(), std::size_t{5});
        QCOMPARE(wafer.defects.size(), std::size_t{3});

        // Defect 1: die (0, 0), whose lower-left corner is at (−1.5, −0.5) mm; 100 + 400 µm right of
        // it and 200 + 1000 µm up, so at (−1.0, 0.7) mm on the wafer.
        const auto &first = wafer.defects[0];
        QCOMPARE(first.id, std::uint64_t{1});
        const PointMm corner = wafer.grid.dieOrigin(first.die);
        QCOMPARE(corner, (PointMm{-1.5, -0.5}));
        QCOMPARE(first.xRelUm, 500.0);
        QCOMPARE(first.yRelUm, 1200.0);
        QCOMPARE(wafer.grid.dieAt({-1.0, 0.7}), std::optional<DieIndex>(first.die));
        QCOMPARE(first.xSizeUm, 2.5);
        QCOMPARE(first.ySizeUm, 3.5);
        QCOMPARE(first.areaUm2, 8.75);
        QCOMPARE(first.defectClass, DefectClass::Scratch); // "Scratch" is one of ours
        QCOMPARE(wafer.classNames[0], std::string("Scratch"));
        // Defect 2: die (−1, 0), left of die (0, 0); its class is the tool's own.
        QCOMPARE(wafer.grid.dieOrigin(wafer.defects[1].die), (PointMm{-3.5, -0.5}));
        QCOMPARE(wafer.defects[1].defectClass, DefectClass::Unknown);
        QCOMPARE(wafer.classNames[1], std::string("0.3_open"));
        // Defect 3: a class ClassLookup does not name.
        QCOMPARE(wafer.classNames[2], std::string("class 9"));
        QCOMPARE(wafer.grid.dieOrigin(wafer.defects[2].die), (PointMm{-1.5 + 10.0, -0.5 + 15.0}));
        for (const auto &defect : wafer.defects) {
            QCOMPARE(defect.waferId.text(), std::string_view("KLARF"));
        }
    }

    void aFileThatDoesNotSayWhereItsDiesAreIsRefusedNamingTheRecord()
    {
        const auto file = KlarfReader::parse(foreignKlarf(""), "tool7.001");
        try {
            static_cast<void>(toKlarfWafer(file, "tool7.001"));
        } catch (const KlarfReadError &e) {
            QCOMPARE(std::string(e.what()),
                     std::string("cannot read KLARF tool7.001, line 29: no SampleCenterLocation record: the wafer cannot be drawn"));
            return;
        }
        QFAIL("a KLARF without SampleCenterLocation was drawn");
    }

    void whatWeWriteReadsBackOntoTheSameDiesAndPlaces()
    {
        QTemporaryDir folder;
        const WaferResult result = withoutImages(smallWafer());
        const std::string path = folder.filePath(QStringLiteral("LOT4711-07.klarf")).toStdString();
        KlarfWriter::write(result, path);
        const KlarfWafer wafer = toKlarfWafer(KlarfReader::read(path), path);
        const DieGrid ours(result.geometry);
        QCOMPARE(wafer.grid.dieCount(), result.sampledDies.size());
        QCOMPARE(wafer.recordWaferId, result.waferId);
        QCOMPARE(wafer.defects.size(), result.defects.size());
        for (std::size_t i = 0; i < result.defects.size(); ++i) {
            const WaferResult::Defect &wrote = result.defects[i];
            const auto &read = wafer.defects[i];
            QCOMPARE(read.id, static_cast<std::uint64_t>(wrote.id));
            QCOMPARE(read.die, wrote.die);
            QCOMPARE(wafer.grid.dieOrigin(read.die), ours.dieOrigin(wrote.die));
            // KLARF keeps lengths to the nanometre.
            QVERIFY(std::abs(read.xRelUm - wrote.xRelUm) < 1e-3);
            QVERIFY(std::abs(read.yRelUm - wrote.yRelUm) < 1e-3);
            QVERIFY(std::abs(read.areaUm2 - wrote.areaUm2) < 1e-3);
            QCOMPARE(wafer.classNames[i], result.classes[static_cast<std::size_t>(wrote.classNumber - 1)].name);
        }
    }
};

QTEST_GUILESS_MAIN(KlarfWaferTest)
#include "klarf_wafer_test.moc"
