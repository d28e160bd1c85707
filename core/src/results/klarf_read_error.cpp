#include <waferscope/core/results/klarf_read_error.h>

#include <utility>

namespace waferscope::core {

namespace {

std::string describe(const std::filesystem::path &file, int line, const std::string &reason)
{
    std::string text = "cannot read KLARF " + file.string();
    if (line > 0) {
        text += ", line " + std::to_string(line);
    }
    return text + ": " + reason;
}

} // namespace

KlarfReadError::KlarfReadError(std::filesystem::path file, int line, std::string reason)
    : std::runtime_error(describe(file, line, reason))
    , m_file(std::move(file))
    , m_line(line)
    , m_reason(std::move(reason))
{
}

} // namespace waferscope::core
