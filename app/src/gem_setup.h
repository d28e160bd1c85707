#pragma once

// The SECS/GEM host link, made from the command line when --gem-port is given.

#include <memory>

#include <waferscope/pipelines/gem/gem_service.h>

#include "command_line.h"

namespace waferscope::app {

/// The service listening where `options` say, or null without --gem-port. Prints where it listens
/// on stderr ("waferscope: GEM host link on 127.0.0.1:5000 (HSMS-SS passive)"). Throws
/// std::runtime_error when it cannot listen.
[[nodiscard]] std::unique_ptr<pipelines::gem::GemService> makeGemService(const CommandLine &options,
                                                                         pipelines::InspectionEngine &engine);

} // namespace waferscope::app
