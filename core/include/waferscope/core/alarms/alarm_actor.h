#pragma once

/// AlarmActor: who issued a command on an alarm — a user name and the role they acted in
/// ("technician"). The alarm model rejects a command whose actor lacks either.
/// Threads: a value. Allocates: its strings.

#include <string>

namespace waferscope::core {

struct AlarmActor {
    std::string userName;
    std::string role;

    friend bool operator==(const AlarmActor &, const AlarmActor &) = default;
};

} // namespace waferscope::core
