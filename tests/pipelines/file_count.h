#pragma once

// Private to the pipelines tests that start the program: how many files with an extension a
// folder holds, its subfolders included (a missing folder holds none).

#include <cstddef>
#include <filesystem>
#include <string_view>
#include <system_error>

namespace waferscope::testing {

inline std::size_t countFiles(const std::filesystem::path &folder, std::string_view extension)
{
    std::size_t count = 0;
    std::error_code ec;
    for (auto it = std::filesystem::recursive_directory_iterator(folder, ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
        count += it->is_regular_file(ec) && it->path().extension() == extension ? 1 : 0;
    }
    return count;
}

} // namespace waferscope::testing
