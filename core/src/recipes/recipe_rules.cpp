#include "recipe_rules.h"

#include <array>
#include <charconv>
#include <cmath>
#include <map>
#include <optional>

#include <waferscope/core/die_grid.h>

namespace waferscope::core::detail {

namespace {

using Issues = std::vector<ValidationError::Issue>;

constexpr std::size_t kMaxNameLength = 64;
constexpr std::size_t kMaxClassNameLength = 32;
constexpr double kMaxExactJsonInteger = 9007199254740992.0; // 2^53
constexpr int kMinResolvablePx = 2;

std::string path(std::string_view parent, std::size_t index)
{
    return std::string(parent) + "[" + std::to_string(index) + "]";
}

bool hasControlCharacter(std::string_view text)
{
    for (const char c : text) {
        const auto code = static_cast<unsigned char>(c);
        if (code < 0x20 || code == 0x7f) {
            return true;
        }
    }
    return false;
}

/// WaferGeometry names its fields in its own words; a recipe names them by JSON path.
std::string waferPath(const std::string &geometryField)
{
    static const std::map<std::string, std::string, std::less<>> kPaths{
        {"diameter_mm", "wafer.diameterMm"},
        {"pitch_x_mm", "wafer.diePitch.x"},
        {"pitch_y_mm", "wafer.diePitch.y"},
        {"edge_exclusion_mm", "wafer.edgeExclusionMm"},
        {"pitch_x_mm, pitch_y_mm", "wafer.diePitch"},
    };
    const auto found = kPaths.find(geometryField);
    return found != kPaths.end() ? found->second : "wafer." + geometryField;
}

class Rules
{
public:
    Rules(const Recipe &recipe, const IsReadable &isReadable)
        : m_recipe(recipe)
        , m_isReadable(isReadable)
    {
    }

    Issues run()
    {
        name();
        deviceId();
        const std::optional<DieGrid> grid = wafer();
        frame();
        sampling(grid);
        detection();
        defectClasses();
        staging();
        alarms();
        simulator();
        return std::move(m_issues);
    }

private:
    [[nodiscard]] bool readable(std::string_view field) const { return m_isReadable(field); }

    void add(std::string field, std::string problem) { m_issues.push_back({std::move(field), std::move(problem)}); }

    void range(const std::string &field, double value, double low, double high, std::string_view unit)
    {
        if (!readable(field)) {
            return;
        }
        if (!std::isfinite(value) || value < low || value > high) {
            add(field, formatNumber(value) + std::string(unit) + " is out of range (allowed " + formatNumber(low) +
                           "…" + formatNumber(high) + std::string(unit) + ")");
        }
    }

    void name()
    {
        const std::string &text = m_recipe.name;
        if (!readable("name")) {
            return;
        }
        if (text.empty()) {
            add("name", "is empty; a recipe needs a name for the recipe picker");
        } else if (text.size() > kMaxNameLength) {
            add("name", "has " + std::to_string(text.size()) + " characters (allowed 1…" +
                            std::to_string(kMaxNameLength) + ")");
        } else if (hasControlCharacter(text)) {
            add("name", "contains a control character");
        }
    }

    /// KLARF writes the device as a quoted string, which cannot hold '"'.
    void deviceId()
    {
        const std::string &text = m_recipe.deviceId;
        if (!readable("deviceId")) {
            return;
        }
        if (text.empty() || text.size() > kMaxClassNameLength) {
            add("deviceId", "has " + std::to_string(text.size()) + " characters (allowed 1…" +
                                std::to_string(kMaxClassNameLength) + ")");
        } else if (hasControlCharacter(text) || text.find('"') != std::string::npos) {
            add("deviceId", "contains '\"' or a control character");
        }
    }

    /// The die grid, when the wafer is readable and valid; nullopt otherwise.
    std::optional<DieGrid> wafer()
    {
        const bool isWholeWaferReadable = readable("wafer.diameterMm") && readable("wafer.diePitch.x") &&
                                          readable("wafer.diePitch.y") && readable("wafer.edgeExclusionMm");
        try {
            m_recipe.wafer.validate();
            if (isWholeWaferReadable) {
                return DieGrid(m_recipe.wafer);
            }
        } catch (const ValidationError &error) {
            for (const ValidationError::Issue &issue : error.issues()) {
                std::string field = waferPath(issue.field);
                if (readable(field) && (field != "wafer.diePitch" || isWholeWaferReadable)) {
                    add(std::move(field), issue.problem);
                }
            }
        }
        return std::nullopt;
    }

    void frame()
    {
        const Recipe::Frame &f = m_recipe.frame;
        range("frame.widthPx", f.widthPx, 16, 4096, " px");
        range("frame.heightPx", f.heightPx, 16, 4096, " px");
        range("frame.pixelSizeUm", f.pixelSizeUm, 0.1, 1000.0, " µm");
    }

    void sampling(const std::optional<DieGrid> &grid)
    {
        const Recipe::Sampling &s = m_recipe.sampling;
        if (!readable("sampling.mode") || !readable("sampling.dies")) {
            return;
        }
        if (s.mode == Recipe::Sampling::Mode::AllDies) {
            if (!s.dies.empty()) {
                add("sampling.dies", "lists dies, but sampling.mode is 'all'; use mode 'listed' to sample only them");
            }
            return;
        }
        if (s.dies.empty()) {
            add("sampling.dies", "is empty; list at least one die, or use mode 'all'");
            return;
        }
        std::map<DieIndex, std::size_t> firstSeen;
        for (std::size_t i = 0; i < s.dies.size(); ++i) {
            const std::string field = path("sampling.dies", i);
            if (!readable(field)) {
                continue;
            }
            const DieIndex die = s.dies[i];
            const auto [seen, isNew] = firstSeen.emplace(die, i);
            if (!isNew) {
                add(field, toText(die) + " is listed twice (first at " + path("sampling.dies", seen->second) + ")");
            } else if (grid && !grid->contains(die)) {
                add(field, toText(die) + " is not a die of this wafer (columns 0…" +
                               std::to_string(grid->columnCount() - 1) + ", rows 0…" +
                               std::to_string(grid->rowCount() - 1) + ", inside the edge exclusion)");
            }
        }
    }

    void detection()
    {
        range("detection.thresholdSigma", m_recipe.detection.thresholdSigma, 1.0, 100.0, " σ");
        const std::string sizeField = "detection.minDefectSizePx";
        const int size = m_recipe.detection.minDefectSizePx;
        if (readable(sizeField) && size >= 0 && size < kMinResolvablePx) {
            // A defect the optics see as one pixel is a single sample of noise, an edge's leftover or
            // a defect; nothing tells them apart, so such a recipe would report noise.
            add(sizeField, std::to_string(size) + " px is below what the optics resolve: a defect must span at least " +
                               std::to_string(kMinResolvablePx) + " px to be told from noise (allowed " +
                               std::to_string(kMinResolvablePx) + "…1024 px)");
        } else {
            range(sizeField, size, kMinResolvablePx, 1024, " px");
        }
    }

    void defectClasses()
    {
        const std::vector<Recipe::ClassEntry> &entries = m_recipe.defectClasses;
        if (!readable("defectClasses")) {
            return;
        }
        if (entries.empty()) {
            add("defectClasses", "is empty; every defect class needs a class number");
            return;
        }
        std::map<int, std::size_t> numbers;
        std::map<std::string, std::size_t, std::less<>> names;
        std::map<DefectClass, std::size_t> covered;
        bool isEveryEntryReadable = true;
        for (std::size_t i = 0; i < entries.size(); ++i) {
            const Recipe::ClassEntry &entry = entries[i];
            const std::string at = path("defectClasses", i);
            isEveryEntryReadable = isEveryEntryReadable && readable(at + ".classes");
            if (readable(at + ".number")) {
                range(at + ".number", entry.number, 0, 255, "");
                const auto [seen, isNew] = numbers.emplace(entry.number, i);
                if (!isNew) {
                    add(at + ".number", std::to_string(entry.number) + " is already the number of " +
                                            path("defectClasses", seen->second));
                }
            }
            if (readable(at + ".name")) {
                if (entry.name.empty() || entry.name.size() > kMaxClassNameLength) {
                    add(at + ".name", "has " + std::to_string(entry.name.size()) + " characters (allowed 1…" +
                                          std::to_string(kMaxClassNameLength) + ")");
                } else if (hasControlCharacter(entry.name) || entry.name.find('"') != std::string::npos) {
                    add(at + ".name", "contains a control character or '\"', which a KLARF class name cannot hold");
                } else {
                    const auto [seen, isNew] = names.emplace(entry.name, i);
                    if (!isNew) {
                        add(at + ".name",
                            "'" + entry.name + "' is already the name of " + path("defectClasses", seen->second));
                    }
                }
            }
            if (!readable(at + ".classes")) {
                continue;
            }
            if (entry.classes.empty()) {
                add(at + ".classes", "is empty; list the defect classes this entry covers");
            }
            for (std::size_t k = 0; k < entry.classes.size(); ++k) {
                const std::string classField = path(at + ".classes", k);
                if (!readable(classField)) {
                    isEveryEntryReadable = false;
                    continue;
                }
                const auto [seen, isNew] = covered.emplace(entry.classes[k], i);
                if (!isNew) {
                    add(classField, "'" + std::string(toText(entry.classes[k])) + "' is already in " +
                                        path("defectClasses", seen->second));
                }
            }
        }
        if (!isEveryEntryReadable) {
            return;
        }
        for (const DefectClass defectClass : kAllDefectClasses) {
            if (!covered.contains(defectClass)) {
                add("defectClasses", "'" + std::string(toText(defectClass)) +
                                         "' is in no entry; every defect class needs a class number");
            }
        }
    }

    void staging()
    {
        const Recipe::Staging &s = m_recipe.staging;
        range("staging.cropSizePx", s.cropSizePx, 16, 1024, " px");
        range("staging.maxBacklog", s.maxBacklog, 1, 100000, " crops");
        const Recipe::Frame &f = m_recipe.frame;
        for (const auto &[side, size] : {std::pair{"frame.widthPx", f.widthPx}, std::pair{"frame.heightPx", f.heightPx}}) {
            if (readable("staging.cropSizePx") && readable(side) && s.cropSizePx <= 1024 && size >= 16 &&
                s.cropSizePx > size) {
                add("staging.cropSizePx", std::to_string(s.cropSizePx) + " px is larger than a frame (" + side +
                                              " is " + std::to_string(size) + " px)");
                break;
            }
        }
    }

    void alarms()
    {
        const Recipe::Alarms &a = m_recipe.alarms;
        range("alarms.vacuum.minimumKpa", a.vacuum.minimumKpa, 0.0, 101.3, " kPa");
        range("alarms.vacuum.delayMs", static_cast<double>(a.vacuum.delay.count()), 0, 60000, " ms");
        range("alarms.heartbeatTimeoutMs", static_cast<double>(a.heartbeatTimeout.count()), 10, 60000, " ms");
        const std::string minField = "alarms.illumination.minPercent";
        const std::string maxField = "alarms.illumination.maxPercent";
        range(minField, a.illumination.minPercent, 0.0, 100.0, " %");
        range(maxField, a.illumination.maxPercent, 0.0, 100.0, " %");
        if (readable(minField) && readable(maxField) && a.illumination.minPercent >= a.illumination.maxPercent) {
            add(maxField, formatNumber(a.illumination.maxPercent) + " % is not above " + minField + " (" +
                              formatNumber(a.illumination.minPercent) + " %); the band would be empty");
        }
        const std::string followingField = "alarms.stageFollowingErrorUm";
        if (readable(followingField) && (!std::isfinite(a.stageFollowingErrorUm) || a.stageFollowingErrorUm <= 0.0 ||
                                         a.stageFollowingErrorUm > 10000.0)) {
            add(followingField, formatNumber(a.stageFollowingErrorUm) + " µm is out of range (allowed more than 0, at most 10000 µm)");
        }
        range("alarms.diskSpaceMinimumMb", static_cast<double>(a.diskSpaceMinimumMb), 0, 10'000'000, " MB");
        range("alarms.framesLostThreshold", a.framesLostThreshold, 1, 1'000'000, " frames");
    }

    void simulator()
    {
        const Recipe::Simulator &s = m_recipe.simulator;
        range("simulator.seed", static_cast<double>(s.seed), 0, kMaxExactJsonInteger, "");
        range("simulator.defectDensityPerCm2", s.defectDensityPerCm2, 0.0, 100.0, " defects/cm²");
        range("simulator.framesPerSecond", s.framesPerSecond, 0.1, 10000.0, " fps");
        for (std::size_t i = 0; i < s.faults.size(); ++i) {
            const std::string field = path("simulator.faults", i);
            const std::string &spec = s.faults[i];
            // Only the shape is checked here; the composition root parses the rest with the
            // simulator's parser, which names the key that is wrong.
            const std::size_t colon = spec.find(':');
            if (readable(field) && (colon == std::string::npos || colon == 0 || colon + 1 == spec.size())) {
                add(field, "'" + spec + "' is not a fault spec (expected <kind>:start=<time>,duration=<time>[,...])");
            }
        }
    }

    const Recipe &m_recipe;
    const IsReadable &m_isReadable;
    Issues m_issues;
};

} // namespace

std::vector<ValidationError::Issue> recipeIssues(const Recipe &recipe, const IsReadable &isReadable)
{
    return Rules(recipe, isReadable).run();
}

std::string formatNumber(double value)
{
    std::array<char, 32> buffer{};
    const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
    return std::string(buffer.data(), result.ptr);
}

} // namespace waferscope::core::detail
