#include <waferscope/core/results/klarf_write_error.h>

#include <utility>

namespace waferscope::core {

KlarfWriteError::KlarfWriteError(std::filesystem::path file, std::string problem)
    : std::runtime_error("cannot write KLARF " + file.string() + ": " + problem)
    , m_file(std::move(file))
    , m_problem(std::move(problem))
{
}

} // namespace waferscope::core
