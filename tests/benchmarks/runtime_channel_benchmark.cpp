// Channel shapes from .NET's channel benchmarks, single thread, ours against Boost.Asio's
// concurrent_channel<void(error_code, int)> used the same way. Both channels hold 64 items.
// - TryWriteThenTryRead: a write and a read that never wait (tryWrite/tryRead; try_send/try_receive,
//   whose handler runs inside try_receive).
// - WriteAsyncThenReadAsync: await a write, then await a read; both complete at once.
// - ReadAsyncThenWriteAsync: start a read (pending: the channel is empty), await a write (which
//   hands its item to the read), then await the read.
// Ours awaits inside a ValueTask coroutine that runs the benchmark loop. Asio has no coroutine in
// the way: each iteration is a chain of plain lambda handlers on an io_context run by the benchmark
// thread (concurrency hint 1). Asio posts every completion to the io_context, never runs it inside
// the initiating call, so the chain never recurses: the receive handler starts the next iteration
// and io_context::run() returns when the benchmark's loop is over.

#include <benchmark/benchmark.h>

#include <cstdint>
#include <optional>
#include <utility>

// GCC 12 warns of a potential null pointer dereference inside Asio's executor comparison once that
// is inlined into this file: the warning concerns Asio's header, so it is silenced for Asio only.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include <boost/asio/experimental/concurrent_channel.hpp>
#include <boost/asio/io_context.hpp>
#pragma GCC diagnostic pop

#include <waferscope/runtime/channel.h>
#include <waferscope/runtime/sync_wait.h>
#include <waferscope/runtime/value_task.h>

#include "alloc_counter.h"

using waferscope::benchmarks::AllocsPerOp;
using namespace waferscope::runtime;

namespace {

constexpr std::size_t kCapacity = 64;

using AsioChannel = boost::asio::experimental::concurrent_channel<void(boost::system::error_code, int)>;

// --- ours ----------------------------------------------------------------------------------------

void tryWriteThenTryReadOurs(benchmark::State &state)
{
    Channel<int> channel("bench", ChannelOptions{.capacity = kCapacity});
    const AllocsPerOp allocs(state);
    int value = 0;
    std::int64_t sum = 0;
    for (auto _ : state) {
        static_cast<void>(channel.tryWrite(value++));
        sum += *channel.tryRead();
        benchmark::DoNotOptimize(sum);
    }
}

ValueTask<void> writeThenReadLoop(benchmark::State &state, Channel<int> &channel)
{
    const AllocsPerOp allocs(state);
    int value = 0;
    std::int64_t sum = 0;
    for (auto _ : state) {
        co_await channel.write(value++);
        sum += co_await channel.read();
        benchmark::DoNotOptimize(sum);
    }
}

void writeAsyncThenReadAsyncOurs(benchmark::State &state)
{
    Channel<int> channel("bench", ChannelOptions{.capacity = kCapacity});
    syncWait(writeThenReadLoop(state, channel));
}

ValueTask<void> readThenWriteLoop(benchmark::State &state, Channel<int> &channel)
{
    const AllocsPerOp allocs(state);
    int value = 0;
    std::int64_t sum = 0;
    for (auto _ : state) {
        ValueTask<int> read = channel.read();
        co_await channel.write(value++);
        sum += co_await std::move(read);
        benchmark::DoNotOptimize(sum);
    }
}

void readAsyncThenWriteAsyncOurs(benchmark::State &state)
{
    Channel<int> channel("bench", ChannelOptions{.capacity = kCapacity});
    syncWait(readThenWriteLoop(state, channel));
}

// --- Boost.Asio ----------------------------------------------------------------------------------

void tryWriteThenTryReadAsio(benchmark::State &state)
{
    boost::asio::io_context context(1);
    AsioChannel channel(context, kCapacity);
    const AllocsPerOp allocs(state);
    int value = 0;
    std::int64_t sum = 0;
    for (auto _ : state) {
        static_cast<void>(channel.try_send(boost::system::error_code{}, value++));
        static_cast<void>(channel.try_receive([&sum](boost::system::error_code, int received) { sum += received; }));
        benchmark::DoNotOptimize(sum);
    }
}

/// One iteration: async_send, and from its handler async_receive, whose handler starts the next.
class AsioWriteThenRead
{
public:
    AsioWriteThenRead(benchmark::State &state, AsioChannel &channel) noexcept
        : m_state(state)
        , m_channel(channel)
    {
    }

    void next()
    {
        if (!m_state.KeepRunning()) {
            return;
        }
        m_channel.async_send(boost::system::error_code{}, m_value++, [this](boost::system::error_code) {
            m_channel.async_receive([this](boost::system::error_code, int received) {
                m_sum += received;
                benchmark::DoNotOptimize(m_sum);
                next();
            });
        });
    }

private:
    benchmark::State &m_state;
    AsioChannel &m_channel;
    int m_value = 0;
    std::int64_t m_sum = 0;
};

/// One iteration: async_receive (pending), then async_send, which completes both; the receive
/// handler starts the next iteration.
class AsioReadThenWrite
{
public:
    AsioReadThenWrite(benchmark::State &state, AsioChannel &channel) noexcept
        : m_state(state)
        , m_channel(channel)
    {
    }

    void next()
    {
        if (!m_state.KeepRunning()) {
            return;
        }
        m_channel.async_receive([this](boost::system::error_code, int received) {
            m_sum += received;
            benchmark::DoNotOptimize(m_sum);
            next();
        });
        m_channel.async_send(boost::system::error_code{}, m_value++, [](boost::system::error_code) {});
    }

private:
    benchmark::State &m_state;
    AsioChannel &m_channel;
    int m_value = 0;
    std::int64_t m_sum = 0;
};

template<typename Chain>
void runAsioChain(benchmark::State &state)
{
    boost::asio::io_context context(1);
    AsioChannel channel(context, kCapacity);
    Chain chain(state, channel);
    const AllocsPerOp allocs(state);
    chain.next();
    context.run();
}

} // namespace

BENCHMARK(tryWriteThenTryReadOurs)->Name("Channel/TryWriteThenTryRead/Channel");
BENCHMARK(tryWriteThenTryReadAsio)->Name("Channel/TryWriteThenTryRead/AsioConcurrentChannel");
BENCHMARK(writeAsyncThenReadAsyncOurs)->Name("Channel/WriteAsyncThenReadAsync/Channel");
BENCHMARK(runAsioChain<AsioWriteThenRead>)->Name("Channel/WriteAsyncThenReadAsync/AsioConcurrentChannel");
BENCHMARK(readAsyncThenWriteAsyncOurs)->Name("Channel/ReadAsyncThenWriteAsync/Channel");
BENCHMARK(runAsioChain<AsioReadThenWrite>)->Name("Channel/ReadAsyncThenWriteAsync/AsioConcurrentChannel");
