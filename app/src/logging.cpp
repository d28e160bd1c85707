#include "logging.h"

#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <stdexcept>

namespace waferscope::app {

namespace {

std::atomic<std::uint64_t> g_writeFailures{0};
std::atomic<bool> g_isFileFailing{false};

/// Wraps the file sink: a line it refuses is counted and the console told once, and the next line
/// it takes says that it recovered. Never throws, so spdlog's own error handler (a line on stderr
/// per failure, at most one a second) is not needed.
class FailSafeFileSink final : public spdlog::sinks::sink
{
public:
    explicit FailSafeFileSink(std::shared_ptr<spdlog::sinks::sink> file)
        : m_file(std::move(file))
    {
    }

    void log(const spdlog::details::log_msg &message) override
    {
        try {
            m_file->log(message); // buffered: only a flush says the file took it
        } catch (const std::exception &e) {
            failed(e.what());
        }
    }

    void flush() override
    {
        try {
            m_file->flush();
            recovered();
        } catch (const std::exception &e) {
            failed(e.what());
        }
    }

    void set_pattern(const std::string &pattern) override { m_file->set_pattern(pattern); }
    void set_formatter(std::unique_ptr<spdlog::formatter> formatter) override
    {
        m_file->set_formatter(std::move(formatter));
    }

private:
    static void failed(const char *what)
    {
        g_writeFailures.fetch_add(1, std::memory_order_relaxed);
        if (!g_isFileFailing.exchange(true)) {
            std::fprintf(stderr, "waferscope: the log file cannot be written (%s); log lines go only to the "
                                 "terminal until it can\n", what);
        }
    }

    static void recovered()
    {
        if (g_isFileFailing.exchange(false)) {
            std::fprintf(stderr, "waferscope: the log file can be written again (%llu lines or flushes were lost "
                                 "from it)\n",
                         static_cast<unsigned long long>(g_writeFailures.load(std::memory_order_relaxed)));
        }
    }

    std::shared_ptr<spdlog::sinks::sink> m_file;
};

} // namespace

std::uint64_t logWriteFailures() noexcept
{
    return g_writeFailures.load(std::memory_order_relaxed);
}

void setUpLogging(const std::filesystem::path &dataFolder, const std::string &level, const std::string &consoleLevel)
{
    const spdlog::level::level_enum parsed = spdlog::level::from_str(level);
    if (parsed == spdlog::level::off && level != "off") {
        throw std::invalid_argument("--log-level: unknown level '" + level + "' (trace, debug, info, warn, error)");
    }
    auto console = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
    console->set_level(std::max(parsed, spdlog::level::from_str(consoleLevel)));
    std::vector<spdlog::sink_ptr> sinks{console};
    std::string fileProblem;
    try {
        std::filesystem::create_directories(dataFolder / "logs");
        auto file = std::make_shared<spdlog::sinks::rotating_file_sink_mt>(
            (dataFolder / "logs" / "waferscope.log").string(), 10 * 1024 * 1024, 5);
        sinks.push_back(std::make_shared<FailSafeFileSink>(std::move(file)));
    } catch (const std::exception &e) {
        fileProblem = e.what();
    }
    auto logger = std::make_shared<spdlog::logger>("waferscope", sinks.begin(), sinks.end());
    logger->set_level(parsed);
    logger->flush_on(spdlog::level::warn);
    // Anything else a sink throws: counted, never fatal, never a line per failure.
    logger->set_error_handler([](const std::string &) { g_writeFailures.fetch_add(1, std::memory_order_relaxed); });
    spdlog::set_default_logger(logger);
    spdlog::set_pattern("%Y-%m-%d %H:%M:%S.%e %^%-5l%$ %v");
    if (!fileProblem.empty()) {
        spdlog::warn("no log file: {}; logging to the terminal only", fileProblem);
    }
}

} // namespace waferscope::app
