#include "gem_setup.h"

#include <cstdio>
#include <string>

namespace waferscope::app {

std::unique_ptr<pipelines::gem::GemService> makeGemService(const CommandLine &options,
                                                           pipelines::InspectionEngine &engine)
{
    if (!options.gemPort) {
        return nullptr;
    }
    pipelines::gem::GemOptions gem;
    gem.address = options.gemAddress;
    gem.port = *options.gemPort;
    if (options.gemInitialControl) {
        gem.initialControl = pipelines::gem::parseGemControlState(*options.gemInitialControl);
    }
    gem.recipeFolder = options.recipeFolder;
    gem.stateFile = options.outputFolder / "gem-equipment.json";
    gem.softwareRevision = WAFERSCOPE_VERSION;
    auto service = std::make_unique<pipelines::gem::GemService>(engine, gem);
    std::fprintf(stderr, "waferscope: GEM host link on %s:%u (HSMS-SS passive, device id 0, %s)\n",
                 gem.address.c_str(), static_cast<unsigned>(service->port()),
                 std::string(pipelines::gem::toText(service->status().control)).c_str());
    std::fflush(stderr);
    return service;
}

} // namespace waferscope::app
