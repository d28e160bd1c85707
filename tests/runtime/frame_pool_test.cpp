#include <QTest>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdint>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include <waferscope/runtime/frame_pool.h>
#include <waferscope/runtime/job.h>
#include <waferscope/runtime/stats_registry.h>
#include <waferscope/runtime/sync_wait.h>
#include <waferscope/testing/allocation_counter.h>
#include <waferscope/testing/child_process.h>
#include <waferscope/testing/manual_executor.h>
#include <waferscope/testing/watchdog.h>

using namespace waferscope::runtime;
using waferscope::testing::AllocationScope;
using waferscope::testing::ManualExecutor;
using waferscope::testing::runInChild;
using waferscope::testing::Watchdog;

namespace {

constexpr std::byte kPoison{0xDD};
constexpr std::byte kScribble{0x11};
constexpr std::size_t kAlignment = 64;

Job rentInto(FramePool &pool, std::optional<FrameLease> &out)
{
    out.emplace(co_await pool.rent());
}

Job rentOrError(FramePool &pool, std::stop_token stop, std::optional<FrameLease> &out, std::string &error)
{
    try {
        out.emplace(co_await pool.rent(std::move(stop)));
    } catch (const std::exception &e) {
        error = e.what();
    }
}

Job rentAndRecord(FramePool &pool, int id, std::vector<int> &order, std::optional<FrameLease> &out)
{
    out.emplace(co_await pool.rent());
    order.push_back(id);
}

ValueTask<std::thread::id> rentAndNoteThread(FramePool &pool)
{
    const FrameLease lease = co_await pool.rent();
    co_return std::this_thread::get_id();
}

std::string messageOf(const std::exception &e)
{
    return e.what();
}

} // namespace

class FramePoolTest : public QObject
{
    Q_OBJECT

private slots:
    void buffersAreAlignedAndSized()
    {
        constexpr std::size_t kFrames = 3;
        constexpr std::size_t kRequested = 1000;
        constexpr std::size_t kRounded = 1024;
        FramePool pool{"aligned", {.frameCount = kFrames, .frameBytes = kRequested}};
        QCOMPARE(pool.capacity(), kFrames);
        QCOMPARE(pool.frameBytes(), kRounded);

        std::vector<FrameLease> leases;
        for (std::size_t i = 0; i < kFrames; ++i) {
            leases.push_back(*pool.tryRent());
        }
        std::vector<std::uintptr_t> starts;
        for (const FrameLease &lease : leases) {
            QCOMPARE(lease.size(), kRounded);
            QCOMPARE(lease.bytes().size(), kRounded);
            const auto start = reinterpret_cast<std::uintptr_t>(lease.bytes().data());
            QCOMPARE(start % kAlignment, std::uintptr_t{0});
            starts.push_back(start);
        }
        std::sort(starts.begin(), starts.end());
        for (std::size_t i = 1; i < starts.size(); ++i) {
            QVERIFY(starts[i] - starts[i - 1] >= kRounded); // no two frames overlap
        }

        FramePool exact{"exact", {.frameCount = 1, .frameBytes = 2 * kAlignment}};
        QCOMPARE(exact.frameBytes(), 2 * kAlignment);
    }

    void buffersAreAllocatedOnceAtConstruction()
    {
        constexpr std::size_t kFew = 2;
        constexpr std::size_t kMany = 64;
        std::uint64_t forFew = 0;
        std::uint64_t forMany = 0;
        {
            const AllocationScope scope;
            const FramePool pool{"few", {.frameCount = kFew, .frameBytes = 64}};
            forFew = scope.thread();
        }
        {
            const AllocationScope scope;
            const FramePool pool{"many", {.frameCount = kMany, .frameBytes = 64}};
            forMany = scope.thread();
        }
        QVERIFY(forFew > 0);
        QCOMPARE(forMany, forFew); // not one allocation per buffer
    }

    void waitingOperationsAreAllocatedOnlyAsWaitersGrow()
    {
        FramePool pool{"grow", {.frameCount = 1, .frameBytes = 64}};
        const std::optional<FrameLease> held = pool.tryRent();
        const auto allocationsToWait = [&pool](int waiters) {
            std::vector<ValueTask<FrameLease>> tasks;
            tasks.reserve(static_cast<std::size_t>(waiters));
            const AllocationScope scope;
            for (int i = 0; i < waiters; ++i) {
                tasks.push_back(pool.rent());
            }
            return scope.thread(); // the tasks are dropped on return: their operations go spare
        };
        QCOMPARE(allocationsToWait(3), 3u);
        QCOMPARE(allocationsToWait(3), 0u);
        QCOMPARE(allocationsToWait(2), 0u);
        QCOMPARE(allocationsToWait(4), 1u);
        QCOMPARE(pool.waits(), 12u);
    }

    void emptyPoolIsRefused()
    {
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, FramePool("none", {.frameCount = 0, .frameBytes = 64}));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, FramePool("zero", {.frameCount = 1, .frameBytes = 0}));
    }

    void tryRentFailsWhenExhaustedAndCountsUnderrun()
    {
        FramePool pool{"small", {.frameCount = 2, .frameBytes = 64}};
        std::optional<FrameLease> first = pool.tryRent();
        std::optional<FrameLease> second = pool.tryRent();
        QVERIFY(first && first->isValid());
        QVERIFY(second && second->isValid());
        QVERIFY(first->index() != second->index());
        QCOMPARE(pool.tryRentFailures(), 0u);

        QVERIFY(!pool.tryRent().has_value());
        QVERIFY(!pool.tryRent().has_value());
        QCOMPARE(pool.tryRentFailures(), 2u);
        QCOMPARE(pool.inUse(), 2u);

        second.reset();
        QVERIFY(pool.tryRent().has_value());
        QCOMPARE(pool.tryRentFailures(), 2u);
    }

    void leaseReturnsBufferWhenDestroyed()
    {
        FramePool pool{"scoped", {.frameCount = 2, .frameBytes = 64}};
        {
            const std::optional<FrameLease> lease = pool.tryRent();
            QCOMPARE(pool.inUse(), 1u);
        }
        QCOMPARE(pool.inUse(), 0u);

        FrameLease a = *pool.tryRent();
        FrameLease b = std::move(a);
        QVERIFY(!a.isValid()); // NOLINT(bugprone-use-after-move,clang-analyzer-cplusplus.Move): moved-from is empty
        QVERIFY(b.isValid());
        QCOMPARE(pool.inUse(), 1u);

        FrameLease c = *pool.tryRent();
        QCOMPARE(pool.inUse(), 2u);
        b = std::move(c); // b's own frame goes back
        QCOMPARE(pool.inUse(), 1u);
        b.reset();
        QCOMPARE(pool.inUse(), 0u);
        b.reset();
        QVERIFY(b.bytes().empty());
        QCOMPARE(pool.inUse(), 0u);
    }

    void rentCompletesSynchronouslyWhenFree()
    {
        FramePool pool{"sync", {.frameCount = 1, .frameBytes = 64}};
        ValueTask<FrameLease> task = pool.rent();
        QVERIFY(task.isCompletedSuccessfully());
        QCOMPARE(pool.inUse(), 1u);
        const FrameLease lease = syncWait(std::move(task));
        QVERIFY(lease.isValid());
        QCOMPARE(pool.waits(), 0u);
    }

    void rentWaitsUntilAFrameIsReturned()
    {
        FramePool pool{"wait", {.frameCount = 1, .frameBytes = 64}};
        ManualExecutor executor;
        std::optional<FrameLease> held = pool.tryRent();
        const std::uint64_t heldGeneration = held->generation();
        std::optional<FrameLease> waited;
        executor.spawn(rentInto(pool, waited));
        executor.runReady();
        QVERIFY(!waited);
        QCOMPARE(pool.waits(), 1u);

        held.reset();
        QVERIFY(!waited); // resumes on its executor, not inside the return
        QCOMPARE(pool.inUse(), 1u); // handed straight over, never free in between
        QVERIFY(!pool.tryRent().has_value());

        executor.runReady();
        QVERIFY(waited && waited->isValid());
        QCOMPARE(waited->index(), 0u);
        QCOMPARE(waited->generation(), heldGeneration + 1);
    }

    void rentWithoutAnExecutorResumesOnTheReturningThread()
    {
        const Watchdog watchdog("rentWithoutAnExecutorResumesOnTheReturningThread");
        FramePool pool{"inline", {.frameCount = 1, .frameBytes = 64}};
        std::optional<FrameLease> held = pool.tryRent();
        ValueTask<std::thread::id> task = rentAndNoteThread(pool); // no executor on this thread
        QVERIFY(!task.isCompleted());

        std::thread::id returner;
        std::thread other([&] {
            returner = std::this_thread::get_id();
            held.reset();
        });
        other.join();

        QVERIFY(task.isCompleted());
        QCOMPARE(syncWait(std::move(task)), returner);
        QCOMPARE(pool.inUse(), 0u);
    }

    void waitersAreServedInOrder()
    {
        constexpr int kWaiters = 3;
        FramePool pool{"fifo", {.frameCount = 1, .frameBytes = 64}};
        ManualExecutor executor;
        std::optional<FrameLease> held = pool.tryRent();
        std::vector<int> order;
        std::optional<FrameLease> leases[kWaiters];
        for (int id = 0; id < kWaiters; ++id) {
            executor.spawn(rentAndRecord(pool, id, order, leases[id]));
        }
        executor.runReady();
        QVERIFY(order.empty());

        held.reset();
        executor.runReady();
        for (int id = 0; id < kWaiters; ++id) {
            QCOMPARE(order.size(), static_cast<std::size_t>(id + 1));
            QCOMPARE(order.back(), id);
            leases[id].reset();
            executor.runReady();
        }
        QCOMPARE(order, (std::vector<int>{0, 1, 2}));
        QCOMPARE(pool.inUse(), 0u);
    }

    void droppedWaiterLeavesTheQueueWithoutTakingAFrame()
    {
        StatsRegistry stats;
        FramePool pool{"skip", {.frameCount = 1, .frameBytes = 64}, &stats};
        ManualExecutor executor;
        std::optional<FrameLease> held = pool.tryRent();
        std::vector<int> order;
        std::optional<FrameLease> first;
        std::optional<FrameLease> last;
        executor.spawn(rentAndRecord(pool, 0, order, first));
        executor.runReady();
        std::optional<ValueTask<FrameLease>> dropped{pool.rent()};
        executor.spawn(rentAndRecord(pool, 2, order, last));
        executor.runReady();
        QCOMPARE(pool.waits(), 3u);

        dropped.reset(); // the middle waiter leaves the queue
        held.reset();
        executor.runReady();
        first.reset();
        executor.runReady();
        QCOMPARE(order, (std::vector<int>{0, 2}));
        QVERIFY(last && last->isValid());
        last.reset();
        QCOMPARE(pool.inUse(), 0u);
        // Three leases (held, first, last): the dropped waiter was never handed the frame.
        QCOMPARE(stats.find("skip").value("rents"), 3);
        QCOMPARE(stats.find("skip").value("returns"), 3);
    }

    void doubleReturnThrowsClearError()
    {
        StatsRegistry stats;
        FramePool pool{"cam1", {.frameCount = 2, .frameBytes = 64}, &stats};
        FrameLease lease = *pool.tryRent();
        const FrameTicket ticket = lease.detach();
        QVERIFY(!lease.isValid());
        QCOMPARE(ticket.index, 0u);
        QCOMPARE(pool.inUse(), 1u); // a detached frame is still rented

        pool.giveBack(ticket);
        QCOMPARE(pool.inUse(), 0u);
        QCOMPARE(stats.find("cam1").value("returns"), 1);

        try {
            pool.giveBack(ticket);
            QFAIL("a second giveBack() must throw");
        } catch (const MisuseError &e) {
            const std::string what = messageOf(e);
            QVERIFY2(what.find("'cam1'") != std::string::npos, e.what());
            QVERIFY2(what.find("giveBack()") != std::string::npos, e.what());
            QVERIFY2(what.find("frame 0 generation " + std::to_string(ticket.generation)) != std::string::npos,
                     e.what());
            QVERIFY2(what.find("already given back or adopted") != std::string::npos, e.what());
        }
        // Nothing changed: no extra return, and the frame's generation moved only once.
        QCOMPARE(pool.inUse(), 0u);
        QCOMPARE(stats.find("cam1").value("returns"), 1);
        const FrameLease again = *pool.tryRent();
        QCOMPARE(again.index(), ticket.index);
        QCOMPARE(again.generation(), ticket.generation + 1);
    }

    void emptyLeaseTicketIsRefused()
    {
        FramePool pool{"empty", {.frameCount = 1, .frameBytes = 64}};
        FrameLease empty;
        const FrameTicket ticket = empty.detach();
        QVERIFY_THROWS_EXCEPTION(MisuseError, pool.giveBack(ticket));
        QVERIFY_THROWS_EXCEPTION(MisuseError, pool.giveBack(FrameTicket{.index = 7, .generation = 1}));
        QCOMPARE(pool.inUse(), 0u);
    }

    void useAfterReturnThroughViewThrows()
    {
        FramePool pool{"cam2", {.frameCount = 1, .frameBytes = 64}};
        FrameLease lease = *pool.tryRent();
        const std::uint64_t generation = lease.generation();
        const FrameView view = lease.view();
        QVERIFY(view.isValid());
        QCOMPARE(view.bytes().data(), lease.bytes().data());
        QCOMPARE(view.bytes().size(), lease.size());

        lease.reset();
        QVERIFY(!view.isValid());
        try {
            static_cast<void>(view.bytes());
            QFAIL("reading through a stale view must throw");
        } catch (const MisuseError &e) {
            const std::string what = messageOf(e);
            QVERIFY2(what.find("'cam2'") != std::string::npos, e.what());
            QVERIFY2(what.find("frame 0") != std::string::npos, e.what());
            QVERIFY2(what.find("generation " + std::to_string(generation)) != std::string::npos, e.what());
        }

        // Renting the frame again does not revive the old view.
        const FrameLease again = *pool.tryRent();
        QVERIFY(again.view().isValid());
        QVERIFY(!view.isValid());
        QVERIFY_THROWS_EXCEPTION(MisuseError, static_cast<void>(view.bytes()));

        QVERIFY(!FrameView{}.isValid());
        QVERIFY_THROWS_EXCEPTION(MisuseError, static_cast<void>(FrameView{}.bytes()));
    }

    void viewStaysValidWhileTheFrameIsDetached()
    {
        FramePool pool{"detached", {.frameCount = 1, .frameBytes = 64}};
        FrameLease lease = *pool.tryRent();
        const FrameView view = lease.view();
        const FrameTicket ticket = lease.detach();
        QVERIFY(view.isValid());
        FrameLease adopted = pool.adopt(ticket);
        QVERIFY(view.isValid());
        adopted.reset();
        QVERIFY(!view.isValid());
    }

    void adoptTurnsATicketBackIntoALease()
    {
        FramePool pool{"adopt", {.frameCount = 1, .frameBytes = 64}};
        FrameLease lease = *pool.tryRent();
        std::memset(lease.bytes().data(), std::to_integer<int>(kScribble), lease.size());
        const FrameTicket ticket = lease.detach();
        FrameLease adopted = pool.adopt(ticket);
        QVERIFY(adopted.isValid());
        QCOMPARE(adopted.index(), ticket.index);
        QCOMPARE(adopted.generation(), ticket.generation);
        QCOMPARE(adopted.bytes()[0], kScribble); // the same frame, untouched
        QCOMPARE(pool.inUse(), 1u);
        QVERIFY_THROWS_EXCEPTION(MisuseError, static_cast<void>(pool.adopt(ticket)));
        QCOMPARE(pool.inUse(), 1u);
        adopted.reset();
        QCOMPARE(pool.inUse(), 0u);
    }

    void adoptAfterGiveBackThrows()
    {
        FramePool pool{"cam3", {.frameCount = 1, .frameBytes = 64}};
        const FrameTicket ticket = pool.tryRent()->detach();
        pool.giveBack(ticket);
        try {
            static_cast<void>(pool.adopt(ticket));
            QFAIL("adopting a ticket that was given back must throw");
        } catch (const MisuseError &e) {
            const std::string what = messageOf(e);
            QVERIFY2(what.find("'cam3'") != std::string::npos, e.what());
            QVERIFY2(what.find("adopt()") != std::string::npos, e.what());
            QVERIFY2(what.find("frame 0 generation " + std::to_string(ticket.generation)) != std::string::npos,
                     e.what());
        }
        QCOMPARE(pool.inUse(), 0u);
        QVERIFY(pool.tryRent().has_value());
    }

    void highWaterAndCountersAreReported()
    {
        StatsRegistry stats;
        {
            FramePool pool{"cam0", {.frameCount = 3, .frameBytes = 64}, &stats};
            ManualExecutor executor;
            std::optional<FrameLease> a = pool.tryRent();
            std::optional<FrameLease> b = pool.tryRent();
            std::optional<FrameLease> c = pool.tryRent();
            QVERIFY(!pool.tryRent().has_value());
            std::optional<FrameLease> waited;
            executor.spawn(rentInto(pool, waited));
            executor.runReady();
            a.reset(); // handed to the waiter: a return and a rent
            executor.runReady();
            QVERIFY(waited.has_value());
            b.reset();

            const std::vector<StatsEntry> snapshot = stats.snapshot();
            const auto entry = std::find_if(snapshot.begin(), snapshot.end(),
                                            [](const StatsEntry &e) { return e.name == "cam0"; });
            QVERIFY(entry != snapshot.end());
            QCOMPARE(entry->kind, std::string("frame_pool"));
            QCOMPARE(entry->value("capacity"), 3);
            QCOMPARE(entry->value("in_use"), 2);
            QCOMPARE(entry->value("high_water"), 3);
            QCOMPARE(entry->value("rents"), 4);
            QCOMPARE(entry->value("waits"), 1);
            QVERIFY(entry->value("wait_ns_total") > 0);
            QCOMPARE(entry->value("try_rent_failures"), 1);
            QCOMPARE(entry->value("returns"), 2);
            QCOMPARE(pool.highWater(), 3u);
            QCOMPARE(pool.inUse(), 2u);
            QCOMPARE(pool.waits(), 1u);
            QCOMPARE(pool.tryRentFailures(), 1u);
        }
        QVERIFY(stats.snapshot().empty()); // the pool's registration ended with it
    }

    void abandonedRentReturnsItsFrame()
    {
        StatsRegistry stats;
        FramePool pool{"abandon", {.frameCount = 1, .frameBytes = 64}, &stats};
        std::optional<FrameLease> held = pool.tryRent();

        // Dropped while queued: it never takes a frame.
        {
            const ValueTask<FrameLease> dropped = pool.rent();
            QVERIFY(!dropped.isCompleted());
        }
        held.reset();
        QCOMPARE(pool.inUse(), 0u);

        // Dropped after the hand-off: the lease it was given comes back.
        held = pool.tryRent();
        const std::uint64_t generation = held->generation();
        {
            const ValueTask<FrameLease> dropped = pool.rent();
            held.reset();
            QVERIFY(dropped.isCompletedSuccessfully());
            QCOMPARE(pool.inUse(), 1u);
        }
        QCOMPARE(pool.inUse(), 0u);
        QCOMPARE(stats.find("abandon").value("returns"), stats.find("abandon").value("rents"));

        // Both operations were recycled: the next wait allocates nothing.
        held = pool.tryRent();
        QCOMPARE(held->generation(), generation + 2);
        std::uint64_t allocations = 0;
        ValueTask<FrameLease> next;
        {
            const AllocationScope scope;
            next = pool.rent();
            allocations = scope.thread();
        }
        QCOMPARE(allocations, 0u);
        QVERIFY(!next.isCompleted());
        held.reset();
        const FrameLease got = syncWait(std::move(next));
        QCOMPARE(got.generation(), generation + 3);
    }

    void returnedBufferIsPoisonedInDebug()
    {
        FramePool pool{"poison", {.frameCount = 1, .frameBytes = 128}};
        const auto isPoisoned = [](const FrameLease &lease) {
            return std::all_of(lease.bytes().begin(), lease.bytes().end(), [](std::byte b) { return b == kPoison; });
        };

        FrameLease lease = *pool.tryRent();
        const std::uint64_t generation = lease.generation();
        const FrameView view = lease.view();
        std::memset(lease.bytes().data(), std::to_integer<int>(kScribble), lease.size());
        lease.reset();
        lease = *pool.tryRent();
        QCOMPARE(lease.generation(), generation + 1);
        QVERIFY(!view.isValid());
#ifndef NDEBUG
        QVERIFY(isPoisoned(lease));
#endif

        // A frame handed straight to a waiter is poisoned too.
        std::memset(lease.bytes().data(), std::to_integer<int>(kScribble), lease.size());
        ValueTask<FrameLease> waiting = pool.rent();
        lease.reset();
        const FrameLease handed = syncWait(std::move(waiting));
        QCOMPARE(handed.generation(), generation + 2);
#ifndef NDEBUG
        QVERIFY(isPoisoned(handed));
#else
        static_cast<void>(isPoisoned);
#endif
    }

    void anotherPoolsTicketIsRefused()
    {
        FramePool left{"left", {.frameCount = 2, .frameBytes = 64}};
        FramePool right{"right", {.frameCount = 2, .frameBytes = 64}};
        const FrameTicket leftTicket = left.tryRent()->detach();
        const FrameTicket rightTicket = right.tryRent()->detach();
        // Same frame index and generation in both pools: only the pool tells them apart.
        QCOMPARE(leftTicket.index, rightTicket.index);
        QCOMPARE(leftTicket.generation, rightTicket.generation);
        try {
            right.giveBack(leftTicket);
            QFAIL("a pool must refuse another pool's ticket");
        } catch (const MisuseError &e) {
            const std::string what = messageOf(e);
            QVERIFY2(what.find("'right'") != std::string::npos, e.what());
            QVERIFY2(what.find("another pool") != std::string::npos, e.what());
        }
        QVERIFY_THROWS_EXCEPTION(MisuseError, static_cast<void>(left.adopt(rightTicket)));
        QCOMPARE(left.inUse(), 1u);
        QCOMPARE(right.inUse(), 1u);
        left.giveBack(leftTicket);
        right.giveBack(rightTicket);
        QCOMPARE(left.inUse(), 0u);
        QCOMPARE(right.inUse(), 0u);
    }

    void writeThroughASpanAfterItsFrameWentBackIsDetectedOnTheNextRent()
    {
        const auto outcome = runInChild([] {
            FramePool pool{"scribbled", {.frameCount = 1, .frameBytes = 256, .poisonReturnedFrames = true}};
            FrameLease lease = *pool.tryRent();
            const std::span<std::byte> stale = lease.bytes();
            lease.reset();
            stale[100] = kScribble;                  // the frame is no longer ours
            static_cast<void>(pool.tryRent());       // must notice before handing it out
            return 0;
        });
        QVERIFY2(outcome.aborted, outcome.describe().c_str());
        QVERIFY2(outcome.errors.find("FramePool 'scribbled': frame 0") != std::string::npos, outcome.errors.c_str());
        QVERIFY2(outcome.errors.find("written after it went back to the pool (byte 100)") != std::string::npos,
                 outcome.errors.c_str());
    }

    void poisonedFramesPassTheCheckWhenNobodyWritesAfterReturn()
    {
        FramePool pool{"clean", {.frameCount = 1, .frameBytes = 256, .poisonReturnedFrames = true}};
        for (int i = 0; i < 3; ++i) {
            FrameLease lease = *pool.tryRent();
            std::memset(lease.bytes().data(), std::to_integer<int>(kScribble), lease.size());
        }
        ValueTask<FrameLease> waiting = [&pool] {
            FrameLease held = *pool.tryRent();
            ValueTask<FrameLease> rent = pool.rent();
            return rent; // `held` goes back here and is handed to the waiting rent
        }();
        const FrameLease handed = syncWait(std::move(waiting));
        QVERIFY(std::all_of(handed.bytes().begin(), handed.bytes().end(), [](std::byte b) { return b == kPoison; }));
    }

    void stopTokenCancelsAWaitingRentWhichTakesNoFrame()
    {
        ManualExecutor executor;
        FramePool pool{"stoppable", {.frameCount = 1, .frameBytes = 64}};
        FrameLease held = *pool.tryRent();
        std::stop_source stop;
        std::optional<FrameLease> out;
        std::string error;
        executor.spawn(rentOrError(pool, stop.get_token(), out, error));
        executor.runReady();
        QVERIFY(!out.has_value() && error.empty()); // waiting
        stop.request_stop();
        executor.runReady();
        QVERIFY(!out.has_value());
        QVERIFY2(error.find("rent from FramePool 'stoppable' cancelled") != std::string::npos, error.c_str());
        // An already stopped token fails at once while no frame is free.
        QVERIFY_THROWS_EXCEPTION(OperationCancelled, syncWait(pool.rent(stop.get_token())));
        held.reset();
        QCOMPARE(pool.inUse(), 0u); // the cancelled waiter took nothing
        // With a frame free, a stopped token does not matter: the rent completes at once.
        const FrameLease again = syncWait(pool.rent(stop.get_token()));
        QVERIFY(again.isValid());
    }

    void steadyStateRentReturnAllocatesNothing()
    {
        constexpr int kIterations = 10'000;
        const Watchdog watchdog("steadyStateRentReturnAllocatesNothing");
        FramePool pool{"steady", {.frameCount = 2, .frameBytes = 256}};
        int failures = 0;
        // Warm-up: the first syncWait draws its frame from the heap once.
        static_cast<void>(syncWait(pool.rent()));
        {
            const AllocationScope scope;
            for (int i = 0; i < kIterations; ++i) {
                std::optional<FrameLease> lease = pool.tryRent();
                failures += lease.has_value() ? 0 : 1;
                lease->reset();
            }
            for (int i = 0; i < kIterations; ++i) {
                const FrameLease lease = syncWait(pool.rent());
                failures += lease.isValid() ? 0 : 1;
            }
            QCOMPARE(scope.thread(), 0u);
        }
        QCOMPARE(failures, 0);

        // The waiting path: one pooled operation and one pooled Job frame, reused every time.
        ManualExecutor executor;
        std::optional<FrameLease> held = pool.tryRent();
        std::optional<FrameLease> other = pool.tryRent();
        std::optional<FrameLease> waited;
        const auto waitOnce = [&] {
            executor.spawn(rentInto(pool, waited));
            executor.runReady();
            held.reset();
            executor.runReady();
            held = std::move(waited);
            waited.reset();
        };
        waitOnce();
        const std::uint64_t waitsBefore = pool.waits();
        {
            const AllocationScope scope;
            for (int i = 0; i < kIterations; ++i) {
                waitOnce();
            }
            QCOMPARE(scope.thread(), 0u);
        }
        QCOMPARE(pool.waits() - waitsBefore, static_cast<std::uint64_t>(kIterations));
        QVERIFY(held && held->isValid());
    }

    void destroyingThePoolWithAFrameStillRentedAborts()
    {
        int fds[2] = {-1, -1};
        QCOMPARE(::pipe(fds), 0);
        const pid_t child = ::fork();
        QVERIFY(child >= 0);
        if (child == 0) {
            ::dup2(fds[1], STDERR_FILENO);
            {
                FramePool pool{"leaky", {.frameCount = 3, .frameBytes = 64}};
                static_cast<void>(pool.tryRent()->detach());
                static_cast<void>(pool.tryRent()->detach());
            }
            ::_exit(0); // reached only if the destructor did not abort
        }
        ::close(fds[1]);
        std::string output;
        char buffer[256];
        for (ssize_t n = 0; (n = ::read(fds[0], buffer, sizeof buffer)) > 0;) {
            output.append(buffer, static_cast<std::size_t>(n));
        }
        ::close(fds[0]);
        int status = 0;
        QCOMPARE(::waitpid(child, &status, 0), child);
        QVERIFY2(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT, output.c_str());
        QVERIFY2(output.find("FramePool 'leaky' destroyed with 2 frames still rented") != std::string::npos,
                 output.c_str());
    }
};

QTEST_GUILESS_MAIN(FramePoolTest)
#include "frame_pool_test.moc"
