#include "store_schema.h"

#include <array>
#include <cassert>

#include <waferscope/core/persistence/inspection_store.h>

namespace waferscope::core::detail {

namespace {

// Times: *_ns columns hold nanoseconds since the Unix epoch by the system clock (UTC); steady_ns
// columns hold steady_clock nanoseconds, which mean something only to the session that wrote them.
// Enumerations are stored by their toText() names and not constrained by CHECK, so a new enumerator
// needs no table rebuild; reading an unknown name is an error.
// Ids: runs.id is the RunId and defects.id the defect's own id; the other tables number their rows.
constexpr std::array kVersion1{
    std::string_view(R"(CREATE TABLE runs (
        id INTEGER PRIMARY KEY CHECK (id > 0),
        lot_id TEXT NOT NULL,
        recipe_name TEXT NOT NULL,
        recipe_summary TEXT NOT NULL,
        recipe_json TEXT NOT NULL,
        state TEXT NOT NULL,
        started_ns INTEGER NOT NULL,
        ended_ns INTEGER,
        end_reason TEXT
    ))"),
    // The history lists newest first; recovery looks for runs by state.
    std::string_view("CREATE INDEX runs_by_start ON runs (started_ns)"),
    std::string_view("CREATE INDEX runs_by_state ON runs (state)"),
    std::string_view(R"(CREATE TABLE wafers (
        id INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL REFERENCES runs (id),
        wafer_id TEXT NOT NULL CHECK (length(wafer_id) BETWEEN 1 AND 31),
        slot INTEGER NOT NULL,
        state TEXT NOT NULL,
        started_ns INTEGER NOT NULL,
        ended_ns INTEGER,
        end_reason TEXT,
        die_count INTEGER NOT NULL DEFAULT 0,
        defect_count INTEGER NOT NULL DEFAULT 0,
        klarf_path TEXT,
        UNIQUE (run_id, wafer_id)
    ))"),
    // The primary key is the defect id, so a second row with the same id cannot exist; the foreign
    // key makes every defect name a wafer that was begun, on the run it says.
    std::string_view(R"(CREATE TABLE defects (
        id INTEGER PRIMARY KEY CHECK (id > 0),
        run_id INTEGER NOT NULL,
        wafer_id TEXT NOT NULL,
        die_column INTEGER NOT NULL,
        die_row INTEGER NOT NULL,
        box_x INTEGER NOT NULL,
        box_y INTEGER NOT NULL,
        box_width INTEGER NOT NULL,
        box_height INTEGER NOT NULL,
        x_rel_um REAL NOT NULL,
        y_rel_um REAL NOT NULL,
        x_size_um REAL NOT NULL,
        y_size_um REAL NOT NULL,
        area_um2 REAL NOT NULL,
        class TEXT NOT NULL,
        polarity TEXT NOT NULL,
        image_path TEXT,
        frame_sequence INTEGER NOT NULL,
        detected_ns INTEGER NOT NULL,
        FOREIGN KEY (run_id, wafer_id) REFERENCES wafers (run_id, wafer_id)
    ))"),
    // Defects of a run and of a wafer, by id, and their counts, come from these without a sort.
    std::string_view("CREATE INDEX defects_by_run ON defects (run_id, id)"),
    std::string_view("CREATE INDEX defects_by_wafer ON defects (run_id, wafer_id, id)"),
    // No foreign key to runs: alarm events and telemetry reach the writer on their own queues, and a
    // row that arrives before its run's must not be refused.
    std::string_view(R"(CREATE TABLE alarm_events (
        id INTEGER PRIMARY KEY,
        sequence INTEGER NOT NULL,
        kind TEXT NOT NULL,
        tag TEXT NOT NULL,
        priority TEXT NOT NULL,
        from_state TEXT NOT NULL,
        to_state TEXT NOT NULL,
        tracked_from_state TEXT NOT NULL,
        tracked_to_state TEXT NOT NULL,
        occurred_ns INTEGER NOT NULL,
        steady_ns INTEGER NOT NULL,
        run_id INTEGER,
        user_name TEXT,
        user_role TEXT,
        comment TEXT NOT NULL,
        shelved_until_steady_ns INTEGER
    ))"),
    std::string_view("CREATE INDEX alarm_events_by_run ON alarm_events (run_id, id)"),
    std::string_view(R"(CREATE TABLE audit (
        id INTEGER PRIMARY KEY,
        user_name TEXT NOT NULL,
        role TEXT NOT NULL,
        at_ns INTEGER NOT NULL,
        action TEXT NOT NULL CHECK (length(action) > 0),
        detail TEXT NOT NULL
    ))"),
    std::string_view("CREATE INDEX audit_by_time ON audit (at_ns)"),
    std::string_view(R"(CREATE TRIGGER audit_refuses_update BEFORE UPDATE ON audit
        BEGIN SELECT RAISE(ABORT, 'audit entries are append-only: UPDATE refused'); END)"),
    std::string_view(R"(CREATE TRIGGER audit_refuses_delete BEFORE DELETE ON audit
        BEGIN SELECT RAISE(ABORT, 'audit entries are append-only: DELETE refused'); END)"),
    // INSERT OR REPLACE deletes the row it replaces without firing delete triggers (unless
    // recursive_triggers is on), so an insert over an existing id is refused on its own.
    std::string_view(R"(CREATE TRIGGER audit_refuses_replace BEFORE INSERT ON audit
        WHEN EXISTS (SELECT 1 FROM audit WHERE id = NEW.id)
        BEGIN SELECT RAISE(ABORT, 'audit entries are append-only: REPLACE refused'); END)"),
    std::string_view(R"(CREATE TABLE telemetry (
        id INTEGER PRIMARY KEY,
        run_id INTEGER,
        channel TEXT NOT NULL CHECK (length(channel) > 0),
        at_ns INTEGER NOT NULL,
        value REAL NOT NULL
    ))"),
    std::string_view("CREATE INDEX telemetry_by_run ON telemetry (run_id, at_ns)"),
    std::string_view("CREATE INDEX telemetry_by_channel ON telemetry (channel, at_ns)"),
};

static_assert(InspectionStore::kSchemaVersion == 1, "add the new version's migration below");

} // namespace

std::span<const std::string_view> migrationTo(int version)
{
    switch (version) {
    case 1:
        return kVersion1;
    default:
        assert(!"no migration to this version");
        return {};
    }
}

} // namespace waferscope::core::detail
