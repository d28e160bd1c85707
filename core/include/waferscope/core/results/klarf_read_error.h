#pragma once

/// KlarfReadError: a KLARF file could not be read. It names the file, the line (1 and up; 0 when
/// the file could not be opened) and what is wrong there:
/// "cannot read KLARF bad.klarf, line 29: the defect row has 18 values; DefectRecordSpec's 17 columns take 17".
/// Threads: a value. Allocates: its text.

#include <filesystem>
#include <stdexcept>
#include <string>

namespace waferscope::core {

class KlarfReadError : public std::runtime_error
{
public:
    KlarfReadError(std::filesystem::path file, int line, std::string reason);

    [[nodiscard]] const std::filesystem::path &file() const noexcept { return m_file; }
    [[nodiscard]] int line() const noexcept { return m_line; }
    [[nodiscard]] const std::string &reason() const noexcept { return m_reason; }

private:
    std::filesystem::path m_file;
    int m_line = 0;
    std::string m_reason;
};

} // namespace waferscope::core
