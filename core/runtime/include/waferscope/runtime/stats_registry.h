#pragma once

/// StatsRegistry: every channel, pool, executor and marshal registers here under a name, and the UI
/// thread takes a snapshot of all of them (at most ~10 Hz) for the pipeline statistics panels.
/// Threads: registration and snapshots take the registry's mutex; pipelines never do on their hot
/// paths — their counters are relaxed atomics read during the snapshot, so nothing is stopped.
/// Allocates: at registration and per snapshot (the UI side), never per pipeline operation.

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace waferscope::runtime {

struct Metric {
    std::string_view name; ///< static text, e.g. "items_written"
    std::int64_t value;
};

/// What a primitive's collect() writes its metrics into.
class MetricSink
{
public:
    void add(std::string_view name, std::int64_t value) { m_metrics.push_back({name, value}); }
    void add(std::string_view name, std::uint64_t value) { add(name, static_cast<std::int64_t>(value)); }

private:
    friend class StatsRegistry;
    explicit MetricSink(std::vector<Metric> &metrics)
        : m_metrics(metrics)
    {
    }
    std::vector<Metric> &m_metrics;
};

class StatsProvider
{
public:
    virtual void collect(MetricSink &sink) const = 0;

protected:
    StatsProvider() = default;
    StatsProvider(const StatsProvider &) = default;
    StatsProvider &operator=(const StatsProvider &) = default;
    virtual ~StatsProvider() = default;
};

struct StatsEntry {
    std::string kind; ///< "channel", "frame_pool", "executor", "marshal", …
    std::string name;
    std::vector<Metric> metrics;

    /// The value of metric `name`, or -1 when the entry has none.
    [[nodiscard]] std::int64_t value(std::string_view metric) const;
};

class StatsRegistry;

/// Keeps one provider registered for as long as it lives. Move-only.
class [[nodiscard]] StatsRegistration
{
public:
    StatsRegistration() noexcept = default;
    StatsRegistration(StatsRegistration &&other) noexcept;
    StatsRegistration &operator=(StatsRegistration &&other) noexcept;
    StatsRegistration(const StatsRegistration &) = delete;
    StatsRegistration &operator=(const StatsRegistration &) = delete;
    ~StatsRegistration();

private:
    friend class StatsRegistry;
    StatsRegistration(StatsRegistry *registry, const StatsProvider *provider) noexcept
        : m_registry(registry)
        , m_provider(provider)
    {
    }
    StatsRegistry *m_registry = nullptr;
    const StatsProvider *m_provider = nullptr;
};

class StatsRegistry
{
public:
    StatsRegistry() = default;
    StatsRegistry(const StatsRegistry &) = delete;
    StatsRegistry &operator=(const StatsRegistry &) = delete;
    /// Precondition: every registration has ended ("no providers left").
    ~StatsRegistry();

    /// Registers `provider` until the returned registration is destroyed.
    StatsRegistration add(std::string kind, std::string name, const StatsProvider &provider);

    /// Reads every registered provider's metrics, in registration order.
    [[nodiscard]] std::vector<StatsEntry> snapshot() const;

    /// The entry named `name`, or an entry with no metrics when there is none.
    [[nodiscard]] StatsEntry find(std::string_view name) const;

private:
    friend class StatsRegistration;
    void remove(const StatsProvider *provider) noexcept;

    struct Registered {
        std::string kind;
        std::string name;
        const StatsProvider *provider;
    };
    mutable std::mutex m_mutex;
    std::vector<Registered> m_entries;
};

/// Registers `provider` with `registry` when one is given; an empty registration otherwise.
inline StatsRegistration registerStats(StatsRegistry *registry, std::string kind, std::string name,
                                       const StatsProvider &provider)
{
    return registry != nullptr ? registry->add(std::move(kind), std::move(name), provider) : StatsRegistration{};
}

} // namespace waferscope::runtime
