#pragma once

/// KlarfReader: reads a KLARF file (versions 1.1 and 1.2, one wafer) written by any tool into a
/// KlarfFile.
/// Syntax: records are a keyword and values separated by white space (LF or CRLF line ends), quoted
/// strings are one value, and each record ends with ';'; the file ends with "EndOfFile;". Lists
/// (ClassLookup, SampleTestPlan, DefectRecordSpec, SummarySpec) give their length first; DefectList
/// holds one row per defect with the columns DefectRecordSpec declares, IMAGELIST being a count and
/// that many (image number, image type) pairs. A row may wrap over lines, but a line holds at most
/// one row.
/// Errors: anything else — a record without its ';', a list of another length than it says, a row
/// with more or fewer values than its columns take, a value that is not the number its column or
/// record needs, a file without "EndOfFile;", text after it, a second wafer — throws KlarfReadError
/// naming the file, the line and the reason. Unknown records and columns are not errors: they are
/// kept.
/// Threads: stateless; any thread may call it. Allocates: the file's text and the KlarfFile.

#include <filesystem>
#include <string>
#include <string_view>

#include <waferscope/core/results/klarf_file.h>

namespace waferscope::core {

class KlarfReader
{
public:
    /// Reads `file`. Throws KlarfReadError (line 0 when it cannot be opened).
    [[nodiscard]] static KlarfFile read(const std::filesystem::path &file);
    /// Reads KLARF `text`; errors name `source` as the file.
    [[nodiscard]] static KlarfFile parse(std::string_view text, const std::filesystem::path &source);
};

} // namespace waferscope::core
