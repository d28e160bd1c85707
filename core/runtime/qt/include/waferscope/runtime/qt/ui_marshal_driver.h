#pragma once

/// UiMarshalDriver: turns drain requests from any thread into calls of a drain callback on the
/// thread the driver lives on (the UI thread), at most one per minimum interval — one display
/// frame, 16 ms by default — however often requests arrive.
/// States: idle → posted (requestDrain() queued one call to the driver's thread; requests that
///   follow are absorbed) → deferred (the last drain was less than an interval ago: a single-shot
///   precise timer waits out the rest) → drained (the callback runs) → idle. The callback runs at
///   once when the last drain is an interval or more in the past.
/// Threads: requestDrain() from any thread while the driver lives; construction, destruction,
///   drainNow() and the callback on the driver's thread.
/// Allocates: one queued call per post — a post per drain at most, never one per request.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>

#include <QObject>
#include <QTimer>

#include <waferscope/runtime/counter.h>

namespace waferscope::runtime::qt {

class UiMarshalDriver final : public QObject
{
Q_OBJECT

public:
    using DrainCallback = std::function<void()>;

    static constexpr std::chrono::milliseconds kDefaultInterval{16};

    /// `drain` runs on the driver's thread and must not throw: it is called from the event loop.
    explicit UiMarshalDriver(DrainCallback drain, std::chrono::milliseconds minimumInterval = kDefaultInterval,
                             QObject *parent = nullptr);
    ~UiMarshalDriver() override;

    /// Asks for a drain soon. Thread-safe; posts to the driver's thread only when no post or timer
    /// is already outstanding.
    void requestDrain();

    /// Drains now, whatever the interval, and answers any outstanding request. Driver's thread
    /// only (MisuseError otherwise): for shutdown and for callers that must see the batch at once.
    void drainNow();

    [[nodiscard]] std::chrono::milliseconds minimumInterval() const noexcept { return m_minimumInterval; }
    /// Queued calls made to the driver's thread.
    [[nodiscard]] std::uint64_t posts() const noexcept { return m_posts.value(); }
    /// Times the drain callback ran.
    [[nodiscard]] std::uint64_t drains() const noexcept { return m_drains.value(); }

private Q_SLOTS:
    /// Precondition: on the driver's thread, answering the queued call of requestDrain().
    void onDrainRequested();

private:
    DrainCallback m_drain;
    std::chrono::milliseconds m_minimumInterval;
    QTimer m_timer; // a child, so it follows the driver to its thread
    std::chrono::steady_clock::time_point m_lastDrain; // driver's thread only
    bool m_hasDrained = false;                          // driver's thread only
    // True from the request that posts until the drain that answers it (posted or deferred).
    std::atomic<bool> m_isRequestOutstanding{false};
    Counter m_posts;
    Counter m_drains;
};

} // namespace waferscope::runtime::qt
