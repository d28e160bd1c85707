// Fixture for runtime/await_lvalue_does_not_compile: awaiting a named ValueTask without std::move
// must not compile. Never compiled into a binary by the build.
#include <waferscope/runtime/value_task.h>

using waferscope::runtime::ValueTask;

ValueTask<int> awaitNamed(ValueTask<int> task)
{
    co_return co_await task; // the mistake this fixture plants
}
