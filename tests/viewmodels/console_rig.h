#pragma once

// A console's services for view-model tests of the real engine: the simulated machine of a bundled
// recipe (unpaced, with optional faults), the real engine (with its defect feed) and detector in a
// temporary data folder, and a user directory with the demo users (cheap hashes).

#include <QCoroTask>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>

#include <filesystem>
#include <initializer_list>
#include <memory>
#include <string>

#include <waferscope/core/persistence/inspection_store.h>
#include <waferscope/core/persistence/store_error.h>
#include <waferscope/core/recipes/recipe_parser.h>
#include <waferscope/core/users/user_directory.h>
#include <waferscope/hardware/sim/fault_spec.h>
#include <waferscope/hardware/sim/simulated_machine.h>
#include <waferscope/pipelines/engine/detector_analyzer.h>
#include <waferscope/pipelines/engine/inspection_engine.h>
#include <waferscope/viewmodels/console/console_services.h>
#include <waferscope/testing/wait_until.h>

#include "simulator_setup.h"

namespace waferscope::testing {

inline std::filesystem::path bundledRecipes()
{
    return WAFERSCOPE_RECIPES_DIR;
}

struct ConsoleRig {
    explicit ConsoleRig(std::initializer_list<std::string> faults = {}, const char *recipe = "quick-200mm.json")
        : machine(app::simulatorConfig(core::RecipeParser::parseFile(bundledRecipes() / recipe), std::nullopt,
                                       std::vector<std::string>(faults), true))
        , users(std::filesystem::path(dir.path().toStdString()) / "users.json", 64)
    {
        users.addDemoUsers();
        pipelines::InspectionEngine::Setup setup;
        setup.dataFolder = std::filesystem::path(dir.path().toStdString());
        setup.injectFault = [this](const std::string &spec) {
            static_cast<void>(machine.injectFault(hardware::sim::FaultSpec::parse(spec)));
        };
        setup.makeAnalyzer = [](const core::Recipe &r) { return std::make_unique<pipelines::DetectorAnalyzer>(r); };
        engine = std::make_unique<pipelines::InspectionEngine>(machine, std::move(setup), stats);
    }

    [[nodiscard]] viewmodels::ConsoleServices services() { return servicesWith(users); }

    /// The same services over another user directory (full-strength hashes, say).
    [[nodiscard]] viewmodels::ConsoleServices servicesWith(core::UserDirectory &directory)
    {
        return viewmodels::ConsoleServices{*engine, directory, bundledRecipes(), {}};
    }

    /// The audit as stored, newest first, once everything queued before has been written.
    [[nodiscard]] std::vector<core::AuditEntry> audit()
    {
        // An audit entry of its own goes through the same queue: once it is in the store, every
        // earlier one is too. Each call's marker is its own, so a second call waits for its own.
        const std::string markerDetail = "marker " + std::to_string(++m_markers);
        core::AuditEntry marker{"test", "test", std::chrono::system_clock::now(), "test.marker", markerDetail};
        QCoro::waitFor(engine->audit(std::move(marker)));
        std::vector<core::AuditEntry> entries;
        QElapsedTimer timer;
        timer.start();
        while (timer.elapsed() < 10'000) {
            try {
                const core::InspectionStore store(engine->databaseFile());
                entries = store.auditEntries(1000);
            } catch (const core::StoreError &) {
                // The writer may hold the database while it creates it: try again.
                QTest::qWait(20);
                continue;
            }
            if (std::any_of(entries.begin(), entries.end(),
                            [&markerDetail](const auto &e) { return e.action == "test.marker" && e.detail == markerDetail; })) {
                break;
            }
            QTest::qWait(20);
        }
        std::erase_if(entries, [](const auto &e) { return e.action == "test.marker"; });
        return entries;
    }

    QTemporaryDir dir;
    runtime::StatsRegistry stats;
    hardware::sim::SimulatedMachine machine;
    core::UserDirectory users;
    std::unique_ptr<pipelines::InspectionEngine> engine;

private:
    int m_markers = 0;
};

} // namespace waferscope::testing
