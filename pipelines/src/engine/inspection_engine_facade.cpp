// The parts of the EngineFacade that InspectionEngine answers from the machine, its setup and the
// stats registry, without touching a run.

#include <waferscope/pipelines/engine/inspection_engine.h>

#include <exception>

namespace waferscope::pipelines {

std::string InspectionEngine::machineName() const
{
    return std::string(m_machine.name());
}

const core::DieGrid &InspectionEngine::dieGrid() const
{
    return m_machine.dieGrid();
}

std::vector<StatisticsEntry> InspectionEngine::statistics() const
{
    const std::vector<runtime::StatsEntry> entries = m_stats.snapshot();
    std::vector<StatisticsEntry> result;
    result.reserve(entries.size());
    for (const runtime::StatsEntry &entry : entries) {
        StatisticsEntry copy;
        copy.kind = entry.kind;
        copy.name = entry.name;
        copy.metrics.reserve(entry.metrics.size());
        for (const runtime::Metric &metric : entry.metrics) {
            copy.metrics.push_back({std::string(metric.name), metric.value});
        }
        result.push_back(std::move(copy));
    }
    return result;
}

bool InspectionEngine::isSimulated() const
{
    return static_cast<bool>(m_setup.injectFault);
}

std::optional<std::string> InspectionEngine::injectFault(const std::string &spec)
{
    if (!m_setup.injectFault) {
        return "the machine '" + machineName() + "' is not simulated: it takes no injected faults";
    }
    try {
        m_setup.injectFault(spec);
    } catch (const std::exception &e) {
        return std::string(e.what());
    }
    return std::nullopt;
}

} // namespace waferscope::pipelines
