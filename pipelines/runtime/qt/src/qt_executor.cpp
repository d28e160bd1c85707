#include <waferscope/runtime/qt/qt_executor.h>

#include <cstdio>
#include <cstdlib>

#include <QMetaObject>
#include <QThread>

namespace waferscope::runtime::qt {

QtExecutor::QtExecutor(QObject *context, std::string name)
    : m_context(context)
    , m_name(std::move(name))
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
    const auto handle = continuation.handle;
    if (m_context.isNull()
        || !QMetaObject::invokeMethod(m_context.data(), [handle] { handle.resume(); }, Qt::QueuedConnection)) {
        std::fprintf(stderr, "QtExecutor '%s': context gone, a coroutine cannot resume\n", m_name.c_str());
        std::abort();
    }
}

} // namespace waferscope::runtime::qt
