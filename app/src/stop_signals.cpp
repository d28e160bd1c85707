#include "stop_signals.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace waferscope::app {

namespace {

constexpr std::array kStopSignals{SIGTERM, SIGINT, SIGHUP};

// Written by the handler, read by the GUI thread; the pipe is made before the handlers are set.
int g_pipe[2] = {-1, -1};
volatile sig_atomic_t g_count = 0;

extern "C" void onStopSignal(int signalNumber)
{
    if (g_count > 0) {
        _exit(128 + signalNumber); // async-signal-safe; the operator asked twice
    }
    g_count = 1;
    const int saved = errno;
    const unsigned char byte = static_cast<unsigned char>(signalNumber);
    [[maybe_unused]] const ssize_t written = ::write(g_pipe[1], &byte, 1);
    errno = saved;
}

} // namespace

StopSignals::StopSignals(QObject *parent)
    : QObject(parent)
{
    if (g_pipe[0] >= 0) {
        throw std::logic_error("StopSignals: only one instance at a time");
    }
    if (::pipe2(g_pipe, O_CLOEXEC | O_NONBLOCK) != 0) {
        throw std::runtime_error(std::string("cannot make the stop-signal pipe: ") + std::strerror(errno));
    }
    g_count = 0;
    m_notifier = std::make_unique<QSocketNotifier>(g_pipe[0], QSocketNotifier::Read);
    connect(m_notifier.get(), &QSocketNotifier::activated, this, &StopSignals::readPipe);
    struct sigaction action {};
    action.sa_handler = onStopSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    for (const int signalNumber : kStopSignals) {
        if (::sigaction(signalNumber, &action, nullptr) != 0) {
            throw std::runtime_error("cannot handle " + nameOf(signalNumber) + ": " + std::strerror(errno));
        }
    }
}

StopSignals::~StopSignals()
{
    struct sigaction action {};
    action.sa_handler = SIG_DFL;
    sigemptyset(&action.sa_mask);
    for (const int signalNumber : kStopSignals) {
        ::sigaction(signalNumber, &action, nullptr);
    }
    m_notifier.reset();
    ::close(g_pipe[0]);
    ::close(g_pipe[1]);
    g_pipe[0] = g_pipe[1] = -1;
}

std::string StopSignals::nameOf(int signalNumber)
{
    switch (signalNumber) {
    case SIGTERM:
        return "SIGTERM";
    case SIGINT:
        return "SIGINT";
    case SIGHUP:
        return "SIGHUP";
    default:
        return "signal " + std::to_string(signalNumber);
    }
}

void StopSignals::readPipe()
{
    unsigned char byte = 0;
    // Bounded: the pipe holds at most the one byte the first signal wrote (a second one exits).
    for (int i = 0; i < 16 && ::read(g_pipe[0], &byte, 1) == 1; ++i) {
        if (m_received == 0) {
            m_received = byte;
            Q_EMIT stopRequested(byte);
        }
    }
}

} // namespace waferscope::app
