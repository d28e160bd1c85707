#include <waferscope/viewmodels/run/wafer_map_model.h>

#include <algorithm>
#include <utility>

namespace waferscope::viewmodels {

WaferMapModel::WaferMapModel(QObject *parent)
    : QObject(parent)
{
}

void WaferMapModel::setWafer(QString waferId, core::DieGrid grid)
{
    if (m_mark) {
        m_mark.reset();
        Q_EMIT markChanged();
    }
    const bool hadDefects = !m_dots.empty();
    m_waferId = std::move(waferId);
    m_waferKey = m_waferId.toStdString();
    m_perDie.assign(static_cast<std::size_t>(grid.columnCount()) * static_cast<std::size_t>(grid.rowCount()), 0);
    m_grid.emplace(std::move(grid));
    m_dots.clear();
    m_maxPerDie = 0;
    m_offGrid = 0;
    m_otherWafer = 0;
    Q_EMIT waferChanged();
    if (hadDefects) {
        Q_EMIT defectCountChanged();
    }
}

void WaferMapModel::clear()
{
    if (m_mark) {
        m_mark.reset();
        Q_EMIT markChanged();
    }
    const bool hadDefects = !m_dots.empty();
    m_waferId.clear();
    m_waferKey.clear();
    m_grid.reset();
    m_dots.clear();
    m_perDie.clear();
    m_maxPerDie = 0;
    m_offGrid = 0;
    m_otherWafer = 0;
    Q_EMIT waferChanged();
    if (hadDefects) {
        Q_EMIT defectCountChanged();
    }
}

void WaferMapModel::addDefects(std::span<const core::DefectRecord> defects)
{
    const std::size_t first = m_dots.size();
    for (const core::DefectRecord &record : defects) {
        // Without a wafer every record belongs to another one.
        if (!m_grid || record.waferId.text() != m_waferKey) {
            ++m_otherWafer;
            continue;
        }
        if (!m_grid->contains(record.die)) {
            ++m_offGrid;
            continue;
        }
        const core::PointMm origin = m_grid->dieOrigin(record.die);
        m_dots.push_back(Dot{
            record.id,
            static_cast<float>(origin.x + record.xRelUm / 1000.0),
            static_cast<float>(origin.y + record.yRelUm / 1000.0),
            record.defectClass,
            record.die,
        });
        int &count = m_perDie[cell(record.die)];
        ++count;
        m_maxPerDie = std::max(m_maxPerDie, count);
    }
    const std::size_t added = m_dots.size() - first;
    if (added > 0) {
        Q_EMIT defectsAdded(static_cast<int>(first), static_cast<int>(added));
        Q_EMIT defectCountChanged();
    }
}

int WaferMapModel::dieCount() const noexcept
{
    return m_grid ? static_cast<int>(m_grid->dieCount()) : 0;
}

double WaferMapModel::diameterMm() const noexcept
{
    return m_grid ? m_grid->geometry().diameterMm : 0.0;
}

int WaferMapModel::defectsOn(core::DieIndex die) const noexcept
{
    if (!m_grid || !m_grid->contains(die)) {
        return 0;
    }
    return m_perDie[cell(die)];
}

std::size_t WaferMapModel::cell(core::DieIndex die) const noexcept
{
    return static_cast<std::size_t>(die.row) * static_cast<std::size_t>(m_grid->columnCount()) +
           static_cast<std::size_t>(die.column);
}

void WaferMapModel::markDefect(const QString &id)
{
    bool isNumber = false;
    const std::uint64_t wanted = id.toULongLong(&isNumber);
    const auto found = std::find_if(m_dots.begin(), m_dots.end(), [&](const Dot &d) { return isNumber && d.id == wanted; });
    std::optional<QPointF> mark;
    if (found != m_dots.end()) {
        mark = QPointF(found->xMm, found->yMm);
    }
    if (mark != m_mark) {
        m_mark = mark;
        Q_EMIT markChanged();
    }
}

} // namespace waferscope::viewmodels
