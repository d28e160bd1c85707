#pragma once

/// The runtime's exception family. Each names a different kind of failure, so a catch site can tell
/// a programming error (a misuse: fix the code) from an expected end (a closed channel, a cancelled
/// wait: handle it and move on).

#include <stdexcept>
#include <string>

namespace waferscope::runtime {

/// A value task, completion source or pool was used against its contract: awaited twice, awaited
/// after its source moved on to another operation, completed twice, returned twice, read through a
/// stale view. Thrown in every build type; the operation it guards never yields a stale result.
class MisuseError : public std::logic_error
{
public:
    explicit MisuseError(const std::string &what)
        : std::logic_error(what)
    {
    }
};

/// A wait ended because its stop token was triggered or its executor shut down.
class OperationCancelled : public std::runtime_error
{
public:
    explicit OperationCancelled(const std::string &what)
        : std::runtime_error(what)
    {
    }
};

/// A channel was completed: writes are refused, and a read after the last item sees this.
class ChannelClosed : public std::runtime_error
{
public:
    explicit ChannelClosed(const std::string &what)
        : std::runtime_error(what)
    {
    }
};

} // namespace waferscope::runtime
