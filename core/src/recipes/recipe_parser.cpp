#include <waferscope/core/recipes/recipe_parser.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QJsonValue>

#include <waferscope/core/validation_error.h>

#include "recipe_rules.h"

namespace waferscope::core {

namespace {

using Issues = std::vector<ValidationError::Issue>;

constexpr qint64 kMaxFileBytes = qint64{1024} * 1024;
constexpr double kMaxExactJsonInteger = 9007199254740992.0; // 2^53

std::string join(std::string_view parent, std::string_view key)
{
    return parent.empty() ? std::string(key) : std::string(parent) + "." + std::string(key);
}

std::string indexed(std::string_view parent, qsizetype index)
{
    return std::string(parent) + "[" + std::to_string(index) + "]";
}

std::string typeName(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
        return "null";
    case QJsonValue::Bool:
        return value.toBool() ? "true" : "false";
    case QJsonValue::Double:
        return "the number " + detail::formatNumber(value.toDouble());
    case QJsonValue::String:
        return "the string \"" + value.toString().toStdString() + "\"";
    case QJsonValue::Array:
        return "an array";
    case QJsonValue::Object:
        return "an object";
    case QJsonValue::Undefined:
        break;
    }
    return "nothing";
}

/// Edit distance, for "did you mean" on an unknown field; names are short, so the quadratic table is cheap.
std::size_t distance(std::string_view a, std::string_view b)
{
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) {
        row[j] = j;
    }
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            const bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                              std::tolower(static_cast<unsigned char>(b[j - 1]));
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (same ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

/// Reads the document field by field into a Recipe, noting every field it cannot read.
class Reader
{
public:
    Recipe run(const QJsonObject &root)
    {
        Recipe recipe;
        unknownFields(root, "",
                      {"schemaVersion", "name", "description", "deviceId", "wafer", "frame", "sampling", "detection",
                       "defectClasses", "staging", "alarms", "faultActions", "simulator"});
        if (const auto version = integer(root, "", "schemaVersion"); version && *version != Recipe::kSchemaVersion) {
            m_issues = {{"schemaVersion", std::to_string(*version) + " is not supported; this program reads schema " +
                                              std::to_string(Recipe::kSchemaVersion)}};
            m_isVersionUnsupported = true;
            return recipe;
        }
        if (const auto name = string(root, "", "name")) {
            recipe.name = *name;
        }
        if (root.contains(QStringLiteral("description"))) {
            if (const auto description = string(root, "", "description")) {
                recipe.description = *description;
            }
        }
        if (root.contains(QStringLiteral("deviceId"))) {
            if (const auto deviceId = string(root, "", "deviceId")) {
                recipe.deviceId = *deviceId;
            }
        }
        wafer(root, recipe.wafer);
        frame(root, recipe.frame);
        sampling(root, recipe.sampling);
        detection(root, recipe.detection);
        defectClasses(root, recipe.defectClasses);
        staging(root, recipe.staging);
        alarms(root, recipe.alarms);
        faultActions(root, recipe.faultActions);
        simulator(root, recipe.simulator);
        return recipe;
    }

    [[nodiscard]] bool isVersionUnsupported() const noexcept { return m_isVersionUnsupported; }
    [[nodiscard]] Issues takeIssues() { return std::move(m_issues); }

    /// A field is readable unless it, or an object or array holding it, could not be read.
    [[nodiscard]] bool isReadable(std::string_view path) const
    {
        return std::none_of(m_unreadable.begin(), m_unreadable.end(), [path](const std::string &bad) {
            return path == bad ||
                   (path.size() > bad.size() && path.starts_with(bad) && (path[bad.size()] == '.' || path[bad.size()] == '['));
        });
    }

private:
    void problem(std::string path, std::string text)
    {
        m_unreadable.push_back(path);
        m_issues.push_back({std::move(path), std::move(text)});
    }
    void markUnreadable(std::string path) { m_unreadable.push_back(std::move(path)); }

    void unknownFields(const QJsonObject &object, std::string_view parent, const std::vector<std::string_view> &known)
    {
        for (auto it = object.begin(); it != object.end(); ++it) {
            const std::string key = it.key().toStdString();
            if (std::find(known.begin(), known.end(), key) != known.end()) {
                continue;
            }
            std::string_view closest;
            std::size_t best = 3; // beyond two edits a suggestion is more likely wrong than helpful
            for (const std::string_view candidate : known) {
                const std::size_t d = distance(key, candidate);
                if (d < best) {
                    best = d;
                    closest = candidate;
                }
            }
            std::string text = "is not a known field";
            if (!closest.empty()) {
                text += "; did you mean '" + std::string(closest) + "'?";
            } else {
                text += " (expected ";
                for (std::size_t i = 0; i < known.size(); ++i) {
                    text += (i == 0 ? "" : ", ") + std::string(known[i]);
                }
                text += ")";
            }
            m_issues.push_back({join(parent, key), std::move(text)});
        }
    }

    std::optional<QJsonValue> member(const QJsonObject &object, std::string_view parent, std::string_view key)
    {
        const QJsonValue value = object.value(QString::fromUtf8(key.data(), static_cast<qsizetype>(key.size())));
        if (value.isUndefined()) {
            problem(join(parent, key), "is missing");
            return std::nullopt;
        }
        return value;
    }

    std::optional<QJsonObject> asObject(const QJsonValue &value, const std::string &path)
    {
        if (!value.isObject()) {
            problem(path, "must be an object, not " + typeName(value));
            return std::nullopt;
        }
        return value.toObject();
    }

    std::optional<double> asNumber(const QJsonValue &value, const std::string &path)
    {
        if (!value.isDouble()) {
            problem(path, "must be a number, not " + typeName(value));
            return std::nullopt;
        }
        return value.toDouble();
    }

    std::optional<std::int64_t> asInteger(const QJsonValue &value, const std::string &path)
    {
        const std::optional<double> number = asNumber(value, path);
        if (!number) {
            return std::nullopt;
        }
        if (std::trunc(*number) != *number) {
            problem(path, "must be a whole number, not " + detail::formatNumber(*number));
            return std::nullopt;
        }
        if (std::abs(*number) > kMaxExactJsonInteger) {
            problem(path, detail::formatNumber(*number) + " is too large to be read exactly (at most 2^53)");
            return std::nullopt;
        }
        return static_cast<std::int64_t>(*number);
    }

    /// A whole number that must also fit an int; a larger one is reported here, since the rules
    /// only ever see the int.
    std::optional<int> asInt(const QJsonValue &value, const std::string &path)
    {
        const std::optional<std::int64_t> number = asInteger(value, path);
        if (!number) {
            return std::nullopt;
        }
        if (*number < std::numeric_limits<int>::min() || *number > std::numeric_limits<int>::max()) {
            problem(path, std::to_string(*number) + " is far out of range");
            return std::nullopt;
        }
        return static_cast<int>(*number);
    }

    std::optional<std::string> asString(const QJsonValue &value, const std::string &path)
    {
        if (!value.isString()) {
            problem(path, "must be a string, not " + typeName(value));
            return std::nullopt;
        }
        return value.toString().toStdString();
    }

    std::optional<QJsonArray> asArray(const QJsonValue &value, const std::string &path)
    {
        if (!value.isArray()) {
            problem(path, "must be an array, not " + typeName(value));
            return std::nullopt;
        }
        return value.toArray();
    }

    template <typename T, typename Convert>
    std::optional<T> field(const QJsonObject &object, std::string_view parent, std::string_view key, Convert convert)
    {
        const std::optional<QJsonValue> value = member(object, parent, key);
        if (!value) {
            return std::nullopt;
        }
        return (this->*convert)(*value, join(parent, key));
    }

    std::optional<QJsonObject> object(const QJsonObject &o, std::string_view parent, std::string_view key)
    {
        return field<QJsonObject>(o, parent, key, &Reader::asObject);
    }
    std::optional<double> number(const QJsonObject &o, std::string_view parent, std::string_view key)
    {
        return field<double>(o, parent, key, &Reader::asNumber);
    }
    std::optional<std::int64_t> integer(const QJsonObject &o, std::string_view parent, std::string_view key)
    {
        return field<std::int64_t>(o, parent, key, &Reader::asInteger);
    }
    std::optional<int> smallInteger(const QJsonObject &o, std::string_view parent, std::string_view key)
    {
        return field<int>(o, parent, key, &Reader::asInt);
    }
    std::optional<std::string> string(const QJsonObject &o, std::string_view parent, std::string_view key)
    {
        return field<std::string>(o, parent, key, &Reader::asString);
    }
    std::optional<QJsonArray> array(const QJsonObject &o, std::string_view parent, std::string_view key)
    {
        return field<QJsonArray>(o, parent, key, &Reader::asArray);
    }
    std::optional<bool> boolean(const QJsonObject &o, std::string_view parent, std::string_view key)
    {
        const std::optional<QJsonValue> value = member(o, parent, key);
        if (!value) {
            return std::nullopt;
        }
        if (!value->isBool()) {
            problem(join(parent, key), "must be true or false, not " + typeName(*value));
            return std::nullopt;
        }
        return value->toBool();
    }

    template <typename T>
    static void assign(T &target, const std::optional<T> &value)
    {
        if (value) {
            target = *value;
        }
    }

    void wafer(const QJsonObject &root, WaferGeometry &wafer)
    {
        const std::optional<QJsonObject> o = object(root, "", "wafer");
        if (!o) {
            return;
        }
        unknownFields(*o, "wafer", {"diameterMm", "diePitch", "edgeExclusionMm"});
        assign(wafer.diameterMm, number(*o, "wafer", "diameterMm"));
        if (const std::optional<QJsonObject> pitch = object(*o, "wafer", "diePitch")) {
            unknownFields(*pitch, "wafer.diePitch", {"x", "y"});
            assign(wafer.pitchXMm, number(*pitch, "wafer.diePitch", "x"));
            assign(wafer.pitchYMm, number(*pitch, "wafer.diePitch", "y"));
        }
        assign(wafer.edgeExclusionMm, number(*o, "wafer", "edgeExclusionMm"));
    }

    void frame(const QJsonObject &root, Recipe::Frame &frame)
    {
        const std::optional<QJsonObject> o = object(root, "", "frame");
        if (!o) {
            return;
        }
        unknownFields(*o, "frame", {"widthPx", "heightPx", "pixelSizeUm"});
        assign(frame.widthPx, smallInteger(*o, "frame", "widthPx"));
        assign(frame.heightPx, smallInteger(*o, "frame", "heightPx"));
        assign(frame.pixelSizeUm, number(*o, "frame", "pixelSizeUm"));
    }

    void sampling(const QJsonObject &root, Recipe::Sampling &sampling)
    {
        const std::optional<QJsonObject> o = object(root, "", "sampling");
        if (!o) {
            return;
        }
        unknownFields(*o, "sampling", {"mode", "dies"});
        if (const std::optional<std::string> mode = string(*o, "sampling", "mode")) {
            if (*mode == "all") {
                sampling.mode = Recipe::Sampling::Mode::AllDies;
            } else if (*mode == "listed") {
                sampling.mode = Recipe::Sampling::Mode::Listed;
            } else {
                problem("sampling.mode", "'" + *mode + "' is not a sampling mode (expected 'all' or 'listed')");
            }
        }
        if (!o->contains(QStringLiteral("dies"))) {
            if (isReadable("sampling.mode") && sampling.mode == Recipe::Sampling::Mode::Listed) {
                problem("sampling.dies", "is missing; mode 'listed' samples only the dies listed here");
            }
            return;
        }
        const std::optional<QJsonArray> dies = array(*o, "sampling", "dies");
        if (!dies) {
            return;
        }
        for (qsizetype i = 0; i < dies->size(); ++i) {
            const std::string at = indexed("sampling.dies", i);
            DieIndex die;
            const std::optional<QJsonObject> entry = asObject(dies->at(i), at);
            if (entry) {
                unknownFields(*entry, at, {"column", "row"});
                const std::optional<int> column = smallInteger(*entry, at, "column");
                const std::optional<int> row = smallInteger(*entry, at, "row");
                if (column && row) {
                    die = {*column, *row};
                } else {
                    markUnreadable(at);
                }
            }
            sampling.dies.push_back(die);
        }
    }

    void detection(const QJsonObject &root, Recipe::Detection &detection)
    {
        const std::optional<QJsonObject> o = object(root, "", "detection");
        if (!o) {
            return;
        }
        unknownFields(*o, "detection", {"thresholdSigma", "minDefectSizePx"});
        assign(detection.thresholdSigma, number(*o, "detection", "thresholdSigma"));
        assign(detection.minDefectSizePx, smallInteger(*o, "detection", "minDefectSizePx"));
    }

    void defectClasses(const QJsonObject &root, std::vector<Recipe::ClassEntry> &entries)
    {
        const std::optional<QJsonArray> list = array(root, "", "defectClasses");
        if (!list) {
            return;
        }
        entries.clear();
        for (qsizetype i = 0; i < list->size(); ++i) {
            const std::string at = indexed("defectClasses", i);
            Recipe::ClassEntry entry;
            const std::optional<QJsonObject> o = asObject(list->at(i), at);
            if (!o) {
                entries.push_back(std::move(entry));
                continue;
            }
            unknownFields(*o, at, {"number", "name", "classes"});
            assign(entry.number, smallInteger(*o, at, "number"));
            assign(entry.name, string(*o, at, "name"));
            if (const std::optional<QJsonArray> classes = array(*o, at, "classes")) {
                for (qsizetype k = 0; k < classes->size(); ++k) {
                    const std::string classAt = indexed(at + ".classes", k);
                    DefectClass defectClass = DefectClass::Unknown;
                    if (const std::optional<std::string> name = asString(classes->at(k), classAt)) {
                        if (const std::optional<DefectClass> known = parseDefectClass(*name)) {
                            defectClass = *known;
                        } else {
                            problem(classAt, "'" + *name + "' is not a defect class (known: " + knownDefectClasses() + ")");
                        }
                    }
                    entry.classes.push_back(defectClass);
                }
            }
            entries.push_back(std::move(entry));
        }
    }

    static std::string knownDefectClasses()
    {
        std::string names;
        for (const DefectClass defectClass : kAllDefectClasses) {
            names += (names.empty() ? "" : ", ") + std::string(toText(defectClass));
        }
        return names;
    }

    void staging(const QJsonObject &root, Recipe::Staging &staging)
    {
        const std::optional<QJsonObject> o = object(root, "", "staging");
        if (!o) {
            return;
        }
        unknownFields(*o, "staging", {"enabled", "cropSizePx", "maxBacklog"});
        assign(staging.isEnabled, boolean(*o, "staging", "enabled"));
        assign(staging.cropSizePx, smallInteger(*o, "staging", "cropSizePx"));
        assign(staging.maxBacklog, smallInteger(*o, "staging", "maxBacklog"));
    }

    void alarms(const QJsonObject &root, Recipe::Alarms &alarms)
    {
        const std::optional<QJsonObject> o = object(root, "", "alarms");
        if (!o) {
            return;
        }
        unknownFields(*o, "alarms",
                      {"vacuum", "heartbeatTimeoutMs", "illumination", "stageFollowingErrorUm", "diskSpaceMinimumMb",
                       "framesLostThreshold"});
        if (const std::optional<QJsonObject> vacuum = object(*o, "alarms", "vacuum")) {
            unknownFields(*vacuum, "alarms.vacuum", {"minimumKpa", "delayMs"});
            assign(alarms.vacuum.minimumKpa, number(*vacuum, "alarms.vacuum", "minimumKpa"));
            if (const std::optional<std::int64_t> delay = integer(*vacuum, "alarms.vacuum", "delayMs")) {
                alarms.vacuum.delay = std::chrono::milliseconds(*delay);
            }
        }
        if (const std::optional<std::int64_t> timeout = integer(*o, "alarms", "heartbeatTimeoutMs")) {
            alarms.heartbeatTimeout = std::chrono::milliseconds(*timeout);
        }
        if (const std::optional<QJsonObject> band = object(*o, "alarms", "illumination")) {
            unknownFields(*band, "alarms.illumination", {"minPercent", "maxPercent"});
            assign(alarms.illumination.minPercent, number(*band, "alarms.illumination", "minPercent"));
            assign(alarms.illumination.maxPercent, number(*band, "alarms.illumination", "maxPercent"));
        }
        assign(alarms.stageFollowingErrorUm, number(*o, "alarms", "stageFollowingErrorUm"));
        assign(alarms.diskSpaceMinimumMb, integer(*o, "alarms", "diskSpaceMinimumMb"));
        assign(alarms.framesLostThreshold, smallInteger(*o, "alarms", "framesLostThreshold"));
    }

    void faultActions(const QJsonObject &root, Recipe::FaultActions &actions)
    {
        const std::optional<QJsonObject> o = object(root, "", "faultActions");
        if (!o) {
            return;
        }
        std::vector<std::string_view> names;
        for (const FaultClass faultClass : kAllFaultClasses) {
            names.push_back(toText(faultClass));
        }
        unknownFields(*o, "faultActions", names);
        for (const FaultClass faultClass : kAllFaultClasses) {
            const std::string key(toText(faultClass));
            if (const std::optional<std::string> text = string(*o, "faultActions", key)) {
                if (const std::optional<FaultAction> action = parseFaultAction(*text)) {
                    actions.set(faultClass, *action);
                } else {
                    problem(join("faultActions", key), "'" + *text + "' is not an action (expected 'pause' or 'abort')");
                }
            }
        }
    }

    void simulator(const QJsonObject &root, Recipe::Simulator &simulator)
    {
        const std::optional<QJsonObject> o = object(root, "", "simulator");
        if (!o) {
            return;
        }
        unknownFields(*o, "simulator", {"seed", "defectDensityPerCm2", "framesPerSecond", "faults"});
        if (const std::optional<std::int64_t> seed = integer(*o, "simulator", "seed")) {
            if (*seed < 0) {
                problem("simulator.seed", std::to_string(*seed) + " is out of range (allowed 0…9007199254740992)");
            } else {
                simulator.seed = static_cast<std::uint64_t>(*seed);
            }
        }
        assign(simulator.defectDensityPerCm2, number(*o, "simulator", "defectDensityPerCm2"));
        assign(simulator.framesPerSecond, number(*o, "simulator", "framesPerSecond"));
        if (const std::optional<QJsonArray> faults = array(*o, "simulator", "faults")) {
            for (qsizetype i = 0; i < faults->size(); ++i) {
                simulator.faults.push_back(asString(faults->at(i), indexed("simulator.faults", i)).value_or(""));
            }
        }
    }

    Issues m_issues;
    std::vector<std::string> m_unreadable;
    bool m_isVersionUnsupported = false;
};

std::string subjectFor(std::string_view source)
{
    return "recipe " + std::string(source);
}

/// "line 3, column 14" for a byte offset, as an editor counts them.
std::string position(std::string_view json, std::size_t offset)
{
    offset = std::min(offset, json.size());
    std::size_t line = 1;
    std::size_t lineStart = 0;
    for (std::size_t i = 0; i < offset; ++i) {
        if (json[i] == '\n') {
            ++line;
            lineStart = i + 1;
        }
    }
    return "line " + std::to_string(line) + ", column " + std::to_string(offset - lineStart + 1);
}

} // namespace

Recipe RecipeParser::parseFile(const std::filesystem::path &file)
{
    const std::string source = file.string();
    QFile input(QString::fromStdString(source));
    if (!input.open(QIODevice::ReadOnly)) {
        throw ValidationError(subjectFor(source), {{"file", "cannot be read: " + input.errorString().toStdString()}});
    }
    if (input.size() > kMaxFileBytes) {
        throw ValidationError(subjectFor(source), {{"file", "is " + std::to_string(input.size()) +
                                                                " bytes; a recipe is at most " +
                                                                std::to_string(kMaxFileBytes) + " bytes"}});
    }
    const QByteArray bytes = input.readAll();
    if (input.error() != QFileDevice::NoError) {
        throw ValidationError(subjectFor(source), {{"file", "cannot be read: " + input.errorString().toStdString()}});
    }
    return parse(std::string_view(bytes.constData(), static_cast<std::size_t>(bytes.size())), source);
}

Recipe RecipeParser::parse(std::string_view json, std::string_view source)
{
    QJsonParseError error{};
    const QJsonDocument document =
        QJsonDocument::fromJson(QByteArray(json.data(), static_cast<qsizetype>(json.size())), &error);
    if (error.error != QJsonParseError::NoError) {
        throw ValidationError(subjectFor(source),
                              {{"json", error.errorString().toStdString() + " at " +
                                            position(json, static_cast<std::size_t>(error.offset))}});
    }
    if (!document.isObject()) {
        throw ValidationError(subjectFor(source), {{"json", "the top level must be an object"}});
    }

    Reader reader;
    Recipe recipe = reader.run(document.object());
    Issues issues = reader.takeIssues();
    if (!reader.isVersionUnsupported()) {
        Issues broken = detail::recipeIssues(recipe, [&reader](std::string_view path) { return reader.isReadable(path); });
        issues.insert(issues.end(), std::make_move_iterator(broken.begin()), std::make_move_iterator(broken.end()));
    }
    if (!issues.empty()) {
        throw ValidationError(subjectFor(source), std::move(issues));
    }
    return recipe;
}

} // namespace waferscope::core
