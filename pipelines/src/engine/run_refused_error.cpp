#include <waferscope/pipelines/engine/run_refused_error.h>

#include <utility>

namespace waferscope::pipelines {

RunRefusedError::RunRefusedError(std::string reason)
    : std::runtime_error("the run was refused: " + reason)
    , m_reason(std::move(reason))
{
}

} // namespace waferscope::pipelines
