#pragma once

// Shared by the inspection store tests: a fixed time origin so no test reads a clock, builders for
// runs, wafers and defects whose every field follows from a few numbers, readable names for
// RunState in failed comparisons, and a store file in a fresh temporary folder.

#include <QTemporaryDir>
#include <QTest>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <waferscope/core/persistence/defect_record.h>
#include <waferscope/core/persistence/inspection_store.h>
#include <waferscope/core/persistence/run_record.h>
#include <waferscope/core/persistence/store_error.h>
#include <waferscope/core/persistence/wafer_record.h>
#include <waferscope/core/run_id.h>
#include <waferscope/core/runs/run_state.h>
#include <waferscope/core/wafer_id.h>

namespace waferscope::core {

// QTest finds this by argument-dependent lookup and prints the name when a comparison fails.
inline char *toString(RunState state)
{
    return qstrdup(std::string(toText(state)).c_str());
}

} // namespace waferscope::core

namespace waferscope::testing::store {

using Time = core::InspectionStore::Time;

/// 2024-06-17 14:00:00 UTC: an arbitrary origin, far from the clock's epoch.
inline const Time kOrigin = Time{} + std::chrono::seconds(1718632800);

/// The moment `seconds` after kOrigin.
[[nodiscard]] inline Time at(std::int64_t seconds)
{
    return kOrigin + std::chrono::seconds(seconds);
}

/// An open run of lot "LOT<id>" started `startSecond` after the origin.
[[nodiscard]] inline core::RunRecord runRecord(std::uint64_t id, std::int64_t startSecond = 0,
                                               core::RunState state = core::RunState::Checking)
{
    core::RunRecord run;
    run.id = core::RunId(id);
    run.lotId = "LOT" + std::to_string(id);
    run.recipeName = "quick-200mm";
    run.recipeSummary = "200 mm · 10 × 12 mm dies · 1024² px @ 12.0 µm · 0.5 defects/cm²";
    run.recipeJson = R"({"schemaVersion": 1, "name": "quick-200mm"})";
    run.state = state;
    run.startedAt = at(startSecond);
    return run;
}

/// An open wafer "W-<slot>" of `run` in carrier slot `slot`.
[[nodiscard]] inline core::WaferRecord waferRecord(core::RunId run, int slot, std::int64_t startSecond = 0)
{
    core::WaferRecord wafer;
    wafer.runId = run;
    wafer.waferId = core::WaferId("W-" + std::to_string(slot));
    wafer.slot = slot;
    wafer.state = core::RunState::Running;
    wafer.startedAt = at(startSecond);
    return wafer;
}

/// Defect `id` of `wafer` on `run`; every other field follows from the id, so a reader can check a
/// stored defect against defect(id, …) field by field. Odd ids have a staged image, even ones none.
[[nodiscard]] inline core::DefectRecord defect(std::uint64_t id, core::RunId run, const core::WaferId &wafer)
{
    const auto n = static_cast<int>(id % 100000);
    core::DefectRecord d;
    d.id = id;
    d.runId = run;
    d.waferId = wafer;
    d.die = {n % 17, n % 13};
    d.box = {n % 1000, (n * 7) % 1000, 3 + n % 20, 4 + n % 9};
    d.xRelUm = 0.125 * n;
    d.yRelUm = 10000.0 - 0.5 * n;
    d.xSizeUm = 12.0 + n % 20;
    d.ySizeUm = 12.0 + n % 9;
    d.areaUm2 = d.xSizeUm * d.ySizeUm * 0.75;
    d.defectClass = core::kAllDefectClasses[id % std::size(core::kAllDefectClasses)];
    d.polarity = id % 2 == 0 ? core::DefectPolarity::Dark : core::DefectPolarity::Bright;
    if (id % 2 == 1) {
        d.imagePath = "/data/crops/" + std::to_string(id) + ".png";
    }
    d.frameSequence = id / 4;
    d.detectedAt = kOrigin + std::chrono::microseconds(id * 250);
    return d;
}

/// Defects first … first+count−1 of `wafer` on `run`.
[[nodiscard]] inline std::vector<core::DefectRecord> defects(std::uint64_t first, std::size_t count,
                                                             core::RunId run, const core::WaferId &wafer)
{
    std::vector<core::DefectRecord> result;
    result.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        result.push_back(defect(first + i, run, wafer));
    }
    return result;
}

/// The StoreError `call` throws, or nullopt when it throws none.
template <typename Call>
[[nodiscard]] std::optional<core::StoreError> storeErrorOf(Call &&call)
{
    try {
        call();
    } catch (const core::StoreError &error) {
        return error;
    }
    return std::nullopt;
}

[[nodiscard]] inline bool contains(std::string_view text, std::string_view part)
{
    return text.find(part) != std::string_view::npos;
}

/// A store file path inside a temporary folder that lives as long as this object.
class StoreFolder
{
public:
    [[nodiscard]] bool isValid() const { return m_folder.isValid(); }
    [[nodiscard]] std::filesystem::path file(const std::string &name = "waferscope.sqlite") const
    {
        return std::filesystem::path(m_folder.path().toStdString()) / name;
    }

private:
    QTemporaryDir m_folder;
};

} // namespace waferscope::testing::store
