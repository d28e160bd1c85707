#pragma once

// Do not include directly: include <waferscope/runtime/value_task.h> instead.

/// Out-of-line throwers for MisuseError, so the messages are written once and the hot inline paths
/// stay small.

#include <waferscope/runtime/value_task_source.h>

namespace waferscope::runtime::detail {

[[noreturn]] void throwAwaitedTwice();
[[noreturn]] void throwStaleToken(Token expected, Token actual);
[[noreturn]] void throwCompletedTwice(Token version);
[[noreturn]] void throwNotCompleted(Token version);
[[noreturn]] void throwStaleCompletion(Token token, Token current);
[[noreturn]] void throwResetWhileAwaited(Token version);

} // namespace waferscope::runtime::detail
