#pragma once

/// StatisticsEntry: one pipeline primitive's counters as the statistics page sees them — its kind
/// ("channel", "frame_pool", "executor", "marshal", …), its name and its metrics in the order it
/// reports them — copied out of the runtime's stats registry, so nothing in it points back there.
/// Threads: a value. Allocates: its strings and its vector.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace waferscope::pipelines {

struct StatisticsEntry {
    struct Metric {
        std::string name; ///< e.g. "items_written"
        std::int64_t value = 0;

        friend bool operator==(const Metric &, const Metric &) = default;
    };

    std::string kind;
    std::string name;
    std::vector<Metric> metrics;

    /// The value of metric `metric`, or -1 when the entry has none.
    [[nodiscard]] std::int64_t value(std::string_view metric) const
    {
        for (const Metric &m : metrics) {
            if (m.name == metric) {
                return m.value;
            }
        }
        return -1;
    }

    friend bool operator==(const StatisticsEntry &, const StatisticsEntry &) = default;
};

} // namespace waferscope::pipelines
