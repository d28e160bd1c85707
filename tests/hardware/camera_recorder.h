#pragma once

// Records what a camera delivers, as a Job on the test's executor: status, metadata, when it was
// delivered, and a digest of the frame (its hash and mean grey level). Leases are dropped at once
// unless the test asks to keep them.

#include <cstdint>
#include <vector>

#include <waferscope/hardware/camera.h>
#include <waferscope/runtime/job.h>

#include "sim_fixtures.h"

namespace waferscope::testing {

struct FrameRecord {
    hardware::AcquiredFrame::Status status;
    hardware::FrameMetadata metadata;
    runtime::TimePoint deliveredAt;
    std::uint64_t hash = 0;
    double mean = 0.0;
};

inline runtime::Job recordFrames(hardware::Camera &camera, std::vector<FrameRecord> &records, std::size_t limit,
                                 std::vector<runtime::FrameLease> *keep = nullptr)
{
    using Status = hardware::AcquiredFrame::Status;
    while (records.size() < limit) {
        hardware::AcquiredFrame frame = co_await camera.acquire();
        FrameRecord record{frame.status, frame.metadata, runtime::Executor::current()->now()};
        if (frame.hasFrame()) {
            record.hash = hashBytes(frame.lease.bytes());
            record.mean = meanOf(frame.lease.bytes());
            if (keep != nullptr) {
                keep->push_back(std::move(frame.lease));
            }
        }
        records.push_back(record);
        if (frame.status == Status::EndOfScan || frame.status == Status::Stopped) {
            break;
        }
    }
}

/// The records that carry a frame.
inline std::vector<FrameRecord> framesOf(const std::vector<FrameRecord> &records)
{
    std::vector<FrameRecord> frames;
    for (const FrameRecord &r : records) {
        if (r.status == hardware::AcquiredFrame::Status::Frame) {
            frames.push_back(r);
        }
    }
    return frames;
}

} // namespace waferscope::testing
