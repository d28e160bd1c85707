#include <waferscope/viewmodels/defects/defect_feed.h>

#include <waferscope/runtime/errors.h>

namespace waferscope::viewmodels {

DefectFeed::DefectFeed(runtime::StatsRegistry *stats, std::size_t capacity)
    : m_marshal("ui.defects", capacity, runtime::OverflowPolicy::Block,
                [this](std::span<core::DefectRecord> batch) { deliver(batch); }, stats, kMinimumInterval)
{
}

DefectFeed::~DefectFeed()
{
    m_marshal.close();
}

void DefectFeed::defectsFound(std::span<const core::DefectRecord> defects)
{
    try {
        for (const core::DefectRecord &defect : defects) {
            m_marshal.publish(defect);
        }
    } catch (const runtime::ChannelClosed &) {
        // The console is shutting down: the store keeps the defects; the UI needs no more.
    }
}

void DefectFeed::subscribe(Subscriber subscriber)
{
    m_subscribers.push_back(std::move(subscriber));
}

void DefectFeed::deliver(std::span<core::DefectRecord> batch)
{
    m_delivered += batch.size();
    for (const Subscriber &subscriber : m_subscribers) {
        subscriber(batch);
    }
}

} // namespace waferscope::viewmodels
