#pragma once

/// WaferResult: one inspected wafer, as KlarfWriter exports it — who and what (lot, wafer, carrier
/// slot, device, recipe, process step, station), when, the wafer's geometry, the dies inspected, the
/// class table and every defect found with the crop images staged for it.
/// Coordinates: dies are DieIndex values of the DieGrid that `geometry` makes (row 0 at the top);
/// a defect's position is in µm from its die's lower-left corner, x to the right and y up, and its
/// size is its bounding box in µm with its area in µm².
/// Threads: a value. Allocates: its strings and lists.

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include <waferscope/core/die_index.h>
#include <waferscope/core/wafer_geometry.h>
#include <waferscope/core/wafer_id.h>

namespace waferscope::core {

struct WaferResult {
    using Time = std::chrono::system_clock::time_point;

    /// The inspection station, as KLARF names it: vendor, model and the station's own id.
    struct Station {
        std::string vendor = "Waferscope";
        std::string model = "SIM";
        std::string id;
        friend bool operator==(const Station &, const Station &) = default;
    };

    struct ClassEntry {
        int number = 0;
        std::string name;
        friend bool operator==(const ClassEntry &, const ClassEntry &) = default;
    };

    struct Defect {
        int id = 0; ///< 1 and up, unique on the wafer
        DieIndex die;
        double xRelUm = 0.0;
        double yRelUm = 0.0;
        double xSizeUm = 0.0;
        double ySizeUm = 0.0;
        double areaUm2 = 0.0;
        int classNumber = 0;             ///< a number of `classes`
        /// The defect's staged crops (PNG files), in order; each becomes one page of the wafer's TIFF.
        std::vector<std::filesystem::path> images;
        friend bool operator==(const Defect &, const Defect &) = default;
    };

    std::string lotId;
    WaferId waferId;
    int slot = 1;          ///< the carrier (cassette) slot the wafer sits in, 1…25
    std::string deviceId = "unspecified"; ///< the product on the wafer, from the recipe
    std::string setupId;   ///< the recipe's name
    Time setupTime;        ///< when the recipe was last changed
    std::string stepId;    ///< the process step the wafer was inspected after
    Station station;
    Time fileTime;         ///< when the file is written
    Time resultTime;       ///< when the inspection finished
    WaferGeometry geometry;
    std::vector<DieIndex> sampledDies; ///< in the order they were inspected
    std::vector<ClassEntry> classes;
    std::vector<Defect> defects;

    friend bool operator==(const WaferResult &, const WaferResult &) = default;
};

} // namespace waferscope::core
