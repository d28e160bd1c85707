#include <QTest>

#include <waferscope/testing/unprivileged.h>

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>

#include <array>
#include <chrono>
#include <clocale>
#include <cstdio>
#include <csignal>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <waferscope/core/die_grid.h>
#include <waferscope/core/results/klarf_write_error.h>
#include <waferscope/core/results/klarf_writer.h>
#include <waferscope/core/validation_error.h>

#include "klarf_fixtures.h"

using waferscope::core::DieGrid;
using waferscope::core::DieIndex;
using waferscope::core::KlarfWriteError;
using waferscope::core::KlarfWriter;
using waferscope::core::PointMm;
using waferscope::core::ValidationError;
using waferscope::core::WaferGeometry;
using waferscope::core::WaferId;
using waferscope::core::WaferResult;
using waferscope::testing::entriesOf;
using waferscope::testing::smallWafer;
using waferscope::testing::withCrops;
using waferscope::testing::withoutImages;

namespace {

/// Checked by hand: core die (column, row) is KLARF (column, 1 − row), since KLARF counts rows up
/// from the bottom; die (0,0)'s lower-left corner is the wafer's (−50, −50) mm, so the centre lies
/// at (50000, 50000) µm from it; 4 dies of 50 × 50 mm are 1e10 µm² and 100 cm², so 3 defects are
/// 0.03 per cm², on 2 dies. The three images are pages 1, 2 and 3 of the TIFF.
constexpr const char *kSmallWaferKlarf = R"(FileVersion 1 2;
FileTimestamp 06-17-24 14:03:11;
TiffSpec 6.0 G R;
InspectionStationID "Waferscope" "SIM" "TOOL-01";
SampleType WAFER;
ResultTimestamp 06-17-24 14:00:00;
LotID "LOT4711";
SampleSize 1 200;
DeviceID "DEV-A";
SetupID "quick-200mm" 05-02-24 09:30:00;
StepID "M1-CMP";
SampleOrientationMarkType NOTCH;
OrientationMarkLocation DOWN;
DiePitch 5.000000e+04 5.000000e+04;
DieOrigin 0.000000e+00 0.000000e+00;
WaferID "LOT4711-07";
Slot 7;
TiffFileName LOT4711-07.tif;
SampleCenterLocation 5.000000e+04 5.000000e+04;
ClassLookup 3
 1 "particle"
 2 "scratch"
 3 "pattern";
InspectionTest 1;
SampleTestPlan 4
 0 1
 1 1
 1 0
 0 0;
AreaPerTest 1.000000e+10;
DefectRecordSpec 17 DEFECTID XREL YREL XINDEX YINDEX XSIZE YSIZE DEFECTAREA DSIZE CLASSNUMBER TEST CLUSTERNUMBER ROUGHBINNUMBER FINEBINNUMBER REVIEWSAMPLE IMAGECOUNT IMAGELIST;
DefectList
 1 1250.500 30000.000 0 1 36.000 24.000 700.000 36.000 1 1 0 1 0 0 1 1 1 0
 2 49000.000 100.250 0 1 4000.000 12.000 30000.000 4000.000 2 1 0 2 0 0 0 0
 3 25000.000 25000.000 1 0 8.000 8.000 50.270 8.000 3 1 0 3 0 0 2 2 2 0 3 0;
SummarySpec 5 TESTNO NDEFECT DEFDENSITY NDIE NDEFDIE;
SummaryList
 1 3 3.000000e-02 4 2;
EndOfFile;
)";

/// A full 300 mm wafer with `count` defects spread over its dies, drawn from a fixed seed.
WaferResult fullWafer(int count)
{
    WaferResult result = smallWafer();
    result.geometry = WaferGeometry{};
    const DieGrid grid(result.geometry);
    result.sampledDies.assign(grid.scanOrder().begin(), grid.scanOrder().end());
    std::mt19937 random(4711);
    std::uniform_int_distribution<std::size_t> die(0, grid.dieCount() - 1);
    std::uniform_real_distribution<double> x(0.0, 10000.0);
    std::uniform_real_distribution<double> y(0.0, 12000.0);
    std::uniform_int_distribution<int> images(0, 3);
    result.defects.clear();
    for (int id = 1; id <= count; ++id) {
        WaferResult::Defect defect{id, result.sampledDies[die(random)], x(random), y(random), 12.0, 10.0, 94.2, 1 + id % 3, {}};
        for (int i = images(random); i > 0; --i) {
            defect.images.push_back("d" + std::to_string(id) + "_" + std::to_string(i) + ".png");
        }
        result.defects.push_back(defect);
    }
    return result;
}

/// KLARF read back independently of the writer: records end with ';', tokens are separated by
/// white space, quoted strings are one token.
struct ParsedKlarf {
    std::vector<std::vector<std::string>> records;

    [[nodiscard]] const std::vector<std::string> &record(const std::string &keyword) const
    {
        for (const auto &r : records) {
            if (!r.empty() && r.front() == keyword) {
                return r;
            }
        }
        throw std::runtime_error("no " + keyword + " record");
    }
};

ParsedKlarf parseKlarf(const std::string &text)
{
    ParsedKlarf parsed;
    std::vector<std::string> record;
    std::string token;
    bool inQuotes = false;
    const auto endToken = [&] {
        if (!token.empty()) {
            record.push_back(token);
            token.clear();
        }
    };
    for (const char c : text) {
        if (c == '"') {
            inQuotes = !inQuotes;
            token += c;
        } else if (inQuotes) {
            token += c;
        } else if (c == ';') {
            endToken();
            parsed.records.push_back(record);
            record.clear();
        } else if (std::isspace(static_cast<unsigned char>(c))) {
            endToken();
        } else {
            token += c;
        }
    }
    endToken();
    if (!record.empty()) {
        throw std::runtime_error("text after the last ';'");
    }
    return parsed;
}

/// The DefectList's records, each as its columns: 16 values up to IMAGECOUNT, then IMAGELIST: a
/// count and that many (image number, image type) pairs.
std::vector<std::vector<std::string>> defectRecords(const ParsedKlarf &klarf)
{
    const std::vector<std::string> &spec = klarf.record("DefectRecordSpec");
    if (spec.size() != 19 || spec[1] != "17" || spec[17] != "IMAGECOUNT" || spec[18] != "IMAGELIST") {
        throw std::runtime_error("unexpected DefectRecordSpec");
    }
    const std::vector<std::string> &list = klarf.record("DefectList");
    std::vector<std::vector<std::string>> defects;
    std::size_t at = 1;
    while (at < list.size()) {
        if (at + 16 > list.size()) {
            throw std::runtime_error("a defect record is cut short");
        }
        std::vector<std::string> columns(list.begin() + static_cast<std::ptrdiff_t>(at),
                                         list.begin() + static_cast<std::ptrdiff_t>(at + 16));
        at += 16;
        if (at >= list.size()) {
            throw std::runtime_error("a defect record has no IMAGELIST");
        }
        const std::size_t values = 1 + 2 * std::stoul(list[at]);
        if (at + values > list.size()) {
            throw std::runtime_error("an image list is cut short");
        }
        columns.insert(columns.end(), list.begin() + static_cast<std::ptrdiff_t>(at),
                       list.begin() + static_cast<std::ptrdiff_t>(at + values));
        at += values;
        defects.push_back(columns);
    }
    return defects;
}

std::string readAll(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return "<unreadable>";
    }
    return file.readAll().toStdString();
}

void writeText(const QString &path, const std::string &text)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(file.write(text.data(), static_cast<qint64>(text.size())), static_cast<qint64>(text.size()));
}

/// Caps the size of files this process writes, so a write fails partway, as on a full disk. Root
/// is bound by this limit too, unlike by folder permissions.
class FileSizeLimit
{
public:
    explicit FileSizeLimit(rlim_t bytes)
    {
        m_previousHandler = std::signal(SIGXFSZ, SIG_IGN); // else exceeding the limit kills the process
        getrlimit(RLIMIT_FSIZE, &m_previous);
        rlimit limited = m_previous;
        limited.rlim_cur = bytes;
        m_isActive = setrlimit(RLIMIT_FSIZE, &limited) == 0;
    }
    ~FileSizeLimit()
    {
        setrlimit(RLIMIT_FSIZE, &m_previous);
        std::signal(SIGXFSZ, m_previousHandler);
    }
    FileSizeLimit(const FileSizeLimit &) = delete;
    FileSizeLimit &operator=(const FileSizeLimit &) = delete;

    [[nodiscard]] bool isActive() const noexcept { return m_isActive; }

private:
    rlimit m_previous{};
    void (*m_previousHandler)(int) = nullptr;
    bool m_isActive = false;
};


/// Switches the process's number format to German (decimal comma) for one scope, as Qt does from
/// the environment when an operator's desktop is set to German. The locale is built into a
/// temporary folder, so the test does not depend on the locales a machine has installed.
class GermanNumbers
{
public:
    GermanNumbers()
    {
        QProcess localedef;
        localedef.start(QStringLiteral("localedef"), {QStringLiteral("-i"), QStringLiteral("de_DE"), QStringLiteral("-f"),
                                                      QStringLiteral("UTF-8"), m_folder.filePath(QStringLiteral("de_DE.UTF-8"))});
        if (!localedef.waitForFinished(120000)) {
            return;
        }
        m_previous = std::setlocale(LC_NUMERIC, nullptr);
        qputenv("LOCPATH", m_folder.path().toLocal8Bit());
        m_isActive = std::setlocale(LC_NUMERIC, "de_DE.UTF-8") != nullptr;
    }
    ~GermanNumbers()
    {
        if (!m_previous.empty()) {
            std::setlocale(LC_NUMERIC, m_previous.c_str());
        }
        qunsetenv("LOCPATH");
    }
    GermanNumbers(const GermanNumbers &) = delete;
    GermanNumbers &operator=(const GermanNumbers &) = delete;

    [[nodiscard]] bool isActive() const noexcept { return m_isActive; }

private:
    QTemporaryDir m_folder;
    std::string m_previous;
    bool m_isActive = false;
};
} // namespace

class KlarfWriterTest : public QObject
{
    Q_OBJECT

private slots:
    void smallWaferMatchesTheHandCheckedText()
    {
        QCOMPARE(KlarfWriter::format(smallWafer(), "LOT4711-07.tif"), std::string(kSmallWaferKlarf));
    }

    void textIsTheSameWhateverTheProcessLocale()
    {
        const GermanNumbers german;
        if (!german.isActive()) {
            QSKIP("localedef could not build a de_DE locale on this machine");
        }
        std::array<char, 16> probe{};
        std::snprintf(probe.data(), probe.size(), "%.1f", 1.5);
        QCOMPARE(std::string(probe.data()), std::string("1,5")); // the decimal comma is really in force
        QCOMPARE(KlarfWriter::format(smallWafer(), "LOT4711-07.tif"), std::string(kSmallWaferKlarf));
    }

    void defectListHasOneRecordPerDefectAndReadsBack()
    {
        const WaferResult result = fullWafer(250);
        const ParsedKlarf klarf = parseKlarf(KlarfWriter::format(result, "W.tif"));
        const std::vector<std::vector<std::string>> defects = defectRecords(klarf);
        std::size_t page = 0;
        QCOMPARE(defects.size(), result.defects.size());
        for (std::size_t i = 0; i < defects.size(); ++i) {
            QCOMPARE(defects[i][0], std::to_string(result.defects[i].id));
            QCOMPARE(std::stod(defects[i][1]), std::round(result.defects[i].xRelUm * 1000.0) / 1000.0);
            QCOMPARE(defects[i][9], std::to_string(result.defects[i].classNumber));
            const std::size_t images = result.defects[i].images.size();
            QCOMPARE(defects[i].size(), 17 + 2 * images);
            QCOMPARE(std::stoul(defects[i][15]), images);
            QCOMPARE(std::stoul(defects[i][16]), images);
            for (std::size_t k = 0; k < images; ++k) {
                QCOMPARE(std::stoul(defects[i][17 + 2 * k]), ++page); // pages count over the wafer
                QCOMPARE(defects[i][18 + 2 * k], std::string("0"));
            }
        }
    }

    void everyRecordIsClosedAndTheFileEndsWithEndOfFile()
    {
        const ParsedKlarf klarf = parseKlarf(KlarfWriter::format(fullWafer(20), "W.tif"));
        std::vector<std::string> keywords;
        for (const auto &record : klarf.records) {
            keywords.push_back(record.front());
        }
        QCOMPARE(keywords, (std::vector<std::string>{
                               "FileVersion", "FileTimestamp", "TiffSpec", "InspectionStationID", "SampleType",
                               "ResultTimestamp", "LotID", "SampleSize", "DeviceID", "SetupID", "StepID",
                               "SampleOrientationMarkType", "OrientationMarkLocation", "DiePitch", "DieOrigin", "WaferID",
                               "Slot", "TiffFileName", "SampleCenterLocation", "ClassLookup", "InspectionTest", "SampleTestPlan", "AreaPerTest",
                               "DefectRecordSpec", "DefectList", "SummarySpec", "SummaryList", "EndOfFile"}));
        QCOMPARE(klarf.record("SampleTestPlan")[1], std::to_string(DieGrid(WaferGeometry{}).dieCount()));
        QCOMPARE(klarf.record("SampleTestPlan").size(), 2 + 2 * DieGrid(WaferGeometry{}).dieCount());
    }

    void summaryCountsDefectsDiesAndDensityPerSquareCentimetre()
    {
        WaferResult result = fullWafer(0);
        result.sampledDies.resize(10); // 10 dies of 1.0 × 1.2 cm: 12 cm²
        result.defects = {
            {1, result.sampledDies[0], 10.0, 10.0, 5.0, 5.0, 20.0, 1, {}},
            {2, result.sampledDies[0], 20.0, 10.0, 5.0, 5.0, 20.0, 1, {}},
            {3, result.sampledDies[4], 30.0, 10.0, 5.0, 5.0, 20.0, 2, {}},
        };
        const std::vector<std::string> summary = parseKlarf(KlarfWriter::format(result)).record("SummaryList");
        QCOMPARE(summary, (std::vector<std::string>{"SummaryList", "1", "3", "2.500000e-01", "10", "2"}));
    }

    void waferWithoutDefectsHasAnEmptyDefectList()
    {
        WaferResult result = smallWafer();
        result.defects.clear();
        const std::string text = KlarfWriter::format(result);
        QVERIFY(text.find("\nDefectList;\n") != std::string::npos);
        QCOMPARE(parseKlarf(text).record("SummaryList"),
                 (std::vector<std::string>{"SummaryList", "1", "0", "0.000000e+00", "4", "0"}));
    }

    void sampleCenterLocationAgreesWithTheDieGridForEveryDie()
    {
        // From each die's KLARF indices and its lower-left corner on the wafer, the wafer centre
        // must come out the same, and equal SampleCenterLocation.
        const WaferResult result = fullWafer(0);
        const DieGrid grid(result.geometry);
        const ParsedKlarf klarf = parseKlarf(KlarfWriter::format(result));
        const std::vector<std::string> &centre = klarf.record("SampleCenterLocation");
        const double centreX = std::stod(centre[1]);
        const double centreY = std::stod(centre[2]);
        const std::vector<std::string> &plan = klarf.record("SampleTestPlan");
        for (std::size_t i = 0; i < result.sampledDies.size(); ++i) {
            const int xIndex = std::stoi(plan[2 + 2 * i]);
            const int yIndex = std::stoi(plan[3 + 2 * i]);
            const PointMm corner = grid.dieOrigin(result.sampledDies[i]);
            QCOMPARE(xIndex * 10000.0 - corner.x * 1000.0, centreX);
            QCOMPARE(yIndex * 12000.0 - corner.y * 1000.0, centreY);
        }
    }

    void badInputNamesEveryFieldAndWritesNothing()
    {
        WaferResult result = smallWafer();
        result.lotId = "LOT \"47\"";
        result.slot = 0;
        result.sampledDies.push_back({5, 5});
        result.defects[1].classNumber = 9;
        result.defects[2].die = {1, 0};
        result.defects[2].id = 1;
        result.defects[0].xRelUm = 60000.0;
        result.defects[0].images = {""};
        QTemporaryDir folder;
        const QString target = folder.filePath(QStringLiteral("bad.klarf"));
        try {
            KlarfWriter::write(result, target.toStdString());
            QFAIL("bad input was written");
        } catch (const ValidationError &error) {
            QCOMPARE(error.subject(), std::string("KLARF for wafer LOT4711-07"));
            QCOMPARE(error.issues().size(), std::size_t{7});
            QVERIFY(!error.problemWith("lotId").empty());
            QCOMPARE(error.problemWith("slot"), std::string_view("0 is out of range (allowed 1…25)"));
            QCOMPARE(error.problemWith("sampledDies[4]"), std::string_view("(5,5) is not a die of this wafer"));
            QCOMPARE(error.problemWith("defects[1].classNumber"), std::string_view("9 is not in classes"));
            QCOMPARE(error.problemWith("defects[2].id"), std::string_view("1 is the id of an earlier defect"));
            QCOMPARE(error.problemWith("defects[0].xRelUm"), std::string_view("60000.000 is beyond the die (allowed 0…50000.000)"));
            QCOMPARE(error.problemWith("defects[0].images[0]"), std::string_view("is empty"));
        }
        QVERIFY(entriesOf(folder.path()).isEmpty());
    }

    void defectOnADieNotSampledIsRefused()
    {
        WaferResult result = smallWafer();
        result.sampledDies.pop_back();
        result.defects[0].die = {0, 1};
        QVERIFY_THROWS_EXCEPTION(ValidationError, static_cast<void>(KlarfWriter::format(result)));
    }

    void writeLeavesTheCompleteFileAndItsTiffAndNothingElse()
    {
        QTemporaryDir folder;
        const WaferResult result = withCrops(smallWafer(), folder.filePath(QStringLiteral("crops")));
        const QString target = folder.filePath(QStringLiteral("LOT4711-07.klarf"));
        KlarfWriter::write(result, target.toStdString());
        QCOMPARE(readAll(target), std::string(kSmallWaferKlarf));
        QCOMPARE(entriesOf(folder.path()), (QStringList{QStringLiteral("crops"), QStringLiteral("LOT4711-07.klarf"),
                                                        QStringLiteral("LOT4711-07.tif")}));
    }

    void waferWithoutImagesHasNoTiffRecordsAndNoTiff()
    {
        QTemporaryDir folder;
        const QString target = folder.filePath(QStringLiteral("LOT4711-07.klarf"));
        KlarfWriter::write(withoutImages(smallWafer()), target.toStdString());
        const std::string text = readAll(target);
        QVERIFY(text.find("Tiff") == std::string::npos);
        QVERIFY(text.find(" 3 25000.000 25000.000 1 0 8.000 8.000 50.270 8.000 3 1 0 3 0 0 0 0;\n") != std::string::npos);
        QCOMPARE(entriesOf(folder.path()), QStringList{QStringLiteral("LOT4711-07.klarf")});
    }

    void imagesWithoutATiffNameAreRefused()
    {
        try {
            static_cast<void>(KlarfWriter::format(smallWafer()));
            QFAIL("images were numbered without a TIFF");
        } catch (const ValidationError &error) {
            QCOMPARE(error.problemWith("tiffFileName"), std::string_view("is empty, but the defects have 3 images"));
        }
    }

    void rewriteReplacesTheWholeFile()
    {
        QTemporaryDir folder;
        const WaferResult result = withCrops(smallWafer(), folder.filePath(QStringLiteral("crops")));
        const QString target = folder.filePath(QStringLiteral("LOT4711-07.klarf"));
        writeText(target, std::string(20000, 'x'));
        KlarfWriter::write(result, target.toStdString());
        QCOMPARE(readAll(target), std::string(kSmallWaferKlarf));
        QCOMPARE(entriesOf(folder.path()).size(), 3);
    }

    void removeStrayTemporariesDeletesOnlyWhatAnInterruptedWriteLeaves()
    {
        QTemporaryDir folder;
        QVERIFY(QDir(folder.path()).mkpath(QStringLiteral("run-1")));
        const QString run = folder.filePath(QStringLiteral("run-1"));
        writeText(run + QStringLiteral("/W01.klarf"), "complete");
        writeText(run + QStringLiteral("/W02.klarf.aB3xY9"), "half"); // QSaveFile's fallback name
        writeText(folder.filePath(QStringLiteral("W03.klarf.Zz0000")), "half");
        writeText(run + QStringLiteral("/W04.klarf.notes"), "kept: not six letters or digits");
        writeText(run + QStringLiteral("/W05.txt.aB3xY9"), "kept: not a KLARF name");
        writeText(run + QStringLiteral("/W06.tif.Qx81Lm"), "half"); // mkstemp's name for a TIFF
        writeText(run + QStringLiteral("/W06.tif"), "complete");
        QCOMPARE(KlarfWriter::removeStrayTemporaries(folder.path().toStdString()), std::size_t(3));
        QCOMPARE(entriesOf(run), (QStringList{QStringLiteral("W01.klarf"), QStringLiteral("W04.klarf.notes"),
                                              QStringLiteral("W05.txt.aB3xY9"), QStringLiteral("W06.tif")}));
        QCOMPARE(entriesOf(folder.path()), QStringList{QStringLiteral("run-1")});
        QCOMPARE(KlarfWriter::removeStrayTemporaries(folder.filePath(QStringLiteral("missing")).toStdString()),
                 std::size_t(0));
    }

    void writeFailingPartwayKeepsTheOldFileAndLeavesNoTemporaryFile()
    {
        QTemporaryDir folder;
        const QString target = folder.filePath(QStringLiteral("LOT4711-07.klarf"));
        const std::string previous = "a complete earlier KLARF\n";
        writeText(target, previous);
        const WaferResult result = withoutImages(fullWafer(200)); // far larger than the limit below
        {
            const FileSizeLimit limit(512);
            QVERIFY(limit.isActive());
            try {
                KlarfWriter::write(result, target.toStdString());
                QFAIL("a write beyond the file size limit succeeded");
            } catch (const KlarfWriteError &error) {
                QCOMPARE(error.file().string(), target.toStdString());
                QVERIFY2(!error.problem().empty(), error.what());
                QVERIFY(std::string(error.what()).starts_with("cannot write KLARF " + target.toStdString() + ": "));
            }
        }
        QCOMPARE(readAll(target), previous);
        QCOMPARE(entriesOf(folder.path()), QStringList{QStringLiteral("LOT4711-07.klarf")});
    }

    void writeIntoAMissingFolderNamesTheFileAndCreatesNothing()
    {
        QTemporaryDir folder;
        const QString target = folder.filePath(QStringLiteral("absent/LOT4711-07.klarf"));
        try {
            KlarfWriter::write(withoutImages(smallWafer()), target.toStdString());
            QFAIL("a write into a missing folder succeeded");
        } catch (const KlarfWriteError &error) {
            QCOMPARE(error.file().string(), target.toStdString());
        }
        QVERIFY(entriesOf(folder.path()).isEmpty());
    }

    void writeIntoAReadOnlyFolderReportsAndLeavesNothing()
    {
        if (geteuid() == 0) {
            // Root writes into read-only folders: the same test runs as an unprivileged user.
            if (!waferscope::testing::canRunUnprivileged()) {
                QSKIP("root writes into read-only folders, and user nobody cannot reach this test program to run it");
            }
            QCOMPARE(waferscope::testing::runUnprivileged("writeIntoAReadOnlyFolderReportsAndLeavesNothing"), 0);
            return;
        }
        QTemporaryDir folder;
        const QString readOnly = folder.filePath(QStringLiteral("read-only"));
        QVERIFY(QDir().mkdir(readOnly));
        QCOMPARE(chmod(readOnly.toLocal8Bit().constData(), 0555), 0);
        const QString target = readOnly + QStringLiteral("/LOT4711-07.klarf");
        QVERIFY_THROWS_EXCEPTION(KlarfWriteError, KlarfWriter::write(smallWafer(), target.toStdString()));
        QVERIFY(entriesOf(readOnly).isEmpty());
        chmod(readOnly.toLocal8Bit().constData(), 0755);
    }
};

QTEST_GUILESS_MAIN(KlarfWriterTest)
#include "klarf_writer_test.moc"
