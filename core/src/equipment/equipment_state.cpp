#include <waferscope/core/equipment/equipment_state.h>

#include <iterator>

namespace waferscope::core {

std::string_view toText(EquipmentState state) noexcept
{
    switch (state) {
    case EquipmentState::Productive:
        return "productive";
    case EquipmentState::Standby:
        return "standby";
    case EquipmentState::Engineering:
        return "engineering";
    case EquipmentState::ScheduledDown:
        return "scheduled-down";
    case EquipmentState::UnscheduledDown:
        return "unscheduled-down";
    }
    return "unknown";
}

std::optional<EquipmentState> parseEquipmentState(std::string_view name) noexcept
{
    for (const EquipmentState state : kAllEquipmentStates) {
        if (toText(state) == name) {
            return state;
        }
    }
    return std::nullopt;
}

TelemetrySample toSample(const EquipmentStateChange &change)
{
    return TelemetrySample{RunId{}, std::string(kEquipmentStateChannel), change.at, static_cast<double>(change.state)};
}

std::optional<EquipmentStateChange> equipmentStateOf(const TelemetrySample &sample) noexcept
{
    const double value = sample.value;
    if (sample.channel != kEquipmentStateChannel || value < 0 || value >= std::size(kAllEquipmentStates) ||
        value != static_cast<double>(static_cast<int>(value))) {
        return std::nullopt;
    }
    return EquipmentStateChange{static_cast<EquipmentState>(static_cast<int>(value)), sample.at};
}

} // namespace waferscope::core
