#include <waferscope/core/results/klarf_writer.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <map>
#include <optional>
#include <set>
#include <string_view>
#include <system_error>
#include <vector>

#include <QImage>
#include <QSaveFile>
#include <QString>

#include <fcntl.h>
#include <unistd.h>

#include <waferscope/core/die_grid.h>
#include <waferscope/core/results/klarf_write_error.h>
#include <waferscope/core/validation_error.h>

#include "tiff_pages.h"

namespace waferscope::core {

namespace {

using Issues = std::vector<ValidationError::Issue>;

constexpr std::size_t kMaxQuotedLength = 80;
constexpr int kMaxSlot = 25;
/// TIFF numbers pages with 16 bits.
constexpr std::size_t kMaxImages = 65535;
/// KLARF's image type of every image: a plain image of the defect.
constexpr int kImageType = 0;

std::string indexed(std::string_view parent, std::size_t index)
{
    return std::string(parent) + "[" + std::to_string(index) + "]";
}

/// Header lengths as KLARF writes them: "1.000000e+04". to_chars, unlike printf, ignores the
/// process locale, which Qt sets from the environment and which may use a decimal comma.
std::string scientific(double value)
{
    std::array<char, 64> buffer{};
    const auto result =
        std::to_chars(buffer.data(), buffer.data() + buffer.size(), value + 0.0, std::chars_format::scientific, 6);
    return std::string(buffer.data(), result.ptr);
}

/// Defect columns: µm to the nanometre.
std::string fixed(double value)
{
    std::array<char, 64> buffer{};
    const auto result =
        std::to_chars(buffer.data(), buffer.data() + buffer.size(), value + 0.0, std::chars_format::fixed, 3);
    return std::string(buffer.data(), result.ptr);
}

std::string timestamp(WaferResult::Time time)
{
    const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    std::array<char, 32> buffer{};
    std::snprintf(buffer.data(), buffer.size(), "%02d-%02d-%02d %02d:%02d:%02d", utc.tm_mon + 1, utc.tm_mday,
                  utc.tm_year % 100, utc.tm_hour, utc.tm_min, utc.tm_sec);
    return buffer.data();
}

std::string quoted(const std::string &text)
{
    return "\"" + text + "\"";
}

/// KLARF field values are read as whitespace-separated tokens and quoted strings, ended by ';'.
void checkQuoted(Issues &issues, const std::string &field, const std::string &text)
{
    if (text.empty() || text.size() > kMaxQuotedLength) {
        issues.push_back({field, "has " + std::to_string(text.size()) + " characters (allowed 1…" +
                                     std::to_string(kMaxQuotedLength) + ")"});
        return;
    }
    for (const char c : text) {
        const auto code = static_cast<unsigned char>(c);
        if (code < 0x20 || code == 0x7f || c == '"') {
            issues.push_back({field, "'" + text + "' contains '\"' or a control character, which a KLARF string cannot hold"});
            return;
        }
    }
}

void checkToken(Issues &issues, const std::string &field, const std::string &text)
{
    if (text.empty()) {
        issues.push_back({field, "is empty"});
        return;
    }
    for (const char c : text) {
        const auto code = static_cast<unsigned char>(c);
        if (code <= 0x20 || code == 0x7f || c == '"' || c == ';') {
            issues.push_back({field, "'" + text + "' contains a space, ';', '\"' or a control character; a KLARF file name cannot"});
            return;
        }
    }
}

void checkLength(Issues &issues, const std::string &field, double value, std::optional<double> limit)
{
    if (!std::isfinite(value) || value < 0.0) {
        issues.push_back({field, fixed(value) + " must be a finite number of 0 or more"});
    } else if (limit && value > *limit) {
        issues.push_back({field, fixed(value) + " is beyond the die (allowed 0…" + fixed(*limit) + ")"});
    }
}

/// What the layout of the file needs from the die grid: index mapping and the wafer centre.
struct Layout {
    int rowCount = 0;
    double centreXUm = 0.0;
    double centreYUm = 0.0;

    [[nodiscard]] int xIndex(DieIndex die) const noexcept { return die.column; }
    [[nodiscard]] int yIndex(DieIndex die) const noexcept { return rowCount - 1 - die.row; }
};

Layout layoutOf(const DieGrid &grid)
{
    const WaferGeometry &g = grid.geometry();
    // Die (0,0) of the file is the lower-left cell of the bounding box; find its corner from any die.
    const DieIndex reference = grid.scanOrder().front();
    const PointMm origin = grid.dieOrigin(reference);
    const double cornerXMm = origin.x - reference.column * g.pitchXMm;
    const double cornerYMm = origin.y - (grid.rowCount() - 1 - reference.row) * g.pitchYMm;
    return {grid.rowCount(), -cornerXMm * 1000.0, -cornerYMm * 1000.0};
}

/// Every unusable field of `result`, and the die grid when its geometry is usable.
std::optional<DieGrid> check(const WaferResult &result, const std::string &tiffFileName, Issues &issues)
{
    checkQuoted(issues, "lotId", result.lotId);
    checkQuoted(issues, "deviceId", result.deviceId);
    if (result.waferId.isEmpty()) {
        issues.push_back({"waferId", "is empty"});
    } else {
        checkQuoted(issues, "waferId", std::string(result.waferId.text()));
    }
    if (result.slot < 1 || result.slot > kMaxSlot) {
        issues.push_back({"slot", std::to_string(result.slot) + " is out of range (allowed 1…" + std::to_string(kMaxSlot) + ")"});
    }
    checkQuoted(issues, "setupId", result.setupId);
    checkQuoted(issues, "stepId", result.stepId);
    checkQuoted(issues, "station.vendor", result.station.vendor);
    checkQuoted(issues, "station.model", result.station.model);
    checkQuoted(issues, "station.id", result.station.id);

    std::optional<DieGrid> grid;
    try {
        grid.emplace(result.geometry);
    } catch (const ValidationError &error) {
        for (const ValidationError::Issue &issue : error.issues()) {
            issues.push_back({"geometry." + issue.field, issue.problem});
        }
    }

    std::set<DieIndex> sampled;
    if (result.sampledDies.empty()) {
        issues.push_back({"sampledDies", "is empty; a KLARF file describes at least one inspected die"});
    }
    for (std::size_t i = 0; i < result.sampledDies.size(); ++i) {
        const DieIndex die = result.sampledDies[i];
        if (!sampled.insert(die).second) {
            issues.push_back({indexed("sampledDies", i), toText(die) + " is listed twice"});
        } else if (grid && !grid->contains(die)) {
            issues.push_back({indexed("sampledDies", i), toText(die) + " is not a die of this wafer"});
        }
    }

    std::set<int> numbers;
    for (std::size_t i = 0; i < result.classes.size(); ++i) {
        const WaferResult::ClassEntry &entry = result.classes[i];
        const std::string at = indexed("classes", i);
        if (entry.number < 0) {
            issues.push_back({at + ".number", std::to_string(entry.number) + " is negative"});
        } else if (!numbers.insert(entry.number).second) {
            issues.push_back({at + ".number", std::to_string(entry.number) + " is listed twice"});
        }
        checkQuoted(issues, at + ".name", entry.name);
    }

    std::set<int> ids;
    std::size_t images = 0;
    const double pitchXUm = result.geometry.pitchXMm * 1000.0;
    const double pitchYUm = result.geometry.pitchYMm * 1000.0;
    for (std::size_t i = 0; i < result.defects.size(); ++i) {
        const WaferResult::Defect &defect = result.defects[i];
        const std::string at = indexed("defects", i);
        if (defect.id < 1) {
            issues.push_back({at + ".id", std::to_string(defect.id) + " is not 1 or more"});
        } else if (!ids.insert(defect.id).second) {
            issues.push_back({at + ".id", std::to_string(defect.id) + " is the id of an earlier defect"});
        }
        if (!sampled.contains(defect.die)) {
            issues.push_back({at + ".die", toText(defect.die) + " is not in sampledDies"});
        }
        checkLength(issues, at + ".xRelUm", defect.xRelUm, grid ? std::optional(pitchXUm) : std::nullopt);
        checkLength(issues, at + ".yRelUm", defect.yRelUm, grid ? std::optional(pitchYUm) : std::nullopt);
        checkLength(issues, at + ".xSizeUm", defect.xSizeUm, std::nullopt);
        checkLength(issues, at + ".ySizeUm", defect.ySizeUm, std::nullopt);
        checkLength(issues, at + ".areaUm2", defect.areaUm2, std::nullopt);
        if (!numbers.contains(defect.classNumber)) {
            issues.push_back({at + ".classNumber", std::to_string(defect.classNumber) + " is not in classes"});
        }
        for (std::size_t k = 0; k < defect.images.size(); ++k) {
            if (defect.images[k].empty()) {
                issues.push_back({indexed(at + ".images", k), "is empty"});
            }
        }
        images += defect.images.size();
    }
    if (images > kMaxImages) {
        issues.push_back({"defects", std::to_string(images) + " images are more than a TIFF's " +
                                         std::to_string(kMaxImages) + " numbered pages"});
    }
    if (images > 0) {
        if (tiffFileName.empty()) {
            issues.push_back({"tiffFileName", "is empty, but the defects have " + std::to_string(images) + " images"});
        } else {
            checkToken(issues, "tiffFileName", tiffFileName);
        }
    }
    return grid;
}

/// Precondition: check() found nothing wrong, so `grid` is the result's grid.
std::string render(const WaferResult &result, const DieGrid &grid, const std::string &tiffFileName)
{
    const bool hasImages = std::any_of(result.defects.begin(), result.defects.end(),
                                       [](const WaferResult::Defect &d) { return !d.images.empty(); });
    const Layout layout = layoutOf(grid);
    const WaferGeometry &g = result.geometry;
    const double pitchXUm = g.pitchXMm * 1000.0;
    const double pitchYUm = g.pitchYMm * 1000.0;
    const std::size_t dieCount = result.sampledDies.size();

    std::string text;
    text.reserve(2048 + result.defects.size() * 128);
    const auto line = [&text](const std::string &content) {
        text += content;
        text += '\n';
    };

    line("FileVersion 1 2;");
    line("FileTimestamp " + timestamp(result.fileTime) + ";");
    if (hasImages) {
        line("TiffSpec 6.0 G R;");
    }
    line("InspectionStationID " + quoted(result.station.vendor) + " " + quoted(result.station.model) + " " +
         quoted(result.station.id) + ";");
    line("SampleType WAFER;");
    line("ResultTimestamp " + timestamp(result.resultTime) + ";");
    line("LotID " + quoted(result.lotId) + ";");
    line("SampleSize 1 " + std::to_string(static_cast<int>(std::lround(g.diameterMm))) + ";");
    line("DeviceID " + quoted(result.deviceId) + ";");
    line("SetupID " + quoted(result.setupId) + " " + timestamp(result.setupTime) + ";");
    line("StepID " + quoted(result.stepId) + ";");
    line("SampleOrientationMarkType NOTCH;");
    line("OrientationMarkLocation DOWN;");
    line("DiePitch " + scientific(pitchXUm) + " " + scientific(pitchYUm) + ";");
    line("DieOrigin " + scientific(0.0) + " " + scientific(0.0) + ";");
    line("WaferID " + quoted(std::string(result.waferId.text())) + ";");
    line("Slot " + std::to_string(result.slot) + ";");
    if (hasImages) {
        line("TiffFileName " + tiffFileName + ";");
    }
    line("SampleCenterLocation " + scientific(layout.centreXUm) + " " + scientific(layout.centreYUm) + ";");

    line("ClassLookup " + std::to_string(result.classes.size()) + (result.classes.empty() ? ";" : ""));
    for (std::size_t i = 0; i < result.classes.size(); ++i) {
        const WaferResult::ClassEntry &entry = result.classes[i];
        line(" " + std::to_string(entry.number) + " " + quoted(entry.name) + (i + 1 == result.classes.size() ? ";" : ""));
    }
    line("InspectionTest 1;");
    line("SampleTestPlan " + std::to_string(dieCount));
    for (std::size_t i = 0; i < dieCount; ++i) {
        const DieIndex die = result.sampledDies[i];
        line(" " + std::to_string(layout.xIndex(die)) + " " + std::to_string(layout.yIndex(die)) +
             (i + 1 == dieCount ? ";" : ""));
    }
    const double inspectedUm2 = static_cast<double>(dieCount) * pitchXUm * pitchYUm;
    line("AreaPerTest " + scientific(inspectedUm2) + ";");

    line("DefectRecordSpec 17 DEFECTID XREL YREL XINDEX YINDEX XSIZE YSIZE DEFECTAREA DSIZE CLASSNUMBER TEST "
         "CLUSTERNUMBER ROUGHBINNUMBER FINEBINNUMBER REVIEWSAMPLE IMAGECOUNT IMAGELIST;");
    line(result.defects.empty() ? "DefectList;" : "DefectList");
    std::set<DieIndex> defectiveDies;
    std::size_t page = 0;
    for (std::size_t i = 0; i < result.defects.size(); ++i) {
        const WaferResult::Defect &d = result.defects[i];
        defectiveDies.insert(d.die);
        std::string record = " " + std::to_string(d.id) + " " + fixed(d.xRelUm) + " " + fixed(d.yRelUm) + " " +
                             std::to_string(layout.xIndex(d.die)) + " " + std::to_string(layout.yIndex(d.die)) + " " +
                             fixed(d.xSizeUm) + " " + fixed(d.ySizeUm) + " " + fixed(d.areaUm2) + " " +
                             fixed(std::max(d.xSizeUm, d.ySizeUm)) + " " + std::to_string(d.classNumber) + " 1 0 " +
                             std::to_string(d.classNumber) + " 0 0 " + std::to_string(d.images.size()) + " " +
                             std::to_string(d.images.size());
        for (std::size_t k = 0; k < d.images.size(); ++k) {
            record += " " + std::to_string(++page) + " " + std::to_string(kImageType);
        }
        line(record + (i + 1 == result.defects.size() ? ";" : ""));
    }

    const double inspectedCm2 = static_cast<double>(dieCount) * (g.pitchXMm / 10.0) * (g.pitchYMm / 10.0);
    const double density = static_cast<double>(result.defects.size()) / inspectedCm2;
    line("SummarySpec 5 TESTNO NDEFECT DEFDENSITY NDIE NDEFDIE;");
    line("SummaryList");
    line(" 1 " + std::to_string(result.defects.size()) + " " + scientific(density) + " " + std::to_string(dieCount) +
         " " + std::to_string(defectiveDies.size()) + ";");
    line("EndOfFile;");
    return text;
}

/// After the rename, the directory entry itself must reach the disk for the new file to survive a
/// power cut. The file is complete either way, so a failure here is not reported as a failed write.
void syncDirectory(const std::filesystem::path &directory)
{
    const int fd = ::open(directory.empty() ? "." : directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        static_cast<void>(::fsync(fd));
        static_cast<void>(::close(fd));
    }
}

} // namespace

std::string KlarfWriter::format(const WaferResult &result, const std::string &tiffFileName)
{
    Issues issues;
    const std::optional<DieGrid> grid = check(result, tiffFileName, issues);
    if (!issues.empty()) {
        const std::string wafer = result.waferId.isEmpty() ? std::string("(no id)") : std::string(result.waferId.text());
        throw ValidationError("KLARF for wafer " + wafer, std::move(issues));
    }
    return render(result, *grid, tiffFileName);
}

std::filesystem::path KlarfWriter::tiffFileOf(const std::filesystem::path &klarfFile)
{
    std::filesystem::path tiff = klarfFile;
    tiff.replace_extension(".tif");
    return tiff;
}

namespace {

/// Writes every image of `result`, in order, as the pages of `tiff`. Precondition: format() accepted
/// `result`.
void writePages(const WaferResult &result, detail::TiffPages &tiff)
{
    int page = 0;
    for (const WaferResult::Defect &defect : result.defects) {
        for (const std::filesystem::path &crop : defect.images) {
            ++page;
            std::error_code ec;
            if (!std::filesystem::is_regular_file(crop, ec)) {
                throw KlarfWriteError(tiff.target(), "the crop image " + crop.string() + " of defect " +
                                                         std::to_string(defect.id) + " is missing");
            }
            QImage image(QString::fromStdString(crop.string()));
            if (image.isNull()) {
                throw KlarfWriteError(tiff.target(), "the crop image " + crop.string() + " of defect " +
                                                         std::to_string(defect.id) + " cannot be read as an image");
            }
            image.convertTo(QImage::Format_Grayscale8);
            const auto width = static_cast<std::size_t>(image.width());
            std::vector<std::uint8_t> pixels(width * static_cast<std::size_t>(image.height()));
            for (int y = 0; y < image.height(); ++y) {
                std::memcpy(pixels.data() + static_cast<std::size_t>(y) * width, image.constScanLine(y), width);
            }
            tiff.addPage(image.width(), image.height(), pixels,
                         "defect " + std::to_string(defect.id) + " image " + std::to_string(page));
        }
    }
}

} // namespace

void KlarfWriter::write(const WaferResult &result, const std::filesystem::path &file)
{
    const std::filesystem::path tiffFile = tiffFileOf(file);
    const std::string text = format(result, tiffFile.filename().string());
    std::size_t images = 0;
    for (const WaferResult::Defect &defect : result.defects) {
        images += defect.images.size();
    }
    // Everything that can fail for want of space or permission happens before either rename.
    std::optional<detail::TiffPages> tiff;
    if (images > 0) {
        tiff.emplace(tiffFile, static_cast<int>(images));
        writePages(result, *tiff);
        tiff->finish();
    }
    QSaveFile output(QString::fromStdString(file.string()));
    if (!output.open(QIODevice::WriteOnly)) {
        throw KlarfWriteError(file, output.errorString().toStdString());
    }
    const auto size = static_cast<qint64>(text.size());
    // Flush before commit() so a short write is seen here: then the temporary file is discarded
    // (cancelWriting, and the destructor removes it) instead of being renamed over the target.
    if (output.write(text.data(), size) != size || !output.flush()) {
        std::string problem = output.errorString().toStdString();
        output.cancelWriting();
        throw KlarfWriteError(file, problem);
    }
    // The TIFF first: a reader that sees the new KLARF finds its images.
    if (tiff) {
        try {
            tiff->rename();
        } catch (const KlarfWriteError &) {
            output.cancelWriting();
            throw;
        }
    }
    if (!output.commit()) {
        const std::string problem = output.errorString().toStdString();
        if (tiff) {
            std::error_code ec;
            std::filesystem::remove(tiffFile, ec);
        }
        throw KlarfWriteError(file, problem);
    }
    syncDirectory(file.parent_path());
}

namespace {

/// A temporary name of write(): the target's name ("*.klarf", "*.tif"), '.', and six letters or
/// digits (QSaveFile's fallback for the KLARF, mkstemp's for the TIFF).
bool isStrayTemporary(const std::string &name)
{
    constexpr std::size_t kRandomChars = 6;
    const auto endsWithExtension = [&name](std::string_view extension) {
        return name.size() >= extension.size() + kRandomChars + 1 &&
               name.compare(name.size() - kRandomChars - extension.size(), extension.size(), extension) == 0;
    };
    if (!endsWithExtension(".klarf.") && !endsWithExtension(".tif.")) {
        return false;
    }
    const std::size_t suffix = name.size() - kRandomChars;
    return std::all_of(name.begin() + static_cast<std::ptrdiff_t>(suffix), name.end(),
                       [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; });
}

} // namespace

std::size_t KlarfWriter::removeStrayTemporaries(const std::filesystem::path &folder)
{
    std::size_t removed = 0;
    std::error_code ec;
    if (!std::filesystem::exists(folder, ec)) {
        return 0;
    }
    for (auto it = std::filesystem::recursive_directory_iterator(folder, ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
        std::error_code removeError;
        if (it->is_regular_file(ec) && isStrayTemporary(it->path().filename().string()) &&
            std::filesystem::remove(it->path(), removeError)) {
            ++removed;
        }
    }
    return removed;
}

} // namespace waferscope::core
