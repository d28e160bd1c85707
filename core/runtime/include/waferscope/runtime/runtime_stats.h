#pragma once

/// RuntimeStats: the runtime's process-wide counts of failures that have no awaiter to reach, so
/// they are counted and reported (stderr) instead of vanishing:
/// - dropped_task_failures: a ValueTask coroutine ended with an exception after its ValueTask was
///   dropped unawaited;
/// - drop_callback_failures: a channel's item-dropped callback threw (the item still counts as
///   dropped, the channel goes on).
/// Construct one with the program's StatsRegistry to show them on the stats panels (kind "runtime").
/// Threads: the counts are relaxed atomics, bumped from any thread. Allocates: nothing to count.

#include <cstdint>
#include <exception>
#include <string_view>

#include <waferscope/runtime/stats_registry.h>

namespace waferscope::runtime {

class RuntimeStats final : private StatsProvider
{
public:
    explicit RuntimeStats(StatsRegistry &registry);
    RuntimeStats(const RuntimeStats &) = delete;
    RuntimeStats &operator=(const RuntimeStats &) = delete;
    ~RuntimeStats() override = default;

    [[nodiscard]] static std::uint64_t droppedTaskFailures() noexcept;
    [[nodiscard]] static std::uint64_t dropCallbackFailures() noexcept;

    /// Counts and reports the failure of a coroutine whose ValueTask was dropped. Never throws.
    static void reportDroppedTaskFailure(const std::exception_ptr &error) noexcept;
    /// Counts and reports an item-dropped callback of `channel` that threw. Never throws.
    static void reportDropCallbackFailure(std::string_view channel, const std::exception_ptr &error) noexcept;

private:
    void collect(MetricSink &sink) const override;

    StatsRegistration m_registration;
};

} // namespace waferscope::runtime
