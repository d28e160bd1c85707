#pragma once

/// PipelineCounters: where the alarm monitor reads the pipeline's running totals — frames lost
/// (gaps in the frame sequence that acquisition saw), frame pool underruns (frames that came with no
/// buffer free) and defect crops the staging backlog dropped. Each is a function that returns a
/// total that only grows, such as a Counter's value or a FramePool's tryRentFailures(); an empty
/// function reads 0. The store's state comes the same way: whether its writes are failing now, and
/// how many damaged databases were moved aside and replaced.
/// Threads: the monitor calls them on its own executor, once per tick, so each must be safe to call
/// from there and must not block.
/// Allocates: nothing per call for a function that captures no more than a pointer or two.

#include <cstdint>
#include <functional>

namespace waferscope::pipelines {

struct PipelineCounters {
    std::function<std::uint64_t()> framesLost;
    std::function<std::uint64_t()> poolExhausted;
    std::function<std::uint64_t()> cropsDropped;
    std::function<bool()> isStoreFailing;
    std::function<std::uint64_t()> databasesReplaced;
};

} // namespace waferscope::pipelines
