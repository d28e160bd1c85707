#include <waferscope/hardware/sim/fault_spec_error.h>

namespace waferscope::hardware::sim {

FaultSpecError::FaultSpecError(std::string spec, std::string key, std::string problem)
    : std::invalid_argument("fault spec '" + spec + "': " + key + ": " + problem)
    , m_spec(std::move(spec))
    , m_key(std::move(key))
    , m_problem(std::move(problem))
{
}

} // namespace waferscope::hardware::sim
