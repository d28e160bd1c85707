#pragma once

/// StorageReadiness: whether the folders a run writes to can take a run, checked before the run is
/// made. A run needs free space in the data folder above the recipe's disk-space minimum (read with
/// std::filesystem::space on the folder itself, or from the given function), and the data, KLARF and
/// staging folders writable (a file is created, a block written, and removed in each). The database
/// is checked separately, by the persistence writer that owns it.
/// reason() gives the first thing that is not ready, in words an operator can act on, or nothing.
/// Threads: any; it only reads and writes the file system. Allocates: its paths and text.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

namespace waferscope::pipelines {

class StorageReadiness
{
public:
    /// Free bytes in a folder; nullopt when they cannot be read.
    using FreeBytes = std::function<std::optional<std::uintmax_t>(const std::filesystem::path &folder)>;

    struct Folders {
        std::filesystem::path data;
        std::filesystem::path klarf;
        std::filesystem::path staging;
    };

    /// Empty when the folders are ready for a run whose recipe needs `minimumFreeMb` free; else why
    /// not. `freeBytes` empty: std::filesystem::space.
    [[nodiscard]] static std::string reason(const Folders &folders, std::int64_t minimumFreeMb,
                                            const FreeBytes &freeBytes = {});
    /// Empty when a file can be created, written and removed in `folder`; else why not.
    [[nodiscard]] static std::string writableReason(const std::filesystem::path &folder);
};

} // namespace waferscope::pipelines
