#pragma once

/// Recipe: everything one inspection run is set up with — the wafer and its dies, the frames, which
/// dies to sample, how sensitive detection is, the defect classes and their KLARF numbers, defect-crop
/// staging, alarm limits with the action on each fault class, and the simulated machine's settings.
/// A default-constructed Recipe is valid: a 300 mm wafer of 10 × 12 mm dies, every die sampled.
/// Fields: every field has a path, the same in JSON and in errors ("wafer.diePitch.x",
/// "sampling.dies[2]"); RecipeParser reads recipes from JSON files.
/// Validation: validate() throws ValidationError (subject "recipe '<name>'") that lists every wrong
/// field by its path and says what is wrong, with the allowed range for a number out of range.
/// Simulator: simulator.faults holds fault specs as text; core does not read them, the composition
/// root parses them with the simulator's own parser.
/// Summary: summary() is one line for the recipe picker:
/// "300 mm · 10 × 12 mm dies · 1024² px @ 12.0 µm · 0.5 defects/cm²".
/// Threads: a value. Allocates: its strings and lists.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <waferscope/core/defect_class.h>
#include <waferscope/core/die_index.h>
#include <waferscope/core/recipes/fault_action.h>
#include <waferscope/core/recipes/fault_class.h>
#include <waferscope/core/wafer_geometry.h>

namespace waferscope::core {

struct Recipe {
    /// The JSON schema version this program reads and writes.
    static constexpr int kSchemaVersion = 1;

    struct Frame {
        int widthPx = 1024;        ///< 16…4096
        int heightPx = 1024;       ///< 16…4096
        double pixelSizeUm = 12.0; ///< on the wafer, 0.1…1000
        friend bool operator==(const Frame &, const Frame &) = default;
    };

    struct Sampling {
        enum class Mode : std::uint8_t {
            AllDies, ///< every die of the grid, in scan order
            Listed,  ///< only `dies`, in the order listed
        };
        Mode mode = Mode::AllDies;
        std::vector<DieIndex> dies; ///< empty unless mode is Listed
        friend bool operator==(const Sampling &, const Sampling &) = default;
    };

    struct Detection {
        double thresholdSigma = 5.0; ///< a pixel is defective this many noise sigmas off, 1…100
        int minDefectSizePx = 3;     ///< smaller blobs are ignored, 1…1024
        friend bool operator==(const Detection &, const Detection &) = default;
    };

    /// One row of the class table: a KLARF class number and name, and the detected classes it covers.
    struct ClassEntry {
        int number = 0;                   ///< 0…255, unique in the table
        std::string name;                 ///< 1…32 characters, unique in the table
        std::vector<DefectClass> classes; ///< at least one; each class in exactly one entry
        friend bool operator==(const ClassEntry &, const ClassEntry &) = default;
    };

    struct Staging {
        bool isEnabled = true;
        int cropSizePx = 128; ///< square crops, 16…1024 and no larger than a frame
        int maxBacklog = 512; ///< crops waiting for the disk before new ones are dropped, 1…100000
        friend bool operator==(const Staging &, const Staging &) = default;
    };

    struct Alarms {
        struct Vacuum {
            double minimumKpa = 60.0;                 ///< 0…101.3
            std::chrono::milliseconds delay{500};     ///< below the minimum this long raises it, 0…60000 ms
            friend bool operator==(const Vacuum &, const Vacuum &) = default;
        };
        struct Illumination {
            double minPercent = 70.0; ///< lamp readback band, 0…100, min below max
            double maxPercent = 90.0;
            friend bool operator==(const Illumination &, const Illumination &) = default;
        };
        Vacuum vacuum;
        std::chrono::milliseconds heartbeatTimeout{500}; ///< 10…60000 ms
        Illumination illumination;
        double stageFollowingErrorUm = 20.0;  ///< limit, more than 0 and at most 10000
        std::int64_t diskSpaceMinimumMb = 1024; ///< 0…10000000
        int framesLostThreshold = 10;          ///< lost frames on one wafer that raise it, 1…1000000
        friend bool operator==(const Alarms &, const Alarms &) = default;
    };

    struct FaultActions {
        FaultAction vacuum = FaultAction::Abort;
        FaultAction heartbeat = FaultAction::Abort;
        FaultAction illumination = FaultAction::Pause;
        FaultAction followingError = FaultAction::Pause;
        FaultAction encoder = FaultAction::Abort;
        FaultAction camera = FaultAction::Abort;
        FaultAction framesLost = FaultAction::Pause;
        FaultAction diskSpace = FaultAction::Pause;

        [[nodiscard]] FaultAction on(FaultClass faultClass) const noexcept;
        void set(FaultClass faultClass, FaultAction action) noexcept;
        friend bool operator==(const FaultActions &, const FaultActions &) = default;
    };

    struct Simulator {
        std::uint64_t seed = 1;             ///< 0…2^53, the largest integer JSON carries exactly
        double defectDensityPerCm2 = 0.5;   ///< 0…100
        double framesPerSecond = 50.0;      ///< 0.1…10000
        std::vector<std::string> faults;    ///< fault specs, "vacuum-drop:start=10s,duration=5s,kpa=20"
        friend bool operator==(const Simulator &, const Simulator &) = default;
    };

    std::string name = "default"; ///< 1…64 characters, no control characters
    std::string description;      ///< free text for the recipe picker; may be empty
    /// The product the wafers carry, KLARF's DeviceID: 1…32 characters, no '"' or control
    /// characters. Optional in JSON ("deviceId").
    std::string deviceId = "unspecified";
    WaferGeometry wafer;
    Frame frame;
    Sampling sampling;
    Detection detection;
    std::vector<ClassEntry> defectClasses = {
        {0, "unclassified", {DefectClass::Unknown}},
        {1, "particle", {DefectClass::ParticleBright, DefectClass::ParticleDark}},
        {2, "scratch", {DefectClass::Scratch}},
        {3, "pattern", {DefectClass::MissingFeature, DefectClass::ExtraFeature, DefectClass::Bridge}},
    };
    Staging staging;
    Alarms alarms;
    FaultActions faultActions;
    Simulator simulator;

    /// The KLARF class number of the entry that covers `defectClass`, or nullopt when none does
    /// (never, in a valid recipe).
    [[nodiscard]] std::optional<int> classNumberOf(DefectClass defectClass) const noexcept;
    /// Throws ValidationError (subject "recipe '<name>'") listing every wrong field by its path.
    void validate() const;
    /// One line for the recipe picker; the die list's length is added when only some dies are sampled.
    [[nodiscard]] std::string summary() const;

    friend bool operator==(const Recipe &, const Recipe &) = default;
};

} // namespace waferscope::core
