#include <waferscope/core/results/klarf_wafer.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <utility>

#include <waferscope/core/defect_class.h>
#include <waferscope/core/results/klarf_read_error.h>
#include <waferscope/core/validation_error.h>

namespace waferscope::core {

namespace {

constexpr double kUmPerMm = 1000.0;

/// Our class for a ClassLookup name, compared without regard to case, spaces, '-' or '_'.
DefectClass classNamed(const std::string &name)
{
    const auto squeeze = [](std::string_view text) {
        std::string out;
        for (const char c : text) {
            if (std::isalnum(static_cast<unsigned char>(c)) != 0) {
                out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
            }
        }
        return out;
    };
    const std::string wanted = squeeze(name);
    for (const DefectClass c : kAllDefectClasses) {
        if (c != DefectClass::Unknown && squeeze(toText(c)) == wanted) {
            return c;
        }
    }
    return DefectClass::Unknown;
}

WaferId recordIdFor(const std::string &text)
{
    try {
        return WaferId(text);
    } catch (const ValidationError &) {
        return WaferId("KLARF");
    }
}

std::string joined(const std::vector<std::string> &values)
{
    std::string out;
    for (const std::string &v : values) {
        out += (out.empty() ? "" : " ") + v;
    }
    return out;
}

/// Throws unless the file has what placing its defects needs.
void requirePlacement(const KlarfFile &file, const std::filesystem::path &source)
{
    const int line = file.defects.empty() ? 0 : file.defects.front().line;
    const auto missing = [&](const std::string &what) {
        throw KlarfReadError(source, line, what + ": the wafer cannot be drawn");
    };
    if (!file.sampleSize) {
        missing("no SampleSize record");
    }
    if (!file.diePitch) {
        missing("no DiePitch record");
    }
    if (!file.sampleCenterLocation) {
        missing("no SampleCenterLocation record");
    }
    for (const char *column : {"XREL", "YREL", "XINDEX", "YINDEX"}) {
        if (!file.defects.empty() && !file.hasColumn(column)) {
            missing(std::string("DefectRecordSpec has no ") + column + " column");
        }
    }
}

DieGrid gridOf(const KlarfFile &file, const std::filesystem::path &source)
{
    std::set<std::pair<int, int>> places;
    for (const KlarfFile::Die &die : file.sampleTestPlan) {
        places.insert({die.xIndex, die.yIndex});
    }
    for (const KlarfFile::Defect &defect : file.defects) {
        places.insert({defect.xIndex, defect.yIndex});
    }
    std::vector<DieGrid::LatticeCell> cells;
    cells.reserve(places.size());
    for (const auto &[x, y] : places) {
        cells.push_back({x, y});
    }
    WaferGeometry geometry;
    geometry.diameterMm = file.sampleSize->size;
    geometry.pitchXMm = file.diePitch->x / kUmPerMm;
    geometry.pitchYMm = file.diePitch->y / kUmPerMm;
    geometry.edgeExclusionMm = 0.0;
    const PointMm origin{-file.sampleCenterLocation->x / kUmPerMm, -file.sampleCenterLocation->y / kUmPerMm};
    try {
        return DieGrid::fromLattice(geometry, origin, cells);
    } catch (const ValidationError &e) {
        throw KlarfReadError(source, 0, std::string("its dies cannot be drawn: ") + e.what());
    }
}

} // namespace

KlarfWafer toKlarfWafer(const KlarfFile &file, const std::filesystem::path &source)
{
    requirePlacement(file, source);
    KlarfWafer wafer{.lotId = file.lotId,
                     .waferId = file.waferId,
                     .slot = file.slot,
                     .station = joined(file.inspectionStationId),
                     .resultTimestamp = file.resultTimestamp,
                     .deviceId = file.deviceId.value_or(std::string()),
                     .notch = file.orientationMarkLocation,
                     .grid = gridOf(file, source),
                     .defects = {},
                     .classNames = {},
                     .recordWaferId = recordIdFor(file.waferId)};
    const KlarfFile::Pair dieOrigin = file.dieOrigin.value_or(KlarfFile::Pair{});
    const DieGrid &grid = wafer.grid;
    wafer.defects.reserve(file.defects.size());
    wafer.classNames.reserve(file.defects.size());
    std::uint64_t nextId = 1;
    for (const KlarfFile::Defect &d : file.defects) {
        const double xUm = d.xIndex * file.diePitch->x + dieOrigin.x + d.xRel - file.sampleCenterLocation->x;
        const double yUm = d.yIndex * file.diePitch->y + dieOrigin.y + d.yRel - file.sampleCenterLocation->y;
        // The die the file names, found by its centre (robust to a die origin outside the die).
        const double centreX = (d.xIndex + 0.5) * file.diePitch->x - file.sampleCenterLocation->x;
        const double centreY = (d.yIndex + 0.5) * file.diePitch->y - file.sampleCenterLocation->y;
        const std::optional<DieIndex> die = grid.dieAt({centreX / kUmPerMm, centreY / kUmPerMm});
        DefectRecord record;
        record.id = d.id > 0 ? static_cast<std::uint64_t>(d.id) : nextId;
        nextId = std::max(nextId, record.id + 1);
        record.waferId = wafer.recordWaferId;
        record.die = die.value_or(DieIndex{});
        const PointMm corner = die ? grid.dieOrigin(*die) : PointMm{};
        record.xRelUm = xUm - corner.x * kUmPerMm;
        record.yRelUm = yUm - corner.y * kUmPerMm;
        record.xSizeUm = d.xSize;
        record.ySizeUm = d.ySize;
        record.areaUm2 = d.defectArea;
        const std::optional<std::string> name = file.className(d.classNumber);
        record.defectClass = name ? classNamed(*name) : DefectClass::Unknown;
        wafer.classNames.push_back(name ? *name : "class " + std::to_string(d.classNumber));
        wafer.defects.push_back(std::move(record));
    }
    return wafer;
}

} // namespace waferscope::core
