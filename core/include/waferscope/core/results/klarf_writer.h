#pragma once

/// KlarfWriter: writes one wafer's inspection result as a KLARF 1.2 file, the text format defect
/// review and yield tools read, with its defect images as a multi-page TIFF beside it.
/// Content: the header records (FileVersion 1 2, FileTimestamp, TiffSpec when there are images …
/// DeviceID … Slot, TiffFileName when there are images, SampleCenterLocation), ClassLookup,
/// InspectionTest 1, SampleTestPlan (one die a line), AreaPerTest, DefectRecordSpec 17 with one
/// DefectList line per defect, SummarySpec 5 with one SummaryList line, and EndOfFile; every record
/// ends with ';', and every list entry (class, die, defect) is a line of its own that starts with a
/// space, as public KLARF readers expect.
/// Units: lengths in µm and areas in µm², header lengths in exponent form ("1.000000e+04"),
/// DEFDENSITY in defects per cm² of inspected die area, timestamps "MM-DD-YY HH:MM:SS" in UTC. The
/// text is the same whatever the process locale.
/// Coordinates: XINDEX is the die's column and YINDEX counts rows up from the grid's bottom row, as
/// KLARF's y axis points up; die (0,0) is the lower-left cell of the grid's bounding box, DieOrigin
/// is 0 0, and SampleCenterLocation is the wafer centre measured from die (0,0)'s lower-left corner.
/// Columns: the 17 of the usual KLARF 1.2 defect record. DSIZE is the larger side of the bounding
/// box; CLUSTERNUMBER, FINEBINNUMBER and REVIEWSAMPLE are 0 (no clustering, no fine bins, no review
/// selection); ROUGHBINNUMBER repeats the class number; IMAGECOUNT is the number n of the defect's
/// images and IMAGELIST is n followed by n pairs (image number, image type 0). Image numbers count
/// the TIFF's pages from 1, in defect order: page k holds the k-th image of the file.
/// Images: a defect's images are its staged crop PNG files (WaferResult::Defect::images); write()
/// reads each and stores it as one 8-bit grey page (uncompressed, TIFF 6.0: "TiffSpec 6.0 G R") of
/// the TIFF tiffFileOf(file). A wafer without images has no TiffSpec, TiffFileName or TIFF.
/// Validation: format() and write() throw ValidationError (subject "KLARF for wafer <id>") naming
/// every unusable field ("defects[3].classNumber") before anything is written.
/// Atomic: write() writes the TIFF and the KLARF under temporary names beside their targets, flushes
/// and syncs both, then renames the TIFF and then the KLARF over their targets, so a reader that
/// sees the KLARF finds its TIFF. A failure (disk full, read-only folder, a crop that is missing or
/// not an image) throws KlarfWriteError naming the file, removes the temporaries, and leaves both
/// targets as they were — except when the very last step, the KLARF's rename, fails after the
/// TIFF's: then the new TIFF is removed too, so no TIFF stands without its KLARF. The KLARF's temporary file is unnamed where the file system allows it
/// (Linux O_TMPFILE); the TIFF's, and the KLARF's elsewhere, are "<target>.XXXXXX" (six letters or
/// digits), which a crash can leave behind and removeStrayTemporaries() clears at start-up.
/// Threads: stateless; any thread may call it. Allocates: the text, and one crop's pixels at a time.

#include <cstddef>
#include <filesystem>
#include <string>

#include <waferscope/core/results/wafer_result.h>

namespace waferscope::core {

class KlarfWriter
{
public:
    /// The KLARF text of `result`, its images numbered as pages of the TIFF `tiffFileName` (a file
    /// name beside the KLARF, no folder). A result with images needs a non-empty `tiffFileName`.
    [[nodiscard]] static std::string format(const WaferResult &result, const std::string &tiffFileName = {});
    /// Writes format(result) to `file` and, when any defect has images, their TIFF to
    /// tiffFileOf(file), atomically.
    static void write(const WaferResult &result, const std::filesystem::path &file);
    /// The TIFF beside a KLARF file: the same name with the extension ".tif".
    [[nodiscard]] static std::filesystem::path tiffFileOf(const std::filesystem::path &klarfFile);
    /// Deletes the temporary files an interrupted write() left under `folder` (recursively): names
    /// "<name>.klarf.XXXXXX" and "<name>.tif.XXXXXX". Returns how many; a folder that does not exist has none.
    static std::size_t removeStrayTemporaries(const std::filesystem::path &folder);
};

} // namespace waferscope::core
