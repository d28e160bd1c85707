#include <waferscope/runtime/qt/qt_executor.h>

#include <coroutine>
#include <cstdio>
#include <cstdlib>

#include <QMetaObject>
#include <QThread>

namespace waferscope::runtime::qt {

namespace detail {

/// Receives resumptions on the executor's thread. Posted by slot name rather than with a functor:
/// a functor's slot object is reference-counted inside Qt, which ThreadSanitizer cannot see, so
/// its release on the posting thread would be reported as a race with the call on this one.
class ResumeTarget : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;

public Q_SLOTS:
    void resume(qulonglong address) { std::coroutine_handle<>::from_address(reinterpret_cast<void *>(static_cast<quintptr>(address))).resume(); }
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
    if (m_context.isNull() ||
        !QMetaObject::invokeMethod(m_target.get(), "resume", Qt::QueuedConnection, Q_ARG(qulonglong, address))) {
        std::fprintf(stderr, "QtExecutor '%s': context gone, a coroutine cannot resume\n", m_name.c_str());
        std::abort();
    }
}

} // namespace waferscope::runtime::qt

#include "qt_executor.moc"
