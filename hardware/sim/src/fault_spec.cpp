#include <waferscope/hardware/sim/fault_spec.h>

#include <array>
#include <charconv>
#include <cmath>
#include <optional>
#include <system_error>
#include <vector>

#include <waferscope/hardware/sim/fault_spec_error.h>

namespace waferscope::hardware::sim {

namespace {

using Duration = runtime::Clock::duration;

constexpr std::string_view kDurationHint = "a number and a unit: ns, us, ms, s, min or h, e.g. 10s";

struct Unit {
    std::string_view name;
    std::int64_t nanoseconds;
};
// "s" comes last: "ns", "us" and "ms" end with it too.
constexpr std::array<Unit, 6> kUnits{{
    {"min", 60'000'000'000},
    {"ns", 1},
    {"us", 1'000},
    {"ms", 1'000'000},
    {"h", 3'600'000'000'000},
    {"s", 1'000'000'000},
}};

/// The parameter a kind takes, besides start and duration; empty for kinds that take none.
std::string_view parameterOf(FaultKind kind) noexcept
{
    switch (kind) {
    case FaultKind::VacuumDrop:
        return "kpa";
    case FaultKind::FrameLoss:
        return "fraction";
    case FaultKind::FrameJitter:
        return "max";
    case FaultKind::FollowingError:
        return "um";
    case FaultKind::IlluminationDegrade:
        return "factor";
    default:
        return {};
    }
}

std::string keysOf(FaultKind kind)
{
    std::string keys = "start, duration";
    if (!parameterOf(kind).empty()) {
        keys += ", ";
        keys += parameterOf(kind);
    }
    return keys;
}

std::string knownKinds()
{
    std::string names;
    for (const FaultKind kind : kAllFaultKinds) {
        if (!names.empty()) {
            names += ", ";
        }
        names += toText(kind);
    }
    return names;
}

std::optional<double> parseNumber(std::string_view text) noexcept
{
    double value = 0.0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc{} || end != text.data() + text.size() || !std::isfinite(value)) {
        return std::nullopt;
    }
    return value;
}

std::string formatNumber(double value)
{
    std::array<char, 32> buffer{};
    const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
    return std::string(buffer.data(), result.ptr);
}

std::string formatDuration(Duration duration)
{
    const std::int64_t ns = std::chrono::duration_cast<std::chrono::nanoseconds>(duration).count();
    if (ns == 0) {
        return "0s";
    }
    for (const Unit &unit : {kUnits[4], kUnits[0], kUnits[5], kUnits[3], kUnits[2]}) {
        if (ns % unit.nanoseconds == 0) {
            return std::to_string(ns / unit.nanoseconds) + std::string(unit.name);
        }
    }
    return std::to_string(ns) + "ns";
}

class Parser
{
public:
    explicit Parser(std::string_view text)
        : m_text(text)
    {
    }

    FaultSpec run()
    {
        const std::size_t colon = m_text.find(':');
        const std::string_view kindName = m_text.substr(0, colon);
        if (kindName.empty()) {
            fail("kind", "missing; expected <kind>:start=<time>,duration=<time> with a kind of " + knownKinds());
        }
        const std::optional<FaultKind> kind = parseFaultKind(kindName);
        if (!kind) {
            fail("kind", "unknown fault kind '" + std::string(kindName) + "' (known: " + knownKinds() + ")");
        }
        FaultSpec spec;
        spec.kind = *kind;
        if (colon == std::string_view::npos) {
            fail("start", "is missing; write " + std::string(kindName) + ":start=<time>,duration=<time>");
        }

        bool hasStart = false;
        bool hasDuration = false;
        bool hasParameter = false;
        std::string_view rest = m_text.substr(colon + 1);
        while (!rest.empty()) {
            const std::size_t comma = rest.find(',');
            const std::string_view item = rest.substr(0, comma);
            rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
            if (comma != std::string_view::npos && rest.empty()) {
                fail("syntax", "a trailing ',' ends the spec; remove it");
            }
            const std::size_t equals = item.find('=');
            if (item.empty()) {
                fail("syntax", "an empty item between commas; remove the extra ','");
            }
            if (equals == std::string_view::npos) {
                fail(std::string(item), "expected key=value (keys for " + std::string(kindName) + ": " +
                                            keysOf(*kind) + ")");
            }
            const std::string_view key = item.substr(0, equals);
            const std::string_view value = item.substr(equals + 1);
            if (value.empty()) {
                fail(std::string(key), "has no value");
            }
            if (key == "start") {
                once(key, hasStart);
                spec.start = duration(key, value);
            } else if (key == "duration") {
                once(key, hasDuration);
                spec.duration = duration(key, value);
                if (spec.duration <= Duration::zero()) {
                    fail("duration", "must be longer than zero");
                }
            } else if (key == parameterOf(*kind)) {
                once(key, hasParameter);
                parameter(spec, key, value);
            } else {
                const bool isParameterOfAnother =
                    key == "kpa" || key == "fraction" || key == "max" || key == "um" || key == "factor";
                fail(std::string(key), std::string(isParameterOfAnother ? "does not apply to " : "is not a key of ") +
                                           std::string(kindName) + " (it takes " + keysOf(*kind) + ")");
            }
        }
        if (!hasStart) {
            fail("start", "is missing");
        }
        if (!hasDuration) {
            fail("duration", "is missing");
        }
        return spec;
    }

private:
    [[noreturn]] void fail(std::string key, std::string problem) const
    {
        throw FaultSpecError(std::string(m_text), std::move(key), std::move(problem));
    }

    void once(std::string_view key, bool &seen) const
    {
        if (seen) {
            fail(std::string(key), "is given twice");
        }
        seen = true;
    }

    Duration duration(std::string_view key, std::string_view text) const
    {
        for (const Unit &unit : kUnits) {
            if (text.size() > unit.name.size() && text.ends_with(unit.name)) {
                const std::optional<double> number = parseNumber(text.substr(0, text.size() - unit.name.size()));
                if (!number) {
                    break;
                }
                if (*number < 0.0) {
                    fail(std::string(key), "'" + std::string(text) + "' is negative; times count from power-on");
                }
                const double ns = *number * static_cast<double>(unit.nanoseconds);
                if (ns > 1e18) {
                    fail(std::string(key), "'" + std::string(text) + "' is too long");
                }
                return std::chrono::duration_cast<Duration>(std::chrono::nanoseconds(std::llround(ns)));
            }
        }
        fail(std::string(key), "'" + std::string(text) + "' is not a time (" + std::string(kDurationHint) + ")");
    }

    double number(std::string_view key, std::string_view text) const
    {
        const std::optional<double> value = parseNumber(text);
        if (!value) {
            fail(std::string(key), "'" + std::string(text) + "' is not a number");
        }
        return *value;
    }

    void parameter(FaultSpec &spec, std::string_view key, std::string_view text) const
    {
        switch (spec.kind) {
        case FaultKind::VacuumDrop:
            spec.kpa = number(key, text);
            if (spec.kpa < 0.0 || spec.kpa > 101.3) {
                fail("kpa", quoted(text) + " is outside 0…101.3 kPa (a vacuum cannot exceed atmospheric pressure)");
            }
            break;
        case FaultKind::FrameLoss:
            spec.fraction = number(key, text);
            if (spec.fraction <= 0.0 || spec.fraction > 1.0) {
                fail("fraction", quoted(text) + " is outside (0, 1]: the share of frame slots lost");
            }
            break;
        case FaultKind::FrameJitter:
            spec.maxDelay = duration(key, text);
            if (spec.maxDelay <= Duration::zero()) {
                fail("max", "must be longer than zero");
            }
            break;
        case FaultKind::FollowingError:
            spec.followingErrorUm = number(key, text);
            if (spec.followingErrorUm <= 0.0 || spec.followingErrorUm > 10000.0) {
                fail("um", quoted(text) + " is outside (0, 10000] µm");
            }
            break;
        case FaultKind::IlluminationDegrade:
            spec.intensityFactor = number(key, text);
            if (spec.intensityFactor < 0.0 || spec.intensityFactor >= 1.0) {
                fail("factor", quoted(text) + " is outside [0, 1): the lamp's output as a share of its set-point");
            }
            break;
        default:
            break;
        }
    }

    static std::string quoted(std::string_view text) { return "'" + std::string(text) + "'"; }

    std::string_view m_text;
};

} // namespace

FaultSpec FaultSpec::parse(std::string_view text)
{
    return Parser(text).run();
}

std::string FaultSpec::toString() const
{
    std::string text = std::string(sim::toText(kind)) + ":start=" + formatDuration(start) +
                       ",duration=" + formatDuration(duration);
    switch (kind) {
    case FaultKind::VacuumDrop:
        text += ",kpa=" + formatNumber(kpa);
        break;
    case FaultKind::FrameLoss:
        text += ",fraction=" + formatNumber(fraction);
        break;
    case FaultKind::FrameJitter:
        text += ",max=" + formatDuration(maxDelay);
        break;
    case FaultKind::FollowingError:
        text += ",um=" + formatNumber(followingErrorUm);
        break;
    case FaultKind::IlluminationDegrade:
        text += ",factor=" + formatNumber(intensityFactor);
        break;
    default:
        break;
    }
    return text;
}

} // namespace waferscope::hardware::sim
