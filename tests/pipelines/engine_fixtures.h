#pragma once

// Helpers shared by the inspection engine's tests: an engine on a small simulated machine with the
// ScriptedAnalyzer, a listener that counts what reaches the UI side, a way to run a lot to its end,
// and a KLARF defect counter.

#include <QCoroTask>
#include <QTemporaryDir>

#include <filesystem>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include <waferscope/hardware/sim/fault_spec.h>
#include <waferscope/hardware/sim/simulated_machine.h>
#include <waferscope/pipelines/engine/inspection_engine.h>

#include "../hardware/sim_fixtures.h"
#include "scripted_analyzer.h"

namespace waferscope::testing {

/// Counts what the engine hands to the UI side. Threads: any.
class CountingListener final : public pipelines::DefectListener
{
public:
    void defectsFound(std::span<const core::DefectRecord> defects) override
    {
        const std::lock_guard lock(m_mutex);
        for (const core::DefectRecord &d : defects) {
            m_ids.push_back(d.id);
            m_runs.push_back(d.runId);
        }
    }
    std::vector<std::uint64_t> ids() const
    {
        const std::lock_guard lock(m_mutex);
        return m_ids;
    }
    std::vector<core::RunId> runs() const
    {
        const std::lock_guard lock(m_mutex);
        return m_runs;
    }

private:
    mutable std::mutex m_mutex;
    std::vector<std::uint64_t> m_ids;
    std::vector<core::RunId> m_runs;
};

/// Runs a task to its end in a nested event loop; an exception comes back as its message.
inline std::variant<pipelines::RunReport, std::string> finish(QCoro::Task<pipelines::RunReport> task)
{
    using Outcome = std::variant<pipelines::RunReport, std::string>;
    auto guarded = [](QCoro::Task<pipelines::RunReport> inner) -> QCoro::Task<Outcome> {
        try {
            co_return co_await std::move(inner);
        } catch (const std::exception &e) {
            co_return std::string(e.what());
        }
    };
    return QCoro::waitFor(guarded(std::move(task)));
}

/// The error of a failed outcome, for a failure message (empty for a report).
inline const char *errorOf(const std::variant<pipelines::RunReport, std::string> &outcome)
{
    const auto *error = std::get_if<std::string>(&outcome);
    return error != nullptr ? error->c_str() : "";
}

/// The defect lines of a KLARF file's DefectList.
inline std::size_t klarfDefectLines(const std::filesystem::path &file)
{
    std::ifstream in(file);
    std::string line;
    bool inList = false;
    std::size_t count = 0;
    while (std::getline(in, line)) {
        if (line.rfind("DefectList", 0) == 0) {
            inList = true;
            continue;
        }
        if (inList) {
            if (line.rfind("SummarySpec", 0) == 0 || line.rfind("EndOfFile", 0) == 0) {
                break;
            }
            if (!line.empty() && line.find_first_not_of(" ;") != std::string::npos) {
                ++count;
            }
        }
    }
    return count;
}

/// An engine on a simulated machine, in a temporary data folder, with a ScriptedAnalyzer per run.
struct EngineRig {
    explicit EngineRig(std::initializer_list<const char *> faults = {},
                       hardware::sim::SimulatorConfig::Pacing pacing = hardware::sim::SimulatorConfig::Pacing::Unpaced)
        : EngineRig(configWith(faults, pacing))
    {
    }

    /// `adjust` may change the engine's setup (storage options, fault hooks) before it is built.
    explicit EngineRig(hardware::sim::SimulatorConfig config,
                       const std::function<void(pipelines::InspectionEngine::Setup &)> &adjust = {})
        : machine(std::move(config))
    {
        pipelines::InspectionEngine::Setup setup;
        setup.dataFolder = std::filesystem::path(dir.path().toStdString());
        setup.defectListener = &listener;
        setup.makeAnalyzer = [this](const core::Recipe &) {
            logs.push_back(std::make_unique<FrameLog>());
            return std::make_unique<ScriptedAnalyzer>(*logs.back());
        };
        if (adjust) {
            adjust(setup);
        }
        engine = std::make_unique<pipelines::InspectionEngine>(machine, std::move(setup), stats);
    }

    static hardware::sim::SimulatorConfig configWith(std::initializer_list<const char *> faults,
                                                     hardware::sim::SimulatorConfig::Pacing pacing)
    {
        auto config = smallConfig();
        config.timing.pacing = pacing;
        for (const char *fault : faults) {
            config.faults.push_back(hardware::sim::FaultSpec::parse(fault));
        }
        return config;
    }

    /// A lot of `wafers` on a recipe that matches the machine; its alarms and actions are the defaults.
    pipelines::RunRequest request(std::vector<const char *> wafers) const
    {
        pipelines::RunRequest r;
        r.recipe.name = "test";
        r.recipe.wafer = machine.config().wafer;
        r.recipe.frame.widthPx = machine.config().image.width;
        r.recipe.frame.heightPx = machine.config().image.height;
        r.recipe.frame.pixelSizeUm = machine.config().image.pixelSizeUm;
        r.lotId = "LOT1";
        for (const char *w : wafers) {
            r.wafers.emplace_back(w);
        }
        return r;
    }

    QTemporaryDir dir;
    runtime::StatsRegistry stats;
    hardware::sim::SimulatedMachine machine;
    CountingListener listener;
    std::vector<std::unique_ptr<FrameLog>> logs; ///< one per run, outliving its analyzer
    std::unique_ptr<pipelines::InspectionEngine> engine;
};

} // namespace waferscope::testing
