#pragma once

/// asTask(valueTask): converts a ValueTask into a QCoro::Task — the facade's boundary conversion,
/// and the way to share a result, await it more than once or compose it with other Qt coroutines.
/// The returned task resumes its awaiter on the thread's QtExecutor (create one on the GUI thread
/// before the first call). Allocates: one QCoro::Task frame, like any QCoro coroutine call.

#include <utility>

#include <QCoroTask>

#include <waferscope/runtime/value_task.h>

namespace waferscope::runtime::qt {

template<typename T>
QCoro::Task<T> asTask(ValueTask<T> task)
{
    if constexpr (std::is_void_v<T>) {
        co_await std::move(task);
    } else {
        co_return co_await std::move(task);
    }
}

} // namespace waferscope::runtime::qt
