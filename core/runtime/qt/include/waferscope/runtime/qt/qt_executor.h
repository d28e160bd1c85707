#pragma once

/// QtExecutor: resumes coroutines on a Qt thread's event loop — on the GUI thread, for the engine
/// facade and the view models. While it lives, it is Executor::current() for the thread that
/// created it, so a value task awaited there (directly or through asTask()) resumes there.
/// Threads: construct and destroy on the thread whose event loop it posts to; post() from any thread.
/// Allocates: one queued call per post (the Qt event), which is why it serves the boundary, not
/// the hot paths.

#include <memory>
#include <string>

#include <QObject>
#include <QPointer>

#include <waferscope/runtime/executor.h>

namespace waferscope::runtime::qt {

namespace detail {
class ResumeTarget;
} // namespace detail

class QtExecutor final : public Executor
{
public:
    /// Posts to `context`'s thread; `context` must live on the calling thread.
    explicit QtExecutor(QObject *context, std::string name = "qt");
    ~QtExecutor() override;

    void post(Continuation &continuation) noexcept override;
    [[nodiscard]] std::string_view name() const noexcept override { return m_name; }

private:
    QPointer<QObject> m_context;
    std::string m_name;
    std::unique_ptr<detail::ResumeTarget> m_target; // lives on the creating thread
    CurrentScope m_scope;
};

} // namespace waferscope::runtime::qt
