#pragma once

// Helpers for the Aravis camera tests: a scan acquired on a ThreadExecutor (the camera must be
// awaited on an executor), with what each answer was, and a check that an image is the Aravis fake
// camera's diagonal ramp.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <future>
#include <span>
#include <vector>

#include <waferscope/hardware/acquired_frame.h>
#include <waferscope/hardware/camera.h>
#include <waferscope/runtime/allocation_counter.h>
#include <waferscope/runtime/job.h>
#include <waferscope/runtime/thread_executor.h>

namespace waferscope::testing {

struct AravisAnswer {
    hardware::AcquiredFrame::Status status = hardware::AcquiredFrame::Status::EndOfScan;
    std::uint64_t sequence = 0;
    core::DieIndex die;
    bool isRamp = false;          ///< the image is one consistent diagonal ramp
    bool isPoolMemory = false;    ///< the lease is valid and its bytes are the pool buffer's
};

/// True when `image` (width × height Mono8) is the fake camera's ramp, (x + y + k) mod 255.
inline bool isRamp(std::span<const std::byte> image, int width, int height)
{
    const int k = static_cast<int>(image[0]);
    for (int y = 0; y < height; y += 7) {
        for (int x = 0; x < width; x += 5) {
            const int expected = (x + y + k) % 255;
            if (static_cast<int>(image[static_cast<std::size_t>(y) * static_cast<std::size_t>(width) +
                                       static_cast<std::size_t>(x)]) != expected) {
                return false;
            }
        }
    }
    return true;
}

struct AravisScanResult {
    std::vector<AravisAnswer> answers;
    std::uint64_t steadyAllocations = 0; ///< on the acquiring thread, from the 5th answer to the last frame
    std::uint64_t steadyFrames = 0;
};

/// Acquires on `executor` until the scan ends (EndOfScan or Stopped), at most `limit` answers.
/// `onAnswer` runs on the executor after each answer (to stop or unplug mid-scan).
inline runtime::Job acquireScan(hardware::Camera &camera, std::size_t limit, int width, int height,
                                AravisScanResult &result, std::function<void(const AravisAnswer &)> onAnswer,
                                std::promise<void> &done)
{
    using Status = hardware::AcquiredFrame::Status;
    std::uint64_t allocationsAtFifth = 0;
    for (std::size_t i = 0; i < limit; ++i) {
        if (i == 5) {
            allocationsAtFifth = runtime::threadAllocations();
        }
        hardware::AcquiredFrame frame = co_await camera.acquire();
        AravisAnswer answer;
        answer.status = frame.status;
        answer.sequence = frame.metadata.sequence;
        answer.die = frame.metadata.die;
        if (frame.hasFrame()) {
            answer.isPoolMemory = frame.lease.isValid() &&
                                  frame.lease.size() >= static_cast<std::size_t>(width) * static_cast<std::size_t>(height);
            answer.isRamp = answer.isPoolMemory && isRamp(frame.lease.bytes(), width, height);
        }
        frame.lease.reset();
        // Steady state is frame after frame: the scan's end (which may build its reason) is not.
        if (i >= 5 && answer.status == Status::Frame) {
            result.steadyAllocations = runtime::threadAllocations() - allocationsAtFifth;
            result.steadyFrames += 1;
        }
        result.answers.push_back(answer);
        if (onAnswer) {
            onAnswer(answer);
        }
        if (answer.status == Status::EndOfScan || answer.status == Status::Stopped) {
            break;
        }
    }
    done.set_value();
}

/// Runs acquireScan() on `executor` and waits (bounded) for it; false when it did not end in time.
inline bool runScan(runtime::ThreadExecutor &executor, hardware::Camera &camera, std::size_t limit, int width,
                    int height, AravisScanResult &result, std::function<void(const AravisAnswer &)> onAnswer = {},
                    std::chrono::seconds bound = std::chrono::seconds(60))
{
    result.answers.reserve(limit);
    std::promise<void> done;
    std::future<void> finished = done.get_future();
    executor.spawn(acquireScan(camera, limit, width, height, result, std::move(onAnswer), done));
    if (finished.wait_for(bound) == std::future_status::ready) {
        return true;
    }
    camera.stop(); // the job refers to this frame's locals: end it before returning
    finished.wait_for(std::chrono::seconds(10));
    return false;
}

} // namespace waferscope::testing
