#include "logging.h"

#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <stdexcept>

namespace waferscope::app {

void setUpLogging(const std::filesystem::path &dataFolder, const std::string &level, const std::string &consoleLevel)
{
    const spdlog::level::level_enum parsed = spdlog::level::from_str(level);
    if (parsed == spdlog::level::off && level != "off") {
        throw std::invalid_argument("--log-level: unknown level '" + level + "' (trace, debug, info, warn, error)");
    }
    std::filesystem::create_directories(dataFolder / "logs");
    auto console = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
    console->set_level(std::max(parsed, spdlog::level::from_str(consoleLevel)));
    auto file = std::make_shared<spdlog::sinks::rotating_file_sink_mt>((dataFolder / "logs" / "waferscope.log").string(),
                                                                       10 * 1024 * 1024, 5);
    auto logger = std::make_shared<spdlog::logger>("waferscope", spdlog::sinks_init_list{console, file});
    logger->set_level(parsed);
    logger->flush_on(spdlog::level::warn);
    spdlog::set_default_logger(logger);
    spdlog::set_pattern("%Y-%m-%d %H:%M:%S.%e %^%-5l%$ %v");
}

} // namespace waferscope::app
