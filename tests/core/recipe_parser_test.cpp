#include <QTest>

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>

#include <functional>
#include <string>
#include <vector>

#include <waferscope/core/recipes/recipe_parser.h>
#include <waferscope/core/validation_error.h>

using waferscope::core::DefectClass;
using waferscope::core::DieIndex;
using waferscope::core::FaultAction;
using waferscope::core::FaultClass;
using waferscope::core::Recipe;
using waferscope::core::RecipeParser;
using waferscope::core::ValidationError;

namespace {

/// A valid recipe in which every value differs from Recipe's defaults, so a field the parser
/// forgot to read shows up as a default.
constexpr const char *kValid = R"({
  "schemaVersion": 1,
  "name": "probe",
  "description": "a recipe for the tests of the parser",
  "deviceId": "PROBE-DEV",
  "wafer": { "diameterMm": 200, "diePitch": { "x": 8.5, "y": 9.5 }, "edgeExclusionMm": 4.0 },
  "frame": { "widthPx": 512, "heightPx": 384, "pixelSizeUm": 20.0 },
  "sampling": { "mode": "listed", "dies": [ { "column": 5, "row": 3 }, { "column": 6, "row": 3 } ] },
  "detection": { "thresholdSigma": 6.5, "minDefectSizePx": 4 },
  "defectClasses": [
    { "number": 10, "name": "other", "classes": ["unknown", "bridge"] },
    { "number": 11, "name": "particle", "classes": ["particle-bright", "particle-dark"] },
    { "number": 12, "name": "scratch", "classes": ["scratch"] },
    { "number": 13, "name": "pattern", "classes": ["missing-feature", "extra-feature"] }
  ],
  "staging": { "enabled": false, "cropSizePx": 96, "maxBacklog": 64 },
  "alarms": {
    "vacuum": { "minimumKpa": 55.5, "delayMs": 750 },
    "heartbeatTimeoutMs": 400,
    "illumination": { "minPercent": 65.0, "maxPercent": 95.0 },
    "stageFollowingErrorUm": 15.0,
    "diskSpaceMinimumMb": 2048,
    "framesLostThreshold": 7
  },
  "faultActions": {
    "vacuum": "pause", "heartbeat": "pause", "illumination": "abort", "followingError": "abort",
    "encoder": "pause", "camera": "pause", "framesLost": "abort", "diskSpace": "abort"
  },
  "simulator": {
    "seed": 4711, "defectDensityPerCm2": 1.25, "framesPerSecond": 30.0,
    "faults": ["vacuum-drop:start=10s,duration=5s,kpa=20", "heartbeat-stop:start=1min,duration=2s"]
  }
})";

QJsonObject validDocument()
{
    return QJsonDocument::fromJson(kValid).object();
}

/// Path segments "a", "b[2]" → key and, for an array element, its index.
struct Segment {
    QString key;
    int index = -1;
};

std::vector<Segment> segmentsOf(const QString &path)
{
    std::vector<Segment> segments;
    static const QRegularExpression indexed(QStringLiteral("^(\\w+)\\[(\\d+)\\]$"));
    for (const QString &part : path.split(QLatin1Char('.'))) {
        const QRegularExpressionMatch match = indexed.match(part);
        if (match.hasMatch()) {
            segments.push_back({match.captured(1), match.captured(2).toInt()});
        } else {
            segments.push_back({part, -1});
        }
    }
    return segments;
}

/// Returns `node` with the value at `segments` replaced by `value`, or removed when `value` is undefined.
QJsonValue edited(const QJsonValue &node, const std::vector<Segment> &segments, std::size_t at, const QJsonValue &value)
{
    QJsonObject object = node.toObject();
    const Segment &segment = segments[at];
    const bool isLast = at + 1 == segments.size();
    if (segment.index < 0) {
        if (isLast && value.isUndefined()) {
            object.remove(segment.key);
        } else {
            object[segment.key] = isLast ? value : edited(object.value(segment.key), segments, at + 1, value);
        }
        return object;
    }
    QJsonArray array = object.value(segment.key).toArray();
    array[segment.index] = isLast ? value : edited(array.at(segment.index), segments, at + 1, value);
    object[segment.key] = array;
    return object;
}

QByteArray withValue(const QString &path, const QJsonValue &value, QJsonObject document = validDocument())
{
    return QJsonDocument(edited(document, segmentsOf(path), 0, value).toObject()).toJson();
}

QByteArray without(const QString &path)
{
    return withValue(path, QJsonValue(QJsonValue::Undefined));
}

Recipe parse(const QByteArray &json)
{
    return RecipeParser::parse(std::string_view(json.constData(), static_cast<std::size_t>(json.size())), "probe.json");
}

ValidationError errorOf(const QByteArray &json)
{
    try {
        static_cast<void>(parse(json));
    } catch (const ValidationError &error) {
        return error;
    }
    throw std::logic_error("the parser accepted: " + json.toStdString());
}

/// Every field path in `value`: object members and array elements, leaves and containers.
void collectPaths(const QJsonValue &value, const QString &path, QStringList &objectMembers, QStringList &leaves)
{
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            const QString child = path.isEmpty() ? it.key() : path + QLatin1Char('.') + it.key();
            objectMembers.push_back(child);
            collectPaths(it.value(), child, objectMembers, leaves);
        }
    } else if (value.isArray()) {
        const QJsonArray array = value.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            collectPaths(array.at(i), path + QStringLiteral("[%1]").arg(i), objectMembers, leaves);
        }
    } else {
        leaves.push_back(path);
    }
}

std::string listIssues(const ValidationError &error)
{
    std::string text;
    for (const ValidationError::Issue &issue : error.issues()) {
        text += "\n  " + issue.field + ": " + issue.problem;
    }
    return text;
}

} // namespace

class RecipeParserTest : public QObject
{
    Q_OBJECT

private slots:
    void parsesEveryFieldAsWritten()
    {
        const Recipe recipe = parse(kValid);
        QCOMPARE(recipe.name, std::string("probe"));
        QCOMPARE(recipe.description, std::string("a recipe for the tests of the parser"));
        QCOMPARE(recipe.deviceId, std::string("PROBE-DEV"));
        QCOMPARE(recipe.wafer.diameterMm, 200.0);
        QCOMPARE(recipe.wafer.pitchXMm, 8.5);
        QCOMPARE(recipe.wafer.pitchYMm, 9.5);
        QCOMPARE(recipe.wafer.edgeExclusionMm, 4.0);
        QCOMPARE(recipe.frame, (Recipe::Frame{512, 384, 20.0}));
        QVERIFY(recipe.sampling.mode == Recipe::Sampling::Mode::Listed);
        QCOMPARE(recipe.sampling.dies, (std::vector<DieIndex>{{5, 3}, {6, 3}}));
        QCOMPARE(recipe.detection, (Recipe::Detection{6.5, 4}));
        QCOMPARE(recipe.defectClasses.size(), std::size_t{4});
        QCOMPARE(recipe.defectClasses[0],
                 (Recipe::ClassEntry{10, "other", {DefectClass::Unknown, DefectClass::Bridge}}));
        QCOMPARE(recipe.classNumberOf(DefectClass::ExtraFeature), std::optional<int>(13));
        QCOMPARE(recipe.staging, (Recipe::Staging{false, 96, 64}));
        QCOMPARE(recipe.alarms.vacuum.minimumKpa, 55.5);
        QCOMPARE(recipe.alarms.vacuum.delay, std::chrono::milliseconds(750));
        QCOMPARE(recipe.alarms.heartbeatTimeout, std::chrono::milliseconds(400));
        QCOMPARE(recipe.alarms.illumination.minPercent, 65.0);
        QCOMPARE(recipe.alarms.illumination.maxPercent, 95.0);
        QCOMPARE(recipe.alarms.stageFollowingErrorUm, 15.0);
        QCOMPARE(recipe.alarms.diskSpaceMinimumMb, std::int64_t{2048});
        QCOMPARE(recipe.alarms.framesLostThreshold, 7);
        QCOMPARE(recipe.faultActions.on(FaultClass::Vacuum), FaultAction::Pause);
        QCOMPARE(recipe.faultActions.on(FaultClass::Camera), FaultAction::Pause);
        QCOMPARE(recipe.faultActions.on(FaultClass::Illumination), FaultAction::Abort);
        QCOMPARE(recipe.faultActions.on(FaultClass::DiskSpace), FaultAction::Abort);
        QCOMPARE(recipe.simulator.seed, std::uint64_t{4711});
        QCOMPARE(recipe.simulator.defectDensityPerCm2, 1.25);
        QCOMPARE(recipe.simulator.framesPerSecond, 30.0);
        QCOMPARE(recipe.simulator.faults, (std::vector<std::string>{"vacuum-drop:start=10s,duration=5s,kpa=20",
                                                                    "heartbeat-stop:start=1min,duration=2s"}));
    }

    void returnedRecipePassesValidate()
    {
        parse(kValid).validate();
    }

    void descriptionIsOptional()
    {
        QCOMPARE(parse(without(QStringLiteral("description"))).description, std::string());
    }

    void deviceIdIsOptionalAndDefaultsToUnspecified()
    {
        QCOMPARE(parse(without(QStringLiteral("deviceId"))).deviceId, std::string("unspecified"));
    }

    void deviceIdThatKlarfCannotQuoteIsRefused()
    {
        const ValidationError error = errorOf(withValue(QStringLiteral("deviceId"), QStringLiteral("A\"B")));
        QCOMPARE(error.problemWith("deviceId"), std::string_view("contains '\"' or a control character"));
    }

    void missingFieldIsNamedByItsPathAndTheSubjectNamesTheSource()
    {
        const ValidationError error = errorOf(without(QStringLiteral("wafer.diePitch.x")));
        QCOMPARE(error.subject(), std::string("recipe probe.json"));
        QCOMPARE(error.issues().size(), std::size_t{1});
        QCOMPARE(error.problemWith("wafer.diePitch.x"), std::string_view("is missing"));
        QCOMPARE(std::string(error.what()), std::string("invalid recipe probe.json: wafer.diePitch.x: is missing"));
    }

    void wrongTypeNamesTheTypeFound()
    {
        const ValidationError error = errorOf(withValue(QStringLiteral("frame.widthPx"), QStringLiteral("1024")));
        QCOMPARE(error.problemWith("frame.widthPx"), std::string_view("must be a number, not the string \"1024\""));
    }

    void wholeNumberFieldRejectsAFraction()
    {
        const ValidationError error = errorOf(withValue(QStringLiteral("frame.widthPx"), 512.5));
        QCOMPARE(error.problemWith("frame.widthPx"), std::string_view("must be a whole number, not 512.5"));
    }

    void outOfRangeNamesTheAllowedRange()
    {
        const ValidationError error = errorOf(withValue(QStringLiteral("frame.widthPx"), 5000));
        QCOMPARE(error.issues().size(), std::size_t{1});
        QCOMPARE(error.problemWith("frame.widthPx"), std::string_view("5000 px is out of range (allowed 16…4096 px)"));
    }

    void unknownFieldIsAnErrorWithASuggestion()
    {
        QJsonObject document = validDocument();
        QJsonObject wafer = document.value(QStringLiteral("wafer")).toObject();
        wafer[QStringLiteral("diePich")] = wafer.take(QStringLiteral("diePitch"));
        document[QStringLiteral("wafer")] = wafer;
        const ValidationError error = errorOf(QJsonDocument(document).toJson());
        QCOMPARE(error.issues().size(), std::size_t{2});
        QCOMPARE(error.problemWith("wafer.diePich"), std::string_view("is not a known field; did you mean 'diePitch'?"));
        QCOMPARE(error.problemWith("wafer.diePitch"), std::string_view("is missing"));
    }

    void unknownFieldUnlikeAnyOtherListsTheExpectedOnes()
    {
        const ValidationError error = errorOf(withValue(QStringLiteral("frame.colour"), QStringLiteral("red")));
        QCOMPARE(error.problemWith("frame.colour"),
                 std::string_view("is not a known field (expected widthPx, heightPx, pixelSizeUm)"));
    }

    void everyErrorIsReportedNotOnlyTheFirst()
    {
        QJsonObject document = validDocument();
        document = QJsonDocument::fromJson(withValue(QStringLiteral("wafer.diameterMm"), 250, document)).object();
        document = QJsonDocument::fromJson(withValue(QStringLiteral("detection.thresholdSigma"), true, document)).object();
        document = QJsonDocument::fromJson(withValue(QStringLiteral("faultActions.camera"), QStringLiteral("stop"), document)).object();
        document = QJsonDocument::fromJson(withValue(QStringLiteral("simulator.seed"), -1, document)).object();
        const ValidationError error = errorOf(QJsonDocument(document).toJson());
        QVERIFY2(error.issues().size() == 4, listIssues(error).c_str());
        QVERIFY(!error.problemWith("wafer.diameterMm").empty());
        QCOMPARE(error.problemWith("detection.thresholdSigma"), std::string_view("must be a number, not true"));
        QCOMPARE(error.problemWith("faultActions.camera"), std::string_view("'stop' is not an action (expected 'pause' or 'abort')"));
        QCOMPARE(error.problemWith("simulator.seed"), std::string_view("-1 is out of range (allowed 0…9007199254740992)"));
    }

    void removingAnyRequiredFieldIsReportedOnceByItsPath()
    {
        QStringList members;
        QStringList leaves;
        collectPaths(validDocument(), QString(), members, leaves);
        QVERIFY(members.size() > 40);
        for (const QString &path : std::as_const(members)) {
            if (path == QStringLiteral("description") || path == QStringLiteral("deviceId")) {
                continue;
            }
            const ValidationError error = errorOf(without(path));
            const std::string expected = path.toStdString();
            QVERIFY2(error.issues().size() == 1 && error.issues()[0].field == expected &&
                         error.issues()[0].problem.starts_with("is missing"),
                     (expected + " removed:" + listIssues(error)).c_str());
        }
    }

    void givingAnyValueTheWrongTypeIsReportedOnceByItsPath()
    {
        QStringList members;
        QStringList leaves;
        collectPaths(validDocument(), QString(), members, leaves);
        QVERIFY(leaves.size() > 40);
        for (const QString &path : std::as_const(leaves)) {
            const ValidationError error = errorOf(withValue(path, QJsonObject{}));
            const std::string expected = path.toStdString();
            QVERIFY2(error.issues().size() == 1 && error.issues()[0].field == expected &&
                         error.issues()[0].problem.ends_with("not an object"),
                     (expected + " made an object:" + listIssues(error)).c_str());
        }
    }

    void aFieldReportedMissingIsNotAlsoCheckedAgainstItsDefault()
    {
        // With minPercent gone, 50 % would be below the default minimum of 70 %; that is not the
        // recipe's mistake, so only the missing field is reported.
        QJsonObject document = QJsonDocument::fromJson(withValue(QStringLiteral("alarms.illumination.maxPercent"), 50)).object();
        const ValidationError error =
            errorOf(withValue(QStringLiteral("alarms.illumination.minPercent"), QJsonValue(QJsonValue::Undefined), document));
        QVERIFY2(error.issues().size() == 1, listIssues(error).c_str());
        QCOMPARE(error.problemWith("alarms.illumination.minPercent"), std::string_view("is missing"));
    }

    void unsupportedSchemaVersionIsReportedAlone()
    {
        QJsonObject document = QJsonDocument::fromJson(withValue(QStringLiteral("frame.widthPx"), 1)).object();
        const ValidationError error = errorOf(withValue(QStringLiteral("schemaVersion"), 2, document));
        QCOMPARE(error.issues().size(), std::size_t{1});
        QCOMPARE(error.problemWith("schemaVersion"), std::string_view("2 is not supported; this program reads schema 1"));
    }

    void syntaxErrorNamesLineAndColumn()
    {
        const ValidationError error = errorOf("{\n  \"schemaVersion\": 1,\n  \"name\" \"x\"\n}");
        QCOMPARE(error.issues().size(), std::size_t{1});
        QCOMPARE(error.issues()[0].field, std::string("json"));
        QVERIFY2(error.issues()[0].problem.find("line 3, column") != std::string::npos, error.what());
    }

    void topLevelMustBeAnObject()
    {
        QCOMPARE(errorOf("[1, 2]").problemWith("json"), std::string_view("the top level must be an object"));
    }

    void listedSamplingNeedsDies()
    {
        QCOMPARE(errorOf(without(QStringLiteral("sampling.dies"))).problemWith("sampling.dies"),
                 std::string_view("is missing; mode 'listed' samples only the dies listed here"));
    }

    void allDiesSamplingTakesNoDieList()
    {
        parse(withValue(QStringLiteral("sampling"), QJsonObject{{QStringLiteral("mode"), QStringLiteral("all")}}));
        const ValidationError error = errorOf(withValue(QStringLiteral("sampling.mode"), QStringLiteral("all")));
        QVERIFY(error.problemWith("sampling.dies").find("mode is 'all'") != std::string_view::npos);
    }

    void unknownSamplingModeIsNamed()
    {
        QCOMPARE(errorOf(withValue(QStringLiteral("sampling.mode"), QStringLiteral("some"))).problemWith("sampling.mode"),
                 std::string_view("'some' is not a sampling mode (expected 'all' or 'listed')"));
    }

    void listedDieOffTheWaferNamesTheGrid()
    {
        const ValidationError error = errorOf(withValue(QStringLiteral("sampling.dies[1].column"), 200));
        QVERIFY2(error.problemWith("sampling.dies[1]").starts_with("(200,3) is not a die of this wafer (columns 0…"),
                 error.what());
    }

    void unknownDefectClassNameListsTheKnownOnes()
    {
        const ValidationError error =
            errorOf(withValue(QStringLiteral("defectClasses[1].classes[0]"), QStringLiteral("particle")));
        QCOMPARE(error.issues().size(), std::size_t{1});
        QCOMPARE(error.problemWith("defectClasses[1].classes[0]"),
                 std::string_view("'particle' is not a defect class (known: unknown, particle-bright, particle-dark, "
                                  "scratch, missing-feature, extra-feature, bridge)"));
    }

    void readsAFileAndNamesItInErrors()
    {
        QTemporaryDir folder;
        QVERIFY(folder.isValid());
        const QString path = folder.filePath(QStringLiteral("probe.json"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(without(QStringLiteral("name")));
        file.close();
        try {
            static_cast<void>(RecipeParser::parseFile(path.toStdString()));
            QFAIL("a recipe without a name was accepted");
        } catch (const ValidationError &error) {
            QCOMPARE(error.subject(), "recipe " + path.toStdString());
            QCOMPARE(error.problemWith("name"), std::string_view("is missing"));
        }

        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(kValid);
        file.close();
        QCOMPARE(RecipeParser::parseFile(path.toStdString()).name, std::string("probe"));
    }

    void unreadableFileIsNamedWithTheSystemsReason()
    {
        QTemporaryDir folder;
        const std::string path = folder.filePath(QStringLiteral("absent.json")).toStdString();
        try {
            static_cast<void>(RecipeParser::parseFile(path));
            QFAIL("a missing file was accepted");
        } catch (const ValidationError &error) {
            QCOMPARE(error.subject(), "recipe " + path);
            QVERIFY2(error.problemWith("file").starts_with("cannot be read: "), error.what());
        }
    }
};

QTEST_GUILESS_MAIN(RecipeParserTest)
#include "recipe_parser_test.moc"
