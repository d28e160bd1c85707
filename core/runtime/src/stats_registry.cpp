#include <waferscope/runtime/stats_registry.h>

#include <algorithm>
#include <utility>
#include <cstdio>
#include <cstdlib>

namespace waferscope::runtime {

std::int64_t StatsEntry::value(std::string_view metric) const
{
    for (const Metric &m : metrics) {
        if (m.name == metric) {
            return m.value;
        }
    }
    return -1;
}

StatsRegistration::StatsRegistration(StatsRegistration &&other) noexcept
    : m_registry(std::exchange(other.m_registry, nullptr))
    , m_provider(std::exchange(other.m_provider, nullptr))
{
}

StatsRegistration &StatsRegistration::operator=(StatsRegistration &&other) noexcept
{
    if (this != &other) {
        if (m_registry != nullptr) {
            m_registry->remove(m_provider);
        }
        m_registry = std::exchange(other.m_registry, nullptr);
        m_provider = std::exchange(other.m_provider, nullptr);
    }
    return *this;
}

StatsRegistration::~StatsRegistration()
{
    if (m_registry != nullptr) {
        m_registry->remove(m_provider);
    }
}

StatsRegistry::~StatsRegistry()
{
    if (!m_entries.empty()) {
        std::fprintf(stderr, "StatsRegistry destroyed with %zu providers still registered (first: %s)\n",
                     m_entries.size(), m_entries.front().name.c_str());
        std::abort();
    }
}

StatsRegistration StatsRegistry::add(std::string kind, std::string name, const StatsProvider &provider)
{
    const std::lock_guard lock(m_mutex);
    m_entries.push_back({std::move(kind), std::move(name), &provider});
    return StatsRegistration{this, &provider};
}

void StatsRegistry::remove(const StatsProvider *provider) noexcept
{
    const std::lock_guard lock(m_mutex);
    std::erase_if(m_entries, [provider](const Registered &r) { return r.provider == provider; });
}

std::vector<StatsEntry> StatsRegistry::snapshot() const
{
    const std::lock_guard lock(m_mutex);
    std::vector<StatsEntry> entries;
    entries.reserve(m_entries.size());
    for (const Registered &r : m_entries) {
        StatsEntry entry{r.kind, r.name, {}};
        MetricSink sink(entry.metrics);
        r.provider->collect(sink);
        entries.push_back(std::move(entry));
    }
    return entries;
}

StatsEntry StatsRegistry::find(std::string_view name) const
{
    const std::lock_guard lock(m_mutex);
    for (const Registered &r : m_entries) {
        if (r.name == name) {
            StatsEntry entry{r.kind, r.name, {}};
            MetricSink sink(entry.metrics);
            r.provider->collect(sink);
            return entry;
        }
    }
    return StatsEntry{};
}

} // namespace waferscope::runtime
