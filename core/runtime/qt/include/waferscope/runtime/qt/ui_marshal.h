#pragma once

/// UiMarshal<T>: how pipeline results reach the UI thread — publish() from any thread, and a
/// handler on the UI thread receives them in batches, at most one batch per minimum interval
/// (one display frame, 16 ms by default) however high the rate. A BatchMarshal<T> holds the items
/// and a UiMarshalDriver schedules the drains: the marshal's one wake per drain cycle becomes the
/// driver's one queued call.
/// States: open → closed (close()), as BatchMarshal: a closed marshal refuses publishes and still
///   delivers what it accepted.
/// Threads: construct, destroy and flush() on the UI thread; publish(), tryPublish() and close()
///   from any thread. The handler runs on the UI thread, one batch at a time. A Block publish()
///   on the UI thread that finds the marshal full throws MisuseError instead of deadlocking.
/// Allocates: the marshal's two vectors at construction; nothing per item; one queued call per
///   batch.
/// Shutdown: stop the producers, then close() and flush() to hand the last items to the handler;
///   what is still pending when the UiMarshal is destroyed is destroyed with it.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <utility>

#include <waferscope/runtime/batch_marshal.h>
#include <waferscope/runtime/errors.h>
#include <waferscope/runtime/qt/ui_marshal_driver.h>
#include <waferscope/runtime/stats_registry.h>

namespace waferscope::runtime::qt {

template<typename T>
class UiMarshal
{
public:
    using Handler = std::function<void(std::span<T>)>;

    /// The marshal registers its counters as kind "marshal" under `name` when `stats` is given.
    /// `handler` must not throw: it runs from the UI thread's event loop.
    UiMarshal(std::string name, std::size_t capacity, OverflowPolicy policy, Handler handler,
              StatsRegistry *stats = nullptr,
              std::chrono::milliseconds minimumInterval = UiMarshalDriver::kDefaultInterval)
        : m_handler(std::move(handler))
        , m_driver([this] { static_cast<void>(m_marshal.drain(m_handler)); }, minimumInterval)
        , m_marshal(std::move(name), capacity, policy, [this] { m_driver.requestDrain(); }, stats)
    {
        if (!m_handler) {
            throw MisuseError("UiMarshal '" + m_marshal.name() + "' needs a handler");
        }
        // An empty drain names the UI thread as the marshal's consumer before any batch arrives, so
        // a Block publish() from the UI thread fails loudly even before the first frame.
        static_cast<void>(m_marshal.drain([](std::span<T>) {}));
    }

    UiMarshal(const UiMarshal &) = delete;
    UiMarshal &operator=(const UiMarshal &) = delete;
    ~UiMarshal() { m_marshal.close(); }

    /// See BatchMarshal::publish(): waits (Block) or drops and counts (DropNewest) when full;
    /// throws ChannelClosed once closed.
    void publish(T item) { m_marshal.publish(std::move(item)); }
    /// See BatchMarshal::tryPublish(): never waits; false when dropped or closed, both counted.
    [[nodiscard]] bool tryPublish(T item) { return m_marshal.tryPublish(std::move(item)); }

    /// Refuses further publishes and releases blocked producers; pending items are still delivered.
    void close() noexcept { m_marshal.close(); }
    /// Hands what is pending to the handler now, ignoring the interval.
    void flush() { m_driver.drainNow(); }

    [[nodiscard]] const BatchMarshal<T> &marshal() const noexcept { return m_marshal; }
    [[nodiscard]] const UiMarshalDriver &driver() const noexcept { return m_driver; }
    /// Queued calls made to the UI thread.
    [[nodiscard]] std::uint64_t posts() const noexcept { return m_driver.posts(); }
    /// Drains run on the UI thread (a drain that found nothing pending included).
    [[nodiscard]] std::uint64_t drains() const noexcept { return m_driver.drains(); }

private:
    Handler m_handler;
    UiMarshalDriver m_driver;
    BatchMarshal<T> m_marshal; // after the driver: destroyed first, so no wake reaches a dead driver
};

} // namespace waferscope::runtime::qt
