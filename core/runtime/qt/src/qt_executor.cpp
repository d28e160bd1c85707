#include <waferscope/runtime/qt/qt_executor.h>

#include <atomic>
#include <coroutine>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include <QMetaObject>
#include <QThread>

namespace waferscope::runtime::qt {

namespace detail {

/// Receives resumptions on the executor's thread. Posted by slot name rather than with a functor:
/// a functor's slot object is reference-counted inside Qt, which ThreadSanitizer cannot see, so
/// its release on the posting thread would be reported as a race with the call on this one.
/// For the same reason the hand-off itself is made visible: Qt's event queue orders the post
/// before the call, but its locks are not instrumented, so ThreadSanitizer would report what the
/// poster did before posting (completing a result, reading the continuation) as racing with what
/// the resumed coroutine does (reading the result, destroying its frame).
class ResumeTarget : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;

    /// Release: everything the posting thread did before the post happens before resume() below.
    void published() noexcept { m_handOffs.fetch_add(1, std::memory_order_release); }

public Q_SLOTS:
    void resume(qulonglong address)
    {
        // Acquire: pairs with published(); Qt's queue has already ordered the two, this says so.
        static_cast<void>(m_handOffs.load(std::memory_order_acquire));
        std::coroutine_handle<>::from_address(reinterpret_cast<void *>(static_cast<quintptr>(address))).resume();
    }

private:
    std::atomic<std::uint64_t> m_handOffs{0};
};

} // namespace detail

QtExecutor::QtExecutor(QObject *context, std::string name)
    : m_context(context)
    , m_name(std::move(name))
    , m_target(std::make_unique<detail::ResumeTarget>())
    , m_scope(this)
{
    if (context == nullptr || context->thread() != QThread::currentThread()) {
        std::fprintf(stderr, "QtExecutor '%s' must be created on its context object's thread\n", m_name.c_str());
        std::abort();
    }
}

QtExecutor::~QtExecutor() = default;

void QtExecutor::post(Continuation &continuation) noexcept
{
    const auto address = static_cast<qulonglong>(reinterpret_cast<quintptr>(continuation.handle.address()));
    m_target->published(); // after the last read of `continuation`: the resumed coroutine may free it
    if (m_context.isNull() ||
        !QMetaObject::invokeMethod(m_target.get(), "resume", Qt::QueuedConnection, Q_ARG(qulonglong, address))) {
        std::fprintf(stderr, "QtExecutor '%s': context gone, a coroutine cannot resume\n", m_name.c_str());
        std::abort();
    }
}

} // namespace waferscope::runtime::qt

#include "qt_executor.moc"
