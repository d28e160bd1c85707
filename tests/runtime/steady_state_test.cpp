#include <QTest>

#include <cstring>
#include <latch>
#include <thread>

#include <waferscope/runtime/channel.h>
#include <waferscope/runtime/frame_pool.h>
#include <waferscope/runtime/thread_executor.h>
#include <waferscope/testing/allocation_counter.h>
#include <waferscope/testing/watchdog.h>

using namespace waferscope::runtime;
using waferscope::testing::AllocationScope;
using waferscope::testing::Watchdog;

namespace {

/// What an acquisition stage sends to detection: a leased frame and where it belongs.
struct FrameMessage {
    FrameLease lease;
    std::uint64_t sequence = 0;
};

/// Rents a frame (waiting when the pool is exhausted), fills it, and writes it to the channel
/// (waiting when the channel is full): the camera side of the pipeline.
Job acquire(FramePool &pool, Channel<FrameMessage> &frames, std::uint64_t count)
{
    for (std::uint64_t s = 0; s < count; ++s) {
        FrameLease lease = co_await pool.rent();
        std::memset(lease.bytes().data(), static_cast<int>(s & 0xff), 64);
        FrameMessage message{std::move(lease), s};
        co_await frames.write(std::move(message));
    }
    frames.complete();
}

/// Reads frames, checks them, and lets each lease go: the detection side.
Job detect(Channel<FrameMessage> &frames, std::uint64_t &seen, std::uint64_t &corrupt, std::latch &done)
{
    try {
        for (;;) {
            FrameMessage message = co_await frames.read();
            if (message.sequence != seen || std::to_integer<std::uint64_t>(message.lease.bytes()[63]) !=
                                                (message.sequence & 0xff)) {
                ++corrupt;
            }
            ++seen;
        }
    } catch (const ChannelClosed &) {
    }
    done.count_down();
}

} // namespace

class SteadyStateTest : public QObject
{
    Q_OBJECT

private slots:
    /// The pipeline's hot loop — rent a frame, write it to a channel, read it on another thread,
    /// return it — allocates nothing once warm, on every thread involved, suspending paths included.
    void channelAndFramePoolLoopAllocatesNothingOnceWarm()
    {
        const Watchdog watchdog("steady state");
        // Poisoning (on by default in Debug, so under ASan) writes and checks every byte of each
        // frame per rent: 100 000 frames of that is not the hot loop this test measures.
        FramePoolOptions poolOptions{4, 64 * 1024};
        poolOptions.poisonReturnedFrames = false;
        FramePool pool("frames", poolOptions);
        ChannelOptions options;
        options.capacity = 2;
        Channel<FrameMessage> warmChannel("warm", options);
        Channel<FrameMessage> channel("frames", options);
        ThreadExecutor camera("camera");
        ThreadExecutor detection("detection");
        std::uint64_t seen = 0;
        std::uint64_t corrupt = 0;
        {
            std::latch warm(1);
            detection.spawn(detect(warmChannel, seen, corrupt, warm));
            camera.spawn(acquire(pool, warmChannel, 5000));
            warm.wait();
            // The warm-up jobs end (and their threads set up their frame caches, which registers a
            // thread-exit handler with one calloc) after the latch opens: wait for that too.
            while (detection.liveJobs() != 0 || camera.liveJobs() != 0) {
                std::this_thread::yield();
            }
        }
        QCOMPARE(seen, 5000u);
        seen = 0;
        constexpr std::uint64_t kFrames = 100'000;
        std::latch done(1);
        const AllocationScope scope;
        detection.spawn(detect(channel, seen, corrupt, done));
        camera.spawn(acquire(pool, channel, kFrames));
        done.wait();
        const std::uint64_t allocations = scope.process();
        QCOMPARE(seen, kFrames);
        QCOMPARE(corrupt, 0u);
        QCOMPARE(pool.inUse(), 0u);
        QVERIFY(channel.suspendedReads() + channel.suspendedWrites() + pool.waits() > 0);
        // Nothing per frame: at most a handful of one-off allocations (pooled operations growing
        // to a new peak of simultaneous waiters), far below one per frame.
        QVERIFY2(allocations <= 8, std::to_string(allocations).c_str());
    }
};

QTEST_GUILESS_MAIN(SteadyStateTest)
#include "steady_state_test.moc"
