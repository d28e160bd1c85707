#pragma once

/// KlarfWriteError: a KLARF file could not be written to disk. It names the file and what the
/// system said: "cannot write KLARF /data/LOT1-07.klarf: No space left on device". The target is
/// as it was before the attempt, and no temporary file is left behind.
/// Threads: a value. Allocates: its text.

#include <filesystem>
#include <stdexcept>
#include <string>

namespace waferscope::core {

class KlarfWriteError : public std::runtime_error
{
public:
    KlarfWriteError(std::filesystem::path file, std::string problem);

    [[nodiscard]] const std::filesystem::path &file() const noexcept { return m_file; }
    [[nodiscard]] const std::string &problem() const noexcept { return m_problem; }

private:
    std::filesystem::path m_file;
    std::string m_problem;
};

} // namespace waferscope::core
