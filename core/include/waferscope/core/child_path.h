#pragma once

/// childPath: the one way Waferscope names a file or folder under its data folder from parts that
/// came from outside (lot, wafer and run ids, recipe names): each part becomes exactly one folder
/// level, so no part can climb out of the root or reach across to another folder.
/// Errors: ValidationError (field "path") for a part that is empty, "." or "..", holds a '/', a '\'
/// or a NUL, or for a result that does not stay under `root` once normalised.
/// Threads: a function. Allocates: the path.

#include <filesystem>
#include <initializer_list>
#include <string_view>

namespace waferscope::core {

[[nodiscard]] std::filesystem::path childPath(const std::filesystem::path &root,
                                              std::initializer_list<std::string_view> parts);

} // namespace waferscope::core
