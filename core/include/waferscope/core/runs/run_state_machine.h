#pragma once

/// RunStateMachine: the life of one inspection run over a lot of wafers, scanned one after another.
/// States: Idle → Checking → Running ⇄ Paused → Completed | Aborted | Failed.
///   start:          Idle → Checking, on the first wafer
///   checksPassed:   Checking → Running
///   checksFailed:   Checking → Failed
///   pause:          Running → Paused;  resume: Paused → Running, on the same wafer
///   waferCompleted: Running → Checking on the next wafer, or → Completed after the last one
///   abort:          Checking | Running | Paused → Aborted
///   fail:           Checking | Running | Paused → Failed
/// Every wafer is checked before it is scanned, since each one is loaded and clamped anew.
/// Reasons: every transition carries a reason; pause, abort, fail and checksFailed take the caller's,
/// which must not be empty, and the others describe themselves ("wafer W-02 completed (2 of 3)").
/// Errors: a command the current state does not accept throws RunCommandError naming the state and
/// the command; bad arguments throw ValidationError. Either way nothing changes.
/// One run: once Completed, Aborted or Failed the machine accepts nothing; the next run is a new machine.
/// Time: passed in with each command, stored as given; the machine reads no clock and keeps every
/// transition in history().
/// Threads: not thread-safe; one owner calls it. Allocates: the history and the reasons.

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include <waferscope/core/runs/run_command.h>
#include <waferscope/core/runs/run_state.h>
#include <waferscope/core/runs/run_transition.h>
#include <waferscope/core/wafer_id.h>

namespace waferscope::core {

class RunStateMachine
{
public:
    using Time = RunTransition::Time;

    RunStateMachine() = default;

    /// Throws ValidationError (subject "run start") for an empty recipe name, a lot id that breaks
    /// LotId's rule, an empty wafer list, or an empty or repeated wafer id.
    void start(std::string recipeName, std::string lotId, std::vector<WaferId> waferIds, Time now);
    void checksPassed(Time now);
    void checksFailed(std::string reason, Time now);
    void pause(std::string reason, Time now);
    void resume(Time now);
    void abort(std::string reason, Time now);
    void waferCompleted(Time now);
    void fail(std::string reason, Time now);

    [[nodiscard]] RunState state() const noexcept { return m_state; }
    [[nodiscard]] bool isFinal() const noexcept { return core::isFinal(m_state); }
    /// Whether `command` would be accepted now (start's and the reasons' arguments aside), so a UI
    /// can enable only the buttons that work.
    [[nodiscard]] bool accepts(RunCommand command) const noexcept;

    [[nodiscard]] const std::string &recipeName() const noexcept { return m_recipeName; }
    [[nodiscard]] const std::string &lotId() const noexcept { return m_lotId; }
    [[nodiscard]] std::span<const WaferId> waferIds() const noexcept { return m_waferIds; }
    [[nodiscard]] std::size_t waferCount() const noexcept { return m_waferIds.size(); }
    /// The wafer being checked or scanned, 0-based (k of n is currentWaferIndex() + 1 of waferCount());
    /// after the run ends, the wafer it ended on.
    [[nodiscard]] std::size_t currentWaferIndex() const noexcept { return m_waferIndex; }
    /// The id of the current wafer; empty before start.
    [[nodiscard]] WaferId currentWafer() const noexcept;
    [[nodiscard]] std::size_t completedWaferCount() const noexcept { return m_completedWafers; }
    /// Every transition so far, oldest first.
    [[nodiscard]] std::span<const RunTransition> history() const noexcept { return m_history; }

private:
    /// Throws RunCommandError unless the current state accepts `command`.
    void require(RunCommand command) const;
    /// Precondition: `to` is the target of `command` from the current state.
    void enter(RunState to, RunCommand command, std::string reason, Time now);
    /// "wafer W-02 (2 of 3)".
    [[nodiscard]] std::string waferText() const;

    RunState m_state = RunState::Idle;
    std::string m_recipeName;
    std::string m_lotId;
    std::vector<WaferId> m_waferIds;
    std::size_t m_waferIndex = 0;
    std::size_t m_completedWafers = 0;
    std::vector<RunTransition> m_history;
};

} // namespace waferscope::core
