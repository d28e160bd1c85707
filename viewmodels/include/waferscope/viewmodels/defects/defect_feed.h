#pragma once

/// DefectFeed: the engine's DefectListener for the console — it carries every defect the detection
/// stage reports to the UI thread through a UiMarshal, in batches of at most one per 17 ms (under
/// 60 a second) however fast defects come, and hands each batch to its subscribers (the run's wafer map and the
/// live defect list).
/// Back-pressure: the marshal blocks the detection stage when it is full (Block policy) rather than
/// drop: a defect the UI is sent is never lost on the way.
/// Shutdown: close() refuses further defects and flush() delivers the rest; the engine must stop
/// calling defectsFound() before the feed is destroyed.
/// Threads: defectsFound() from the detection executor; everything else on the UI thread.
/// Allocates: the marshal's buffers at construction; per defect, its copy (strings inside);
/// one queued call per batch.

#include <chrono>
#include <functional>
#include <span>
#include <vector>

#include <waferscope/core/persistence/defect_record.h>
#include <waferscope/pipelines/engine/defect_listener.h>
#include <waferscope/runtime/qt/ui_marshal.h>
#include <waferscope/runtime/stats_registry.h>

namespace waferscope::viewmodels {

class DefectFeed final : public pipelines::DefectListener
{
public:
    using Subscriber = std::function<void(std::span<const core::DefectRecord>)>;

    static constexpr std::size_t kDefaultCapacity = 65'536;
    /// At most one batch per 17 ms: under 60 posts to the UI thread per second (16 ms would allow
    /// 62.5), still about one per display frame.
    static constexpr std::chrono::milliseconds kMinimumInterval{17};

    explicit DefectFeed(runtime::StatsRegistry *stats = nullptr, std::size_t capacity = kDefaultCapacity);
    DefectFeed(const DefectFeed &) = delete;
    DefectFeed &operator=(const DefectFeed &) = delete;
    ~DefectFeed() override;

    void defectsFound(std::span<const core::DefectRecord> defects) override;

    /// UI thread. Subscribers are called in the order they subscribed, with each batch.
    void subscribe(Subscriber subscriber);
    void close() noexcept { m_marshal.close(); }
    void flush() { m_marshal.flush(); }

    [[nodiscard]] std::uint64_t posts() const noexcept { return m_marshal.posts(); }
    [[nodiscard]] std::uint64_t delivered() const noexcept { return m_delivered; }

private:
    void deliver(std::span<core::DefectRecord> batch);

    std::vector<Subscriber> m_subscribers;
    std::uint64_t m_delivered = 0;
    runtime::qt::UiMarshal<core::DefectRecord> m_marshal; // last: its drains call deliver()
};

} // namespace waferscope::viewmodels
