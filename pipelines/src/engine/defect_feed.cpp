#include <waferscope/pipelines/engine/defect_feed.h>

#include <waferscope/runtime/errors.h>
#include <waferscope/runtime/qt/ui_marshal.h>

namespace waferscope::pipelines {

struct DefectFeed::Marshal {
    Marshal(DefectFeed &feed, runtime::StatsRegistry *stats, std::size_t capacity)
        : marshal("ui.defects", capacity, runtime::OverflowPolicy::DropNewest,
                  [&feed](std::span<core::DefectRecord> batch) {
                      feed.m_delivered += batch.size();
                      Q_EMIT feed.defectsArrived(std::span<const core::DefectRecord>(batch.data(), batch.size()));
                  },
                  stats, kMinimumInterval)
    {
    }

    runtime::qt::UiMarshal<core::DefectRecord> marshal;
};

DefectFeed::DefectFeed(runtime::StatsRegistry *stats, std::size_t capacity, DefectListener *next, QObject *parent)
    : QObject(parent)
    , m_next(next)
    , m_marshal(std::make_unique<Marshal>(*this, stats, capacity))
{
}

DefectFeed::~DefectFeed()
{
    m_marshal->marshal.close();
}

void DefectFeed::defectsFound(std::span<const core::DefectRecord> defects)
{
    if (m_next != nullptr) {
        m_next->defectsFound(defects);
    }
    for (const core::DefectRecord &defect : defects) {
        // Never waits: a full feed drops the copy and counts it in dropped, a closed one (the
        // console is shutting down: the store keeps the defects) counts it in closed_rejects.
        static_cast<void>(m_marshal->marshal.tryPublish(defect));
    }
}

void DefectFeed::close() noexcept
{
    m_marshal->marshal.close();
}

void DefectFeed::flush()
{
    m_marshal->marshal.flush();
}

std::uint64_t DefectFeed::posts() const noexcept
{
    return m_marshal->marshal.posts();
}

std::uint64_t DefectFeed::dropped() const noexcept
{
    return m_marshal->marshal.marshal().dropped();
}

} // namespace waferscope::pipelines
