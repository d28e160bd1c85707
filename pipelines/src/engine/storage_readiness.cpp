#include <waferscope/pipelines/engine/storage_readiness.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <system_error>

namespace waferscope::pipelines {

namespace {

constexpr std::uintmax_t kMiB = 1024 * 1024;

std::string systemError(int error)
{
    return std::error_code(error, std::generic_category()).message();
}

} // namespace

std::string StorageReadiness::writableReason(const std::filesystem::path &folder)
{
    std::error_code error;
    std::filesystem::create_directories(folder, error);
    if (error) {
        return "the folder " + folder.string() + " cannot be created: " + error.message();
    }
    const std::filesystem::path probe = folder / (".ready-" + std::to_string(::getpid()));
    const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        return "the folder " + folder.string() + " cannot be written: " + systemError(errno);
    }
    // One block written (the file systems we run on take its blocks at write time, so a full disk
    // refuses it here); not synced, which would cost the run's start a disk flush per folder.
    const std::array<char, 4096> block{};
    const ssize_t written = ::write(fd, block.data(), block.size());
    const int writeError = errno;
    ::close(fd);
    ::unlink(probe.c_str());
    if (written != static_cast<ssize_t>(block.size())) {
        return "the folder " + folder.string() + " cannot be written: " +
               (written < 0 ? systemError(writeError) : std::string("a short write"));
    }
    return {};
}

std::string StorageReadiness::reason(const Folders &folders, std::int64_t minimumFreeMb, const FreeBytes &freeBytes)
{
    std::optional<std::uintmax_t> available;
    if (freeBytes) {
        available = freeBytes(folders.data);
    } else {
        std::error_code error;
        const std::filesystem::space_info space = std::filesystem::space(folders.data, error);
        if (!error) {
            available = space.available;
        }
    }
    if (!available) {
        return "the free space in the data folder " + folders.data.string() + " cannot be read";
    }
    const auto minimum = static_cast<std::uintmax_t>(std::max<std::int64_t>(minimumFreeMb, 0)) * kMiB;
    if (*available < minimum) {
        return "the data folder " + folders.data.string() + " has " + std::to_string(*available / kMiB) +
               " MB free, less than the recipe's minimum of " + std::to_string(minimumFreeMb) +
               " MB (alarms.diskSpaceMinimumMb)";
    }
    for (const std::filesystem::path &folder : {folders.data, folders.klarf, folders.staging}) {
        if (std::string why = writableReason(folder); !why.empty()) {
            return why;
        }
    }
    return {};
}

} // namespace waferscope::pipelines
