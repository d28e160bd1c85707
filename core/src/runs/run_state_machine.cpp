#include <waferscope/core/runs/run_state_machine.h>

#include <utility>

#include <waferscope/core/lot_id.h>
#include <waferscope/core/runs/run_command_error.h>
#include <waferscope/core/validation_error.h>

#include "run_rules.h"

namespace waferscope::core {

namespace {

void requireReason(RunCommand command, const std::string &reason)
{
    if (reason.empty()) {
        throw ValidationError("run command " + std::string(toText(command)),
                              {{"reason", "is empty; say why, for the run's history and audit"}});
    }
}

} // namespace

bool RunStateMachine::accepts(RunCommand command) const noexcept
{
    return detail::accepts(m_state, command);
}

WaferId RunStateMachine::currentWafer() const noexcept
{
    return m_waferIndex < m_waferIds.size() ? m_waferIds[m_waferIndex] : WaferId{};
}

void RunStateMachine::require(RunCommand command) const
{
    if (!accepts(command)) {
        throw RunCommandError(command, m_state);
    }
}

std::string RunStateMachine::waferText() const
{
    return "wafer " + std::string(currentWafer().text()) + " (" + std::to_string(m_waferIndex + 1) + " of " +
           std::to_string(m_waferIds.size()) + ")";
}

void RunStateMachine::enter(RunState to, RunCommand command, std::string reason, Time now)
{
    // History first: if recording throws, the state has not moved either.
    m_history.push_back({m_state, to, command, std::move(reason), now, m_waferIndex});
    m_state = to;
}

void RunStateMachine::start(std::string recipeName, std::string lotId, std::vector<WaferId> waferIds, Time now)
{
    require(RunCommand::Start);
    std::vector<ValidationError::Issue> issues;
    if (recipeName.empty()) {
        issues.push_back({"recipe name", "is empty"});
    }
    if (std::string problem = LotId::problemWith(lotId); !problem.empty()) {
        issues.push_back({"lot id", std::move(problem)});
    }
    if (waferIds.empty()) {
        issues.push_back({"wafer ids", "is empty; a run scans at least one wafer"});
    }
    for (std::size_t i = 0; i < waferIds.size(); ++i) {
        const std::string field = "wafer ids[" + std::to_string(i) + "]";
        if (waferIds[i].isEmpty()) {
            issues.push_back({field, "is empty"});
            continue;
        }
        for (std::size_t k = 0; k < i; ++k) {
            if (waferIds[k] == waferIds[i]) {
                issues.push_back({field, "'" + std::string(waferIds[i].text()) + "' is already wafer ids[" +
                                             std::to_string(k) + "]"});
                break;
            }
        }
    }
    if (!issues.empty()) {
        throw ValidationError("run start", std::move(issues));
    }

    std::string reason = "lot " + lotId + ", " + std::to_string(waferIds.size()) +
                         (waferIds.size() == 1 ? " wafer" : " wafers") + ", recipe " + recipeName;
    m_history.reserve(m_history.size() + 1);
    m_recipeName = std::move(recipeName);
    m_lotId = std::move(lotId);
    m_waferIds = std::move(waferIds);
    m_waferIndex = 0;
    enter(RunState::Checking, RunCommand::Start, std::move(reason), now);
}

void RunStateMachine::checksPassed(Time now)
{
    require(RunCommand::ChecksPassed);
    enter(RunState::Running, RunCommand::ChecksPassed, "checks passed for " + waferText(), now);
}

void RunStateMachine::checksFailed(std::string reason, Time now)
{
    require(RunCommand::ChecksFailed);
    requireReason(RunCommand::ChecksFailed, reason);
    enter(RunState::Failed, RunCommand::ChecksFailed, std::move(reason), now);
}

void RunStateMachine::pause(std::string reason, Time now)
{
    require(RunCommand::Pause);
    requireReason(RunCommand::Pause, reason);
    enter(RunState::Paused, RunCommand::Pause, std::move(reason), now);
}

void RunStateMachine::resume(Time now)
{
    require(RunCommand::Resume);
    enter(RunState::Running, RunCommand::Resume, "resumed " + waferText(), now);
}

void RunStateMachine::abort(std::string reason, Time now)
{
    require(RunCommand::Abort);
    requireReason(RunCommand::Abort, reason);
    enter(RunState::Aborted, RunCommand::Abort, std::move(reason), now);
}

void RunStateMachine::fail(std::string reason, Time now)
{
    require(RunCommand::Fail);
    requireReason(RunCommand::Fail, reason);
    enter(RunState::Failed, RunCommand::Fail, std::move(reason), now);
}

void RunStateMachine::waferCompleted(Time now)
{
    require(RunCommand::WaferCompleted);
    std::string reason = waferText() + " completed";
    const bool isLast = m_waferIndex + 1 == m_waferIds.size();
    if (isLast) {
        m_history.reserve(m_history.size() + 1);
        ++m_completedWafers;
        enter(RunState::Completed, RunCommand::WaferCompleted, std::move(reason), now);
        return;
    }
    // The transition records the wafer the run moves on to, as every other transition records the
    // wafer it leaves the run on.
    m_history.reserve(m_history.size() + 1);
    ++m_completedWafers;
    ++m_waferIndex;
    enter(RunState::Checking, RunCommand::WaferCompleted, std::move(reason), now);
}

} // namespace waferscope::core
