#include <QTest>

#include <waferscope/testing/unprivileged.h>

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include <csignal>
#include <string>
#include <vector>

#include <sys/resource.h>
#include <sys/stat.h>
#include <tiffio.h>
#include <unistd.h>

#include <waferscope/core/results/klarf_write_error.h>
#include <waferscope/core/results/klarf_writer.h>

#include "klarf_fixtures.h"

using waferscope::core::KlarfWriteError;
using waferscope::core::KlarfWriter;
using waferscope::core::WaferResult;
using waferscope::testing::cropImage;
using waferscope::testing::entriesOf;
using waferscope::testing::smallWafer;
using waferscope::testing::withCrops;

namespace {

std::string readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll().toStdString() : std::string("<unreadable>");
}

void writeText(const QString &path, const std::string &text)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(file.write(text.data(), static_cast<qint64>(text.size())), static_cast<qint64>(text.size()));
}

/// One page of a TIFF as libtiff reads it.
struct Page {
    std::uint32_t width = 0;
    std::uint32_t height = 0;
    std::uint16_t bitsPerSample = 0;
    std::uint16_t samplesPerPixel = 0;
    std::vector<std::uint8_t> pixels;
};

std::vector<Page> readTiff(const std::string &file)
{
    std::vector<Page> pages;
    TIFF *tiff = TIFFOpen(file.c_str(), "r");
    if (tiff == nullptr) {
        return pages;
    }
    do {
        Page page;
        TIFFGetField(tiff, TIFFTAG_IMAGEWIDTH, &page.width);
        TIFFGetField(tiff, TIFFTAG_IMAGELENGTH, &page.height);
        TIFFGetFieldDefaulted(tiff, TIFFTAG_BITSPERSAMPLE, &page.bitsPerSample);
        TIFFGetFieldDefaulted(tiff, TIFFTAG_SAMPLESPERPIXEL, &page.samplesPerPixel);
        std::vector<std::uint8_t> row(static_cast<std::size_t>(TIFFScanlineSize(tiff)));
        for (std::uint32_t y = 0; y < page.height; ++y) {
            if (TIFFReadScanline(tiff, row.data(), y, 0) < 0) {
                break;
            }
            page.pixels.insert(page.pixels.end(), row.begin(), row.begin() + page.width);
        }
        pages.push_back(std::move(page));
    } while (TIFFReadDirectory(tiff) == 1);
    TIFFClose(tiff);
    return pages;
}

/// Caps the size of files this process writes, so a write fails partway, as on a full disk. Root
/// is bound by this limit too, unlike by folder permissions.
class FileSizeLimit
{
public:
    explicit FileSizeLimit(rlim_t bytes)
    {
        m_previousHandler = std::signal(SIGXFSZ, SIG_IGN);
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

} // namespace

class KlarfTiffTest : public QObject
{
    Q_OBJECT

private slots:
    void tiffHasOnePagePerDefectImageWithTheCropsPixels()
    {
        QTemporaryDir folder;
        const WaferResult result = withCrops(smallWafer(), folder.filePath(QStringLiteral("crops")));
        const QString klarf = folder.filePath(QStringLiteral("LOT4711-07.klarf"));
        KlarfWriter::write(result, klarf.toStdString());
        const std::vector<Page> pages = readTiff(folder.filePath(QStringLiteral("LOT4711-07.tif")).toStdString());
        QCOMPARE(pages.size(), std::size_t{3}); // defect 1: one image, defect 3: two
        for (std::size_t i = 0; i < pages.size(); ++i) {
            const QImage crop = cropImage(static_cast<int>(i) + 1);
            QCOMPARE(pages[i].width, static_cast<std::uint32_t>(crop.width()));
            QCOMPARE(pages[i].height, static_cast<std::uint32_t>(crop.height()));
            QCOMPARE(pages[i].bitsPerSample, std::uint16_t{8});
            QCOMPARE(pages[i].samplesPerPixel, std::uint16_t{1});
            std::vector<std::uint8_t> expected;
            for (int y = 0; y < crop.height(); ++y) {
                expected.insert(expected.end(), crop.constScanLine(y), crop.constScanLine(y) + crop.width());
            }
            QVERIFY2(pages[i].pixels == expected, ("page " + std::to_string(i + 1) + " differs from its crop").c_str());
        }
    }

    void tiffFileIsTheKlarfsNameWithTif()
    {
        QCOMPARE(KlarfWriter::tiffFileOf("/data/klarf/run-3/W01.klarf"), std::filesystem::path("/data/klarf/run-3/W01.tif"));
    }

    void aMissingCropIsNamedAndNothingIsLeftUnderAFinalName()
    {
        QTemporaryDir folder;
        WaferResult result = withCrops(smallWafer(), folder.filePath(QStringLiteral("crops")));
        const std::filesystem::path missing = result.defects[2].images[1];
        QVERIFY(std::filesystem::remove(missing));
        QVERIFY(QDir().mkdir(folder.filePath(QStringLiteral("out"))));
        const QString klarf = folder.filePath(QStringLiteral("out/LOT4711-07.klarf"));
        try {
            KlarfWriter::write(result, klarf.toStdString());
            QFAIL("a KLARF with a missing crop was written");
        } catch (const KlarfWriteError &error) {
            QCOMPARE(error.file(), KlarfWriter::tiffFileOf(klarf.toStdString()));
            QCOMPARE(error.problem(), "the crop image " + missing.string() + " of defect 3 is missing");
        }
        QVERIFY(entriesOf(folder.filePath(QStringLiteral("out"))).isEmpty());
    }

    void aCropThatIsNotAnImageIsNamed()
    {
        QTemporaryDir folder;
        WaferResult result = withCrops(smallWafer(), folder.filePath(QStringLiteral("crops")));
        writeText(QString::fromStdString(result.defects[0].images[0].string()), "not a PNG");
        const QString klarf = folder.filePath(QStringLiteral("LOT4711-07.klarf"));
        try {
            KlarfWriter::write(result, klarf.toStdString());
            QFAIL("a KLARF with an unreadable crop was written");
        } catch (const KlarfWriteError &error) {
            QCOMPARE(error.problem(), "the crop image " + result.defects[0].images[0].string() +
                                          " of defect 1 cannot be read as an image");
        }
        QCOMPARE(entriesOf(folder.path()), QStringList{QStringLiteral("crops")});
    }

    void tiffFailingPartwayKeepsTheEarlierFilesAndLeavesNoTemporary()
    {
        QTemporaryDir folder;
        const WaferResult result = withCrops(smallWafer(), folder.filePath(QStringLiteral("crops")));
        QVERIFY(QDir().mkdir(folder.filePath(QStringLiteral("out"))));
        const QString klarf = folder.filePath(QStringLiteral("out/LOT4711-07.klarf"));
        const QString tiff = folder.filePath(QStringLiteral("out/LOT4711-07.tif"));
        writeText(klarf, "an earlier KLARF\n");
        writeText(tiff, "an earlier TIFF\n");
        {
            const FileSizeLimit limit(600); // the three pages take about 1.5 kB
            QVERIFY(limit.isActive());
            try {
                KlarfWriter::write(result, klarf.toStdString());
                QFAIL("a TIFF beyond the file size limit was written");
            } catch (const KlarfWriteError &error) {
                QCOMPARE(error.file().string(), tiff.toStdString());
                QVERIFY2(std::string(error.what()).starts_with("cannot write KLARF " + tiff.toStdString() + ": cannot write"),
                         error.what());
            }
        }
        QCOMPARE(readAll(klarf), std::string("an earlier KLARF\n"));
        QCOMPARE(readAll(tiff), std::string("an earlier TIFF\n"));
        QCOMPARE(entriesOf(folder.filePath(QStringLiteral("out"))),
                 (QStringList{QStringLiteral("LOT4711-07.klarf"), QStringLiteral("LOT4711-07.tif")}));
    }

    void readOnlyFolderReportsTheTiffAndLeavesNothing()
    {
        if (geteuid() == 0) {
            // Root writes into read-only folders: the same test runs as an unprivileged user.
            if (!waferscope::testing::canRunUnprivileged()) {
                QSKIP("root writes into read-only folders, and user nobody cannot reach this test program to run it");
            }
            QCOMPARE(waferscope::testing::runUnprivileged("readOnlyFolderReportsTheTiffAndLeavesNothing"), 0);
            return;
        }
        QTemporaryDir folder;
        const WaferResult result = withCrops(smallWafer(), folder.filePath(QStringLiteral("crops")));
        const QString readOnly = folder.filePath(QStringLiteral("read-only"));
        QVERIFY(QDir().mkdir(readOnly));
        QCOMPARE(chmod(readOnly.toLocal8Bit().constData(), 0555), 0);
        const QString klarf = readOnly + QStringLiteral("/LOT4711-07.klarf");
        try {
            KlarfWriter::write(result, klarf.toStdString());
            QFAIL("a KLARF was written into a read-only folder");
        } catch (const KlarfWriteError &error) {
            QCOMPARE(error.file(), KlarfWriter::tiffFileOf(klarf.toStdString()));
            QCOMPARE(error.problem(), std::string("Permission denied"));
        }
        QVERIFY(entriesOf(readOnly).isEmpty());
        chmod(readOnly.toLocal8Bit().constData(), 0755);
    }

    /// Leaves a KLARF, its TIFF and crops in WAFERSCOPE_KLARF_STRICT_DIR for core/klarf_strict_check,
    /// which reads them with code of its own.
    void writesAKlarfForTheStrictCheck()
    {
        const QString out = QStringLiteral(WAFERSCOPE_KLARF_STRICT_DIR);
        QDir(out).removeRecursively();
        QVERIFY(QDir().mkpath(out));
        WaferResult result = withCrops(smallWafer(), out + QStringLiteral("/crops"));
        KlarfWriter::write(result, (out + QStringLiteral("/LOT4711-07.klarf")).toStdString());
        QVERIFY(QFile::exists(out + QStringLiteral("/LOT4711-07.tif")));
    }
};

QTEST_GUILESS_MAIN(KlarfTiffTest)
#include "klarf_tiff_test.moc"
