#pragma once

/// KlarfWriter: writes one wafer's inspection result as a KLARF 1.2 file, the text format defect
/// review and yield tools read.
/// Content: the header records (FileVersion 1 2 … SampleCenterLocation), ClassLookup, InspectionTest 1,
/// SampleTestPlan, AreaPerTest, DefectRecordSpec 17 with one DefectList line per defect,
/// SummarySpec 5 with one SummaryList line, and EndOfFile; every record ends with ';'.
/// Units: lengths in µm and areas in µm², header lengths in exponent form ("1.000000e+04"),
/// DEFDENSITY in defects per cm² of inspected die area, timestamps "MM-DD-YY HH:MM:SS" in UTC. The
/// text is the same whatever the process locale.
/// Coordinates: XINDEX is the die's column and YINDEX counts rows up from the grid's bottom row, as
/// KLARF's y axis points up; die (0,0) is the lower-left cell of the grid's bounding box, DieOrigin
/// is 0 0, and SampleCenterLocation is the wafer centre measured from die (0,0)'s lower-left corner.
/// Columns: the 17 of the usual KLARF 1.2 defect record. DSIZE is the larger side of the bounding
/// box; CLUSTERNUMBER, FINEBINNUMBER and REVIEWSAMPLE are 0 (no clustering, no fine bins, no review
/// selection); ROUGHBINNUMBER repeats the class number; IMAGELIST lists the IMAGECOUNT file names.
/// Validation: format() and write() throw ValidationError (subject "KLARF for wafer <id>") naming
/// every unusable field ("defects[3].classNumber") before anything is written.
/// Atomic: write() writes a temporary file beside the target, flushes and syncs it, then renames it
/// over the target, so the target is either as it was or complete. A failure throws KlarfWriteError
/// and removes the temporary file. The temporary file is unnamed where the file system allows it
/// (Linux O_TMPFILE), so a crash leaves nothing; elsewhere it is "<target>.XXXXXX" (six letters or
/// digits), which a crash can leave behind and removeStrayTemporaries() clears at start-up.
/// Threads: stateless; any thread may call it. Allocates: the text.

#include <cstddef>
#include <filesystem>
#include <string>

#include <waferscope/core/results/wafer_result.h>

namespace waferscope::core {

class KlarfWriter
{
public:
    /// The KLARF text of `result`.
    [[nodiscard]] static std::string format(const WaferResult &result);
    /// Writes format(result) to `file` atomically.
    static void write(const WaferResult &result, const std::filesystem::path &file);
    /// Deletes the temporary files an interrupted write() left under `folder` (recursively): names
    /// "<name>.klarf.XXXXXX". Returns how many; a folder that does not exist has none.
    static std::size_t removeStrayTemporaries(const std::filesystem::path &folder);
};

} // namespace waferscope::core
