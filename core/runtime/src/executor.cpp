#include <waferscope/runtime/executor.h>

#include <string>

#include <waferscope/runtime/errors.h>

namespace waferscope::runtime {

namespace {
thread_local Executor *t_current = nullptr;
} // namespace

Executor *Executor::current() noexcept
{
    return t_current;
}

void Executor::addTimer(TimerNode & /*timer*/)
{
    throw MisuseError("executor '" + std::string(name()) + "' has no timers: sleep or tick on a ThreadExecutor");
}

void Executor::cancelTimer(TimerNode & /*timer*/) noexcept
{
}

Executor::CurrentScope::CurrentScope(Executor *executor) noexcept
    : m_previous(t_current)
{
    t_current = executor;
}

Executor::CurrentScope::~CurrentScope()
{
    t_current = m_previous;
}

} // namespace waferscope::runtime
