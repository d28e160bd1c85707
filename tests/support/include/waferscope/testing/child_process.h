#pragma once

/// runInChild(body): runs `body` in a forked child process with its stderr captured, and reports
/// how the child ended. For tests of what must abort (a destructor's "no waiters left" check) and
/// of what must not crash (a use-after-free the runtime promises cannot happen), so neither takes
/// the test process down. The child ends with _exit(body()) — no destructors, no atexit handlers.
/// Bounded: a child still running after `timeoutMs` is killed and reported as timed out. A child
/// expected to hang is ended as soon as its stderr contains `killWhenSeen` (killedOnCue).
/// Threads: fork the test's main thread only while no other thread of the test is running.

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <string>

#include <poll.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

namespace waferscope::testing {

struct ChildOutcome {
    bool exited = false;  ///< ended by _exit/exit; exitCode is valid
    int exitCode = -1;
    bool aborted = false; ///< ended by SIGABRT (std::abort, std::terminate)
    int signal = 0;       ///< the signal that ended it, if any
    bool timedOut = false;
    bool killedOnCue = false; ///< killed after writing the awaited text
    std::string errors;   ///< what it wrote to stderr

    [[nodiscard]] bool exitedCleanly() const noexcept { return exited && exitCode == 0; }
    [[nodiscard]] std::string describe() const
    {
        std::string how = timedOut  ? "timed out"
                          : exited  ? "exited with " + std::to_string(exitCode)
                                    : "killed by signal " + std::to_string(signal);
        return how + "; stderr: " + errors;
    }
};

/// `body` returns the child's exit code (0: everything it checked held).
template<typename Body>
ChildOutcome runInChild(Body body, int timeoutMs = 60'000, const std::string &killWhenSeen = {})
{
    ChildOutcome outcome;
    int fds[2] = {-1, -1};
    if (::pipe(fds) != 0) {
        outcome.errors = "pipe() failed";
        return outcome;
    }
    std::fflush(stdout);
    std::fflush(stderr);
    const pid_t child = ::fork();
    if (child < 0) {
        outcome.errors = "fork() failed";
        return outcome;
    }
    if (child == 0) {
        ::close(fds[0]);
        ::dup2(fds[1], STDERR_FILENO);
        int code = 0;
        try {
            code = body();
        } catch (...) {
            std::fputs("runInChild: the body threw\n", stderr);
            code = 125;
        }
        std::fflush(stderr);
        ::_exit(code);
    }
    ::close(fds[1]);
    timespec start{};
    ::clock_gettime(CLOCK_MONOTONIC, &start);
    const auto elapsedMs = [&start] {
        timespec now{};
        ::clock_gettime(CLOCK_MONOTONIC, &now);
        return (now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1'000'000;
    };
    char buffer[512];
    for (;;) {
        pollfd pfd{fds[0], POLLIN, 0};
        const long left = timeoutMs - elapsedMs();
        if (left <= 0) {
            outcome.timedOut = true;
            ::kill(child, SIGKILL);
            break;
        }
        const int ready = ::poll(&pfd, 1, static_cast<int>(left));
        if (ready < 0 && errno == EINTR) {
            continue;
        }
        if (ready <= 0) {
            continue; // the deadline check above ends the loop
        }
        const ssize_t n = ::read(fds[0], buffer, sizeof buffer);
        if (n <= 0) {
            break; // the child closed stderr: it has ended
        }
        outcome.errors.append(buffer, static_cast<std::size_t>(n));
        if (!killWhenSeen.empty() && outcome.errors.find(killWhenSeen) != std::string::npos) {
            outcome.killedOnCue = true;
            ::kill(child, SIGKILL);
            break;
        }
    }
    ::close(fds[0]);
    int status = 0;
    while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    if (WIFEXITED(status)) {
        outcome.exited = true;
        outcome.exitCode = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
        outcome.signal = WTERMSIG(status);
        outcome.aborted = outcome.signal == SIGABRT;
    }
    return outcome;
}

} // namespace waferscope::testing
