#pragma once

/// WaferMapModel: what a wafer map shows — the wafer (outline, notch, die grid) and the defects
/// found on it so far, with a defect count per die.
/// Feeding: setWafer() starts a new map (a new wafer, or a past one opened from the history) and
/// clears the defects; addDefects() appends a batch, as the UI marshal delivers them. Defects on
/// dies that are not on the grid are counted in offGridDefects() and not drawn.
/// Signals: waferChanged() after setWafer() and clear(); defectsAdded(first, count) after each
/// batch, so a view can draw only what is new.
/// Threads: the UI thread only. Allocates: per batch, the defects' entries (amortised growth).
/// Positions: every coordinate is in wafer mm, y up, the wafer centre at (0, 0), as core::DieGrid.

#include <QObject>
#include <QPointF>
#include <QtQml/qqmlregistration.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <waferscope/core/defect_class.h>
#include <waferscope/core/die_grid.h>
#include <waferscope/core/persistence/defect_record.h>

namespace waferscope::viewmodels {

class WaferMapModel : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("A wafer map model belongs to the page that shows a wafer")
    Q_PROPERTY(QString waferId READ waferId NOTIFY waferChanged)
    Q_PROPERTY(int dieCount READ dieCount NOTIFY waferChanged)
    Q_PROPERTY(int defectCount READ defectCount NOTIFY defectCountChanged)
    Q_PROPERTY(double diameterMm READ diameterMm NOTIFY waferChanged)
    /// The picked defect, drawn as a ring on the map: markDefect() sets it, a new wafer clears it.
    Q_PROPERTY(bool hasMark READ hasMark NOTIFY markChanged)
    Q_PROPERTY(QPointF markMm READ markMm NOTIFY markChanged)

public:
    /// One defect as the map draws it.
    struct Dot {
        std::uint64_t id = 0;
        float xMm = 0.0F; ///< wafer mm
        float yMm = 0.0F;
        core::DefectClass defectClass = core::DefectClass::Unknown;
        core::DieIndex die;
    };

    explicit WaferMapModel(QObject *parent = nullptr);

    /// Starts a map of `waferId` on `grid`: no defects yet.
    void setWafer(QString waferId, core::DieGrid grid);
    /// Forgets the wafer and its defects (no grid: an empty map).
    void clear();
    /// Marks defect `id` (its decimal text) when it is on the map; anything else clears the mark.
    Q_INVOKABLE void markDefect(const QString &id);
    [[nodiscard]] bool hasMark() const noexcept { return m_mark.has_value(); }
    [[nodiscard]] QPointF markMm() const noexcept { return m_mark.value_or(QPointF()); }
    /// Appends defects of the current wafer; records of another wafer are ignored and counted.
    void addDefects(std::span<const core::DefectRecord> defects);

    [[nodiscard]] QString waferId() const { return m_waferId; }
    [[nodiscard]] const std::optional<core::DieGrid> &grid() const noexcept { return m_grid; }
    [[nodiscard]] int dieCount() const noexcept;
    [[nodiscard]] int defectCount() const noexcept { return static_cast<int>(m_dots.size()); }
    [[nodiscard]] double diameterMm() const noexcept;
    [[nodiscard]] std::span<const Dot> dots() const noexcept { return m_dots; }
    /// Defects on `die` so far; 0 for a die not on the grid.
    [[nodiscard]] int defectsOn(core::DieIndex die) const noexcept;
    /// The largest per-die count, for a colour scale.
    [[nodiscard]] int maxDefectsPerDie() const noexcept { return m_maxPerDie; }
    [[nodiscard]] std::uint64_t offGridDefects() const noexcept { return m_offGrid; }
    [[nodiscard]] std::uint64_t otherWaferDefects() const noexcept { return m_otherWafer; }

Q_SIGNALS:
    void waferChanged();
    void defectsAdded(int first, int count);
    void defectCountChanged();
    void markChanged();

private:
    /// Precondition: the grid is set and contains `die`.
    [[nodiscard]] std::size_t cell(core::DieIndex die) const noexcept;

    QString m_waferId;
    std::string m_waferKey; // m_waferId as a record's WaferId spells it, compared without allocating
    std::optional<core::DieGrid> m_grid;
    std::vector<Dot> m_dots;
    std::vector<int> m_perDie; // one per bounding-box cell of the grid, row-major
    int m_maxPerDie = 0;
    std::uint64_t m_offGrid = 0;
    std::uint64_t m_otherWafer = 0;
    std::optional<QPointF> m_mark; // wafer mm
};

} // namespace waferscope::viewmodels
