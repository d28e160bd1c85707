#pragma once

/// DefectFeed: the UI's copy of the defects — the engine's DefectListener that carries what the
/// detection stage reports to the GUI thread through a UI marshal, in batches of at most one per
/// 17 ms (under 60 a second) however fast defects come, and emits each batch in defectsArrived().
/// Bounded and drop-counted: when `capacity` defects wait for the GUI thread, the next ones are
/// dropped from this copy and counted (dropped(), the marshal's "dropped" statistic) — detection
/// never waits for the UI. The store has every defect whatever the feed drops.
/// Chained: a `next` listener, when given, sees every defect first, on the detection executor.
/// Shutdown: close() refuses further defects (each counted by the marshal as a closed reject) and
/// flush() delivers the rest; the engine stops calling defectsFound() before the feed is destroyed.
/// Threads: defectsFound() from the detection executor; everything else on the GUI thread, which
/// is where defectsArrived() is emitted.
/// Allocates: the marshal's buffers at construction; per defect, its copy (strings inside); one
/// queued call per batch.

#include <QObject>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include <waferscope/core/persistence/defect_record.h>
#include <waferscope/pipelines/engine/defect_listener.h>

namespace waferscope::runtime {
class StatsRegistry;
}

namespace waferscope::pipelines {

class DefectFeed final : public QObject, public DefectListener
{
    Q_OBJECT

public:
    static constexpr std::size_t kDefaultCapacity = 65'536;
    /// At most one batch per 17 ms: under 60 posts to the UI thread per second (16 ms would allow
    /// 62.5), still about one per display frame.
    static constexpr std::chrono::milliseconds kMinimumInterval{17};

    /// Registers the marshal's counters as "ui.defects" when `stats` is given.
    explicit DefectFeed(runtime::StatsRegistry *stats = nullptr, std::size_t capacity = kDefaultCapacity,
                        DefectListener *next = nullptr, QObject *parent = nullptr);
    DefectFeed(const DefectFeed &) = delete;
    DefectFeed &operator=(const DefectFeed &) = delete;
    ~DefectFeed() override;

    void defectsFound(std::span<const core::DefectRecord> defects) override;

    void close() noexcept;
    void flush();

    /// Queued calls made to the GUI thread, defects emitted, and defects dropped from the copy
    /// because the GUI thread had `capacity` waiting.
    [[nodiscard]] std::uint64_t posts() const noexcept;
    [[nodiscard]] std::uint64_t delivered() const noexcept { return m_delivered; }
    [[nodiscard]] std::uint64_t dropped() const noexcept;

Q_SIGNALS:
    /// See EngineFacade::defectsArrived(): valid during the call only.
    void defectsArrived(std::span<const waferscope::core::DefectRecord> defects);

private:
    struct Marshal;

    DefectListener *m_next;
    std::uint64_t m_delivered = 0;
    std::unique_ptr<Marshal> m_marshal; // last: its drains emit through this object
};

} // namespace waferscope::pipelines
