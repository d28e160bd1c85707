#include <waferscope/runtime/runtime_stats.h>

#include <cstdio>

#include <waferscope/runtime/counter.h>

namespace waferscope::runtime {

namespace {

Counter g_droppedTaskFailures;
Counter g_dropCallbackFailures;

/// Writes "<prefix>: <what>" to stderr. Precondition: `error` is not null.
void printFailure(const char *prefix, const std::exception_ptr &error) noexcept
{
    try {
        std::rethrow_exception(error);
    } catch (const std::exception &e) {
        std::fprintf(stderr, "%s: %s\n", prefix, e.what());
    } catch (...) {
        std::fprintf(stderr, "%s: a non-standard exception\n", prefix);
    }
}

} // namespace

RuntimeStats::RuntimeStats(StatsRegistry &registry)
    : m_registration(registry.add("runtime", "runtime", *this))
{
}

std::uint64_t RuntimeStats::droppedTaskFailures() noexcept
{
    return g_droppedTaskFailures.value();
}

std::uint64_t RuntimeStats::dropCallbackFailures() noexcept
{
    return g_dropCallbackFailures.value();
}

void RuntimeStats::reportDroppedTaskFailure(const std::exception_ptr &error) noexcept
{
    g_droppedTaskFailures.add();
    if (error) {
        printFailure("runtime: a value task failed after its ValueTask was dropped unawaited", error);
    }
}

void RuntimeStats::reportDropCallbackFailure(std::string_view channel, const std::exception_ptr &error) noexcept
{
    g_dropCallbackFailures.add();
    char prefix[200];
    std::snprintf(prefix, sizeof prefix, "channel '%.*s': the item-dropped callback threw (the item is counted as dropped)",
                  static_cast<int>(channel.size()), channel.data());
    if (error) {
        printFailure(prefix, error);
    }
}

void RuntimeStats::collect(MetricSink &sink) const
{
    sink.add("dropped_task_failures", g_droppedTaskFailures.value());
    sink.add("drop_callback_failures", g_dropCallbackFailures.value());
}

} // namespace waferscope::runtime
