#pragma once

/// KlarfWafer: a KLARF file's wafer as the console shows it beside its own results — its dies on a
/// DieGrid, its defects as DefectRecords on those dies, and what the file says of where it came
/// from. toKlarfWafer() builds it from what KlarfReader read.
/// Placement: KLARF gives lengths in µm, die (XINDEX, YINDEX) with x to the right and y up, XREL and
/// YREL from the die's origin (DieOrigin, from its lower-left corner), and SampleCenterLocation, the
/// wafer's centre from the lower-left corner of die (0, 0). A defect lies at XINDEX·pitch + DieOrigin
/// + XREL − SampleCenterLocation from the wafer's centre. The grid holds the dies of the
/// SampleTestPlan and every die a defect names (dies at the wafer's edge included); a record's die
/// is the grid's (column from the left, row from the top) and its xRelUm/yRelUm are from the die's
/// lower-left corner, as for our own defects.
/// Classes: a ClassLookup name that is one of ours ("Particle Bright", "particle-bright") becomes
/// that class; any other is Unknown, and `classNames` keeps the file's own name for each defect.
/// Errors: a file without SampleSize, DiePitch or SampleCenterLocation, or whose DefectRecordSpec
/// lacks XREL, YREL, XINDEX or YINDEX, cannot be drawn: KlarfReadError naming the record or column
/// (at the line of the file's first defect, or 0). A die plan the grid refuses: the same, with its
/// reason.
/// Threads: a value; toKlarfWafer() is stateless. Allocates: the grid and the records.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <waferscope/core/die_grid.h>
#include <waferscope/core/persistence/defect_record.h>
#include <waferscope/core/results/klarf_file.h>

namespace waferscope::core {

struct KlarfWafer {
    std::string lotId;
    std::string waferId;            ///< as the file writes it (may hold characters ours may not)
    std::optional<int> slot;
    std::string station;            ///< InspectionStationID's values joined by a space
    std::string resultTimestamp;
    std::string deviceId;           ///< empty when the file has none
    std::string notch;              ///< OrientationMarkLocation: DOWN, UP, LEFT, RIGHT, or empty
    DieGrid grid;
    std::vector<DefectRecord> defects;   ///< file order; waferId: recordWaferId
    std::vector<std::string> classNames; ///< per defect, the file's class name ("class 7" when unnamed)
    WaferId recordWaferId;               ///< the file's wafer id when it is a valid WaferId, else "KLARF"
};

/// Builds the wafer of `file`, read from `source` (named in errors). Throws KlarfReadError.
[[nodiscard]] KlarfWafer toKlarfWafer(const KlarfFile &file, const std::filesystem::path &source);

} // namespace waferscope::core
