#include <waferscope/runtime/qt/ui_marshal_driver.h>

#include <cstdio>
#include <cstdlib>

#include <QMetaObject>
#include <QThread>

#include <waferscope/runtime/errors.h>

namespace waferscope::runtime::qt {

UiMarshalDriver::UiMarshalDriver(DrainCallback drain, std::chrono::milliseconds minimumInterval, QObject *parent)
    : QObject(parent)
    , m_drain(std::move(drain))
    , m_minimumInterval(minimumInterval)
    , m_timer(this)
{
    m_timer.setSingleShot(true);
    // A coarse timer may fire up to 5 % early; a precise one never fires before its deadline, which
    // is what keeps drains an interval apart.
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &UiMarshalDriver::drainNow);
}

UiMarshalDriver::~UiMarshalDriver() = default;

void UiMarshalDriver::requestDrain()
{
    // acq_rel: the release publishes what the requester wrote before asking (the items) to the
    // drain, whose acquire exchange in drainNow() reads this value or a later one.
    if (m_isRequestOutstanding.exchange(true, std::memory_order_acq_rel)) {
        return;
    }
    m_posts.add();
    // By name rather than by member pointer: the queued call is then built, counted and freed
    // inside QtCore. A slot object compiled into this (instrumented) library would be freed by
    // whichever thread drops the last reference, through reference counting that ThreadSanitizer
    // cannot see in the uninstrumented QtCore, and be reported as a race.
    if (!QMetaObject::invokeMethod(this, "onDrainRequested", Qt::QueuedConnection)) {
        std::fprintf(stderr, "UiMarshalDriver: the queued drain call could not be posted\n");
        std::abort();
    }
}

void UiMarshalDriver::onDrainRequested()
{
    if (m_timer.isActive()) {
        return;
    }
    const auto now = std::chrono::steady_clock::now();
    const auto due = m_lastDrain + m_minimumInterval;
    if (m_hasDrained && now < due) {
        // Rounded up: a deadline a fraction of a millisecond early would break the interval.
        m_timer.start(std::chrono::ceil<std::chrono::milliseconds>(due - now));
        return;
    }
    drainNow();
}

void UiMarshalDriver::drainNow()
{
    if (QThread::currentThread() != thread()) {
        throw MisuseError("UiMarshalDriver::drainNow() called off the driver's thread");
    }
    m_timer.stop();
    // Cleared before the callback runs: a request that arrives while it runs posts again, so an
    // item published after the callback took its batch is never left waiting for a wake.
    static_cast<void>(m_isRequestOutstanding.exchange(false, std::memory_order_acq_rel));
    m_lastDrain = std::chrono::steady_clock::now();
    m_hasDrained = true;
    m_drains.add();
    if (m_drain) {
        m_drain();
    }
}

} // namespace waferscope::runtime::qt
