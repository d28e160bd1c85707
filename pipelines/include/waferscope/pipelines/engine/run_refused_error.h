#pragma once

/// RunRefusedError: InspectionEngine::runLot() refused to start a run because what the run needs is
/// not ready — the database cannot be written, the data folder has less free space than the recipe's
/// minimum, a folder cannot be written. Nothing of the run was made: no run id stored, no file.
/// what() reads "the run was refused: <reason>"; reason() is the reason alone.
/// Threads: a value. Allocates: its text.

#include <stdexcept>
#include <string>

namespace waferscope::pipelines {

class RunRefusedError : public std::runtime_error
{
public:
    explicit RunRefusedError(std::string reason);

    [[nodiscard]] const std::string &reason() const noexcept { return m_reason; }

private:
    std::string m_reason;
};

} // namespace waferscope::pipelines
