#include <waferscope/core/equipment/equipment_times.h>

#include <algorithm>

namespace waferscope::core {

double EquipmentTimes::availability() const noexcept
{
    const auto operating = operations();
    return operating.count() > 0 ? std::chrono::duration<double>(uptime()) / std::chrono::duration<double>(operating)
                                 : 0.0;
}

double EquipmentTimes::utilization() const noexcept
{
    const auto operating = operations();
    return operating.count() > 0 ? std::chrono::duration<double>(of(EquipmentState::Productive)) /
                                       std::chrono::duration<double>(operating)
                                 : 0.0;
}

EquipmentTimes equipmentTimes(std::span<const EquipmentStateChange> records, EquipmentTimes::Time from,
                              EquipmentTimes::Time to, EquipmentTimes::Duration maxGap)
{
    EquipmentTimes times;
    times.from = from;
    times.to = std::max(from, to);
    // Walk the records in order; each covers [its time, min(next record, its time + maxGap)),
    // clipped to the period; what no record covers is non-scheduled.
    EquipmentTimes::Duration covered{};
    for (std::size_t i = 0; i < records.size(); ++i) {
        const EquipmentStateChange &record = records[i];
        if (record.at >= times.to) {
            break;
        }
        EquipmentTimes::Time end = record.at + maxGap;
        if (i + 1 < records.size()) {
            end = std::min(end, records[i + 1].at);
        }
        const EquipmentTimes::Time begin = std::max(record.at, from);
        end = std::min(end, times.to);
        if (end > begin) {
            times.inState[static_cast<std::size_t>(record.state)] += end - begin;
            covered += end - begin;
        }
    }
    times.nonScheduled = (times.to - times.from) - covered;
    return times;
}

} // namespace waferscope::core
