#pragma once

/// LoginThrottle: slows down guessing at the login. After Options::freeTries wrong passwords in a row
/// for one user name, that name is locked: the next try is refused without checking, for a delay that
/// starts at firstDelay and doubles with each wrong try after it, up to maxDelay. A right password
/// clears the name's count. Names are compared exactly as typed (after trimming by the caller).
/// Time: passed in with each call (steady clock), so tests need no waiting.
/// Threads: not thread-safe; one owner (the session view model, on the GUI thread).
/// Allocates: one entry per name that failed.

#include <chrono>
#include <map>
#include <string>
#include <string_view>

namespace waferscope::core {

class LoginThrottle
{
public:
    using Clock = std::chrono::steady_clock;

    struct Options {
        int freeTries = 5;
        std::chrono::seconds firstDelay{30};
        std::chrono::seconds maxDelay{15 * 60};
    };

    LoginThrottle() = default;
    explicit LoginThrottle(Options options);

    /// How long `user` stays locked from `now`; zero when a try may be made.
    [[nodiscard]] Clock::duration lockedFor(std::string_view user, Clock::time_point now) const;
    /// A wrong password for `user` at `now`; returns how long the name is now locked (zero while
    /// tries are left).
    Clock::duration failed(std::string_view user, Clock::time_point now);
    /// A right password: the name's count starts over.
    void succeeded(std::string_view user);
    /// Wrong tries in a row for `user`.
    [[nodiscard]] int failures(std::string_view user) const;

private:
    struct Entry {
        int failures = 0;
        Clock::time_point lockedUntil{};
    };

    Options m_options;
    std::map<std::string, Entry, std::less<>> m_entries;
};

} // namespace waferscope::core
