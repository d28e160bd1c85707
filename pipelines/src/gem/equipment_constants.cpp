#include <waferscope/pipelines/gem/equipment_constants.h>

#include <QJsonValue>

#include <algorithm>
#include <stdexcept>

namespace waferscope::pipelines::gem {

namespace {

using namespace ecid;

// E30 §4.1.3 and E37 §10.2 name the constants and the timers' ranges; values are whole seconds.
constexpr EquipmentConstantInfo kDefinitions[] = {
    {kT3, "T3", "s", SecsFormat::U4, 1, 120, 45},
    {kT5, "T5", "s", SecsFormat::U4, 1, 240, 10},
    {kT6, "T6", "s", SecsFormat::U4, 1, 240, 5},
    {kT7, "T7", "s", SecsFormat::U4, 1, 240, 10},
    {kT8, "T8", "s", SecsFormat::U4, 1, 120, 5},
    {kLinktestInterval, "LinktestInterval", "s", SecsFormat::U4, 0, 3600, 0},
    {kInitControlState, "InitControlState", "", SecsFormat::U1, 1, 2, 2},
    {kOffLineSubState, "OffLineSubState", "", SecsFormat::U1, 1, 3, 3, 2},
    {kOnLineSubState, "OnLineSubState", "", SecsFormat::U1, 4, 5, 4},
    {kEnableSpooling, "EnableSpooling", "", SecsFormat::Boolean, 0, 1, 1},
    {kMaxSpoolCount, "MaxSpoolCount", "messages", SecsFormat::U4, 1, 100'000, 1000},
    {kOverWriteSpool, "OverWriteSpool", "", SecsFormat::Boolean, 0, 1, 1},
};

SecsItem itemOf(SecsFormat format, std::uint64_t value)
{
    if (format == SecsFormat::Boolean) {
        return SecsItem::boolean(value != 0);
    }
    return SecsItem::unsignedInts(format, {value});
}

std::chrono::milliseconds seconds(std::uint64_t value)
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::seconds(value));
}

} // namespace

EquipmentConstants::EquipmentConstants()
{
    for (const EquipmentConstantInfo &info : kDefinitions) {
        m_values[info.id] = info.defaultValue;
    }
}

std::span<const EquipmentConstantInfo> EquipmentConstants::definitions() noexcept
{
    return kDefinitions;
}

const EquipmentConstantInfo *EquipmentConstants::find(std::uint64_t ecid) noexcept
{
    const auto *found = std::find_if(std::begin(kDefinitions), std::end(kDefinitions),
                                     [ecid](const EquipmentConstantInfo &info) { return info.id == ecid; });
    return found == std::end(kDefinitions) ? nullptr : found;
}

std::uint64_t EquipmentConstants::value(std::uint32_t ecid) const
{
    const auto found = m_values.find(ecid);
    if (found == m_values.end()) {
        throw std::out_of_range("equipment constant " + std::to_string(ecid) + " does not exist");
    }
    return found->second;
}

SecsItem EquipmentConstants::item(std::uint64_t ecid) const
{
    const EquipmentConstantInfo *info = find(ecid);
    if (info == nullptr) {
        return SecsItem::list();
    }
    return itemOf(info->format, m_values.at(info->id));
}

SecsItem EquipmentConstants::nameEntry(std::uint64_t ecid)
{
    const EquipmentConstantInfo *info = find(ecid);
    const SecsItem id = SecsItem::u4(ecid & 0xFFFF'FFFFu);
    if (info == nullptr) {
        return SecsItem::list({id, SecsItem::ascii(""), SecsItem::list(), SecsItem::list(), SecsItem::list(),
                               SecsItem::ascii("")});
    }
    return SecsItem::list({id, SecsItem::ascii(info->name), itemOf(info->format, info->min),
                           itemOf(info->format, info->max), itemOf(info->format, info->defaultValue),
                           SecsItem::ascii(info->units)});
}

std::string EquipmentConstants::valueText(const EquipmentConstantInfo &info, std::uint64_t value)
{
    if (info.format == SecsFormat::Boolean) {
        return value != 0 ? "true" : "false";
    }
    return info.units.empty() ? std::to_string(value) : std::to_string(value) + " " + std::string(info.units);
}

std::string EquipmentConstants::problemWith(const EquipmentConstantInfo &info, std::uint64_t value)
{
    if (value < info.min || value > info.max || (info.excluded != 0 && value == info.excluded)) {
        std::string range = valueText(info, info.min) + " to " + valueText(info, info.max);
        if (info.excluded != 0) {
            range += ", not " + std::to_string(info.excluded);
        }
        return std::string(info.name) + " (ECID " + std::to_string(info.id) + "): " + std::to_string(value) +
               " is not in its range, " + range;
    }
    return {};
}

std::optional<std::uint64_t> EquipmentConstants::valueOf(const EquipmentConstantInfo &info, const SecsItem &item)
{
    if (info.format == SecsFormat::Boolean) {
        if (item.format != SecsFormat::Boolean || item.bytes.size() != 1) {
            return std::nullopt;
        }
        return item.bytes.front() != 0 ? 1 : 0;
    }
    if (item.format == SecsFormat::Binary) {
        return std::nullopt;
    }
    return item.asUnsigned();
}

EquipmentConstants::Outcome EquipmentConstants::set(const std::vector<std::pair<std::uint64_t, SecsItem>> &values)
{
    Outcome outcome;
    std::map<std::uint32_t, std::uint64_t> next = m_values;
    for (const auto &[id, item] : values) {
        const EquipmentConstantInfo *info = find(id);
        if (info == nullptr) {
            return {kEacNoSuchConstant, "ECID " + std::to_string(id) + " does not exist", {}};
        }
        const auto value = valueOf(*info, item);
        if (!value) {
            return {kEacOutOfRange,
                    std::string(info->name) + " (ECID " + std::to_string(id) + "): " + item.toSml() + " is not " +
                        (info->format == SecsFormat::Boolean ? "a BOOLEAN" : "a whole number"),
                    {}};
        }
        if (std::string problem = problemWith(*info, *value); !problem.empty()) {
            return {kEacOutOfRange, std::move(problem), {}};
        }
        if (next[info->id] != *value) {
            outcome.changes.push_back({info->id, next[info->id], *value});
        }
        next[info->id] = *value;
    }
    m_values = std::move(next);
    return outcome;
}

void EquipmentConstants::setValue(std::uint32_t ecid, std::uint64_t value)
{
    const EquipmentConstantInfo *info = find(ecid);
    if (info == nullptr) {
        throw std::invalid_argument("equipment constant " + std::to_string(ecid) + " does not exist");
    }
    if (std::string problem = problemWith(*info, value); !problem.empty()) {
        throw std::invalid_argument(problem);
    }
    m_values[ecid] = value;
}

GemControlState EquipmentConstants::initialControl() const
{
    if (value(kInitControlState) == 2) {
        return onlineSubstate();
    }
    return value(kOffLineSubState) == 1 ? GemControlState::EquipmentOffline : GemControlState::HostOffline;
}

GemControlState EquipmentConstants::onlineSubstate() const
{
    return value(kOnLineSubState) == 5 ? GemControlState::OnlineRemote : GemControlState::OnlineLocal;
}

void EquipmentConstants::setInitialControl(GemControlState state)
{
    if (state == GemControlState::AttemptOnline) {
        throw std::invalid_argument("the equipment cannot start in attempt on-line");
    }
    if (isOnline(state)) {
        m_values[kInitControlState] = 2;
        m_values[kOnLineSubState] = static_cast<std::uint64_t>(state);
    } else {
        // Started off-line, the equipment waits for its host to take it on-line: remote, as a
        // host that takes control expects.
        m_values[kInitControlState] = 1;
        m_values[kOffLineSubState] = static_cast<std::uint64_t>(state);
        m_values[kOnLineSubState] = static_cast<std::uint64_t>(GemControlState::OnlineRemote);
    }
}

HsmsOptions EquipmentConstants::hsmsOptions(HsmsOptions base) const
{
    base.t3 = seconds(value(kT3));
    base.t6 = seconds(value(kT6));
    base.t7 = seconds(value(kT7));
    base.t8 = seconds(value(kT8));
    base.linktestInterval = seconds(value(kLinktestInterval));
    return base;
}

QJsonObject EquipmentConstants::toJson() const
{
    QJsonObject json;
    for (const EquipmentConstantInfo &info : kDefinitions) {
        json.insert(QString::fromUtf8(info.name.data(), static_cast<qsizetype>(info.name.size())),
                    static_cast<qint64>(m_values.at(info.id)));
    }
    return json;
}

std::vector<std::string> EquipmentConstants::restore(const QJsonObject &json)
{
    std::vector<std::string> problems;
    for (auto entry = json.begin(); entry != json.end(); ++entry) {
        const std::string name = entry.key().toStdString();
        const auto *info = std::find_if(std::begin(kDefinitions), std::end(kDefinitions),
                                        [&name](const EquipmentConstantInfo &i) { return i.name == name; });
        if (info == std::end(kDefinitions)) {
            problems.push_back("'" + name + "' is not an equipment constant");
            continue;
        }
        const double number = entry.value().toDouble(-1);
        if (!entry.value().isDouble() || number < 0 || number != static_cast<double>(static_cast<std::uint64_t>(number))) {
            problems.push_back(name + ": not a whole number; its default is kept");
            continue;
        }
        const auto value = static_cast<std::uint64_t>(number);
        if (std::string problem = problemWith(*info, value); !problem.empty()) {
            problems.push_back(problem + "; its default is kept");
            continue;
        }
        m_values[info->id] = value;
    }
    return problems;
}

} // namespace waferscope::pipelines::gem
