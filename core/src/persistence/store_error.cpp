#include <waferscope/core/persistence/store_error.h>

#include <utility>

namespace waferscope::core {

StoreError::StoreError(std::filesystem::path file, std::string action, std::string problem, bool isDamage)
    : std::runtime_error("store " + file.string() + ": cannot " + action + ": " + problem)
    , m_file(std::move(file))
    , m_action(std::move(action))
    , m_problem(std::move(problem))
    , m_isDamage(isDamage)
{
}

} // namespace waferscope::core
