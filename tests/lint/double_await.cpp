// Fixture for lint/use_after_move: a ValueTask awaited twice must be flagged by clang-tidy's
// bugprone-use-after-move before it ever runs. Never compiled into a binary.
#include <waferscope/runtime/value_task.h>

using waferscope::runtime::ValueTask;

ValueTask<int> sumTwice(ValueTask<int> task)
{
    const int first = co_await std::move(task);
    const int second = co_await std::move(task); // the mistake this fixture plants
    co_return first + second;
}
