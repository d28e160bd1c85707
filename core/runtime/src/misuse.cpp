#include <waferscope/runtime/detail/misuse.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include <waferscope/runtime/errors.h>
#include <waferscope/runtime/executor.h>
#include <waferscope/runtime/sleep_operation.h>
#include <waferscope/runtime/value_task.h>

namespace waferscope::runtime::detail {

void throwAwaitedTwice()
{
    throw MisuseError("ValueTask awaited twice: this task was already awaited or moved from. A value task "
                      "may be awaited once; convert it with asTask() to await its result more than once");
}

void throwStaleToken(Token expected, Token actual)
{
    throw MisuseError("ValueTask token " + std::to_string(expected) + " is stale: its source is now at version " +
                      std::to_string(actual) +
                      " (the operation was already consumed and the source recycled); no result is returned");
}

void throwCompletedTwice(Token version)
{
    throw MisuseError("completion source completed twice (operation version " + std::to_string(version) +
                      "): the second result is refused and the first is kept");
}

void throwNotCompleted(Token version)
{
    throw MisuseError("result of operation version " + std::to_string(version) +
                      " taken before it completed: await the ValueTask instead");
}

void throwStaleCompletion(Token token, Token current)
{
    throw MisuseError("completion of operation version " + std::to_string(token) +
                      " refused: the completion source has moved on to operation version " + std::to_string(current) +
                      " (a late or duplicate completion); the live operation is unchanged");
}

void throwResetWhileAwaited(Token version)
{
    throw MisuseError("completion source reset() while an awaiter is suspended on operation version " +
                      std::to_string(version) + ": it would never resume. Complete the operation first; nothing was changed");
}

void throwSleepCancelled(const Executor *executor)
{
    throw OperationCancelled("sleep cancelled: executor '" +
                             std::string(executor != nullptr ? executor->name() : "?") + "' is stopping");
}

void throwSleepStopped(const Executor *executor)
{
    throw OperationCancelled("sleep on executor '" + std::string(executor != nullptr ? executor->name() : "?") +
                             "' cancelled: its stop token was triggered");
}

void throwNoExecutor(const char *operation)
{
    throw MisuseError(std::string(operation) +
                      " needs an executor: await it from a coroutine running on a ThreadExecutor");
}

void abortPostToDestroyedExecutor(const void *executor) noexcept
{
    std::fprintf(stderr,
                 "runtime: a continuation was posted to an executor that has been destroyed (at %p): the coroutine "
                 "would resume into freed memory. An executor must outlive every coroutine that resumes on it\n",
                 executor);
    std::abort();
}

Token nextCoroutineToken() noexcept
{
    thread_local Token next = 1;
    return next++;
}

} // namespace waferscope::runtime::detail
