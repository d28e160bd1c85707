#pragma once

/// PersistenceCommand: one thing for the persistence writer to store. Commands travel through one
/// channel, so the store sees them in the order the pipeline made them: a run is begun before its
/// wafers, a wafer before its defects, a wafer's defects before its end (and its KLARF file).
/// Threads: a value. Allocates: whatever its strings and lists hold.

#include <filesystem>
#include <functional>
#include <memory>
#include <utility>
#include <variant>
#include <vector>

#include <waferscope/core/alarms/alarm_event.h>
#include <waferscope/core/persistence/audit_entry.h>
#include <waferscope/core/persistence/defect_record.h>
#include <waferscope/core/persistence/run_record.h>
#include <waferscope/core/persistence/telemetry_sample.h>
#include <waferscope/core/persistence/wafer_record.h>
#include <waferscope/core/results/wafer_result.h>
#include <waferscope/core/runs/run_state.h>
#include <waferscope/pipelines/run/run_ledger.h>

namespace waferscope::pipelines {

struct PersistenceCommand {
    struct BeginRun {
        core::RunRecord run;
        std::shared_ptr<RunLedger> ledger; ///< where stored defects and KLARF exports are counted
    };
    struct SetRunState {
        core::RunId runId;
        core::RunState state;
    };
    struct EndRun {
        core::RunId runId;
        core::RunState state;
        std::string reason;
        core::RunRecord::Time endedAt;
    };
    struct BeginWafer {
        core::WaferRecord wafer;
    };
    /// Ends a wafer: writes its KLARF file (when `klarfPath` is set) from `result`, then stores the
    /// wafer's end with that path.
    struct EndWafer {
        core::WaferRecord wafer;
        core::WaferResult result;
        std::filesystem::path klarfPath;
    };
    struct AlarmEvents {
        std::vector<core::AlarmEvent> events;
    };
    struct Telemetry {
        std::vector<core::TelemetrySample> samples;
    };
    struct Audit {
        core::AuditEntry entry;
    };
    /// Calls `done` on the writer's thread once everything before it is stored (or failed).
    struct Flush {
        std::function<void()> done;
    };

    /// Calls `done` on the writer's thread with why the store cannot be written now, or with an
    /// empty text when it can (the store is open, no outage, a write transaction can be taken).
    struct Probe {
        std::function<void(const std::string &problem)> done;
    };

    using Payload = std::variant<BeginRun, SetRunState, EndRun, BeginWafer, core::DefectRecord, EndWafer, AlarmEvents,
                                 Telemetry, Audit, Flush, Probe>;

    PersistenceCommand() = default;
    /// A constructor, not an aggregate: commands are built next to co_await expressions, and GCC 12
    /// destroys aggregate temporaries there twice.
    template<typename T>
        requires std::is_constructible_v<Payload, T &&>
    explicit PersistenceCommand(T &&value)
        : payload(std::forward<T>(value))
    {
    }

    Payload payload;
};

} // namespace waferscope::pipelines
