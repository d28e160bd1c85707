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
    for (std::size_t i = 0; i < defects.size(); ++i) {
        try {
            m_marshal.publish(defects[i]);
        } catch (const runtime::ChannelClosed &) {
            // The console is shutting down: the store keeps the defects; the UI needs no more. The
            // rest of the batch is refused too, each counted in the marshal's closed_rejects.
            for (++i; i < defects.size(); ++i) {
                static_cast<void>(m_marshal.tryPublish(defects[i]));
            }
        }
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
