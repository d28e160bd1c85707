#pragma once

/// DieGrid: every die that lies wholly inside a wafer's usable area, and the order a scan visits them.
/// Lattice: die edges lie on the lines x = k·pitchX and y = k·pitchY, so lattice lines cross at the
/// wafer centre (fromLattice(): another tool's lattice, anywhere).
/// Indices: column 0 is the leftmost column that holds a die and row 0 the row farthest from the
/// notch; columns grow to the right, rows toward the notch (down, as a wafer map is drawn).
/// Scan order: serpentine — row 0 left to right, row 1 right to left, and so on — so consecutive
/// dies of a row are neighbours and each row starts at the end nearer to where the previous ended.
/// Coordinates: dieOrigin() is a die's lower-left corner and dieCentre() its centre, in wafer mm.
/// Validation: an invalid geometry, or one on which no die fits, throws ValidationError.
/// Threads: immutable once built; any thread may read it. Allocates: at construction only.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include <waferscope/core/die_index.h>
#include <waferscope/core/point_mm.h>
#include <waferscope/core/wafer_geometry.h>

namespace waferscope::core {

class DieGrid
{
public:
    /// A die of another tool's plan by its lattice place: x to the right, y up, (0, 0) anywhere.
    struct LatticeCell {
        int x = 0;
        int y = 0;
        friend bool operator==(const LatticeCell &, const LatticeCell &) = default;
    };

    explicit DieGrid(WaferGeometry geometry);
    /// The dies another tool lists (a KLARF file's SampleTestPlan), on a lattice whose die (0, 0)
    /// has its lower-left corner at `latticeOrigin` (wafer mm): dies at the wafer's edge are kept,
    /// and the geometry is not held to this machine's recipe rules (any diameter up to 1 m; no
    /// edge exclusion). Duplicate cells count once. Throws ValidationError naming what is wrong: no
    /// cell, a pitch or diameter that is not a positive number, or a plan spanning more than
    /// 4 million cells (a hostile file).
    [[nodiscard]] static DieGrid fromLattice(WaferGeometry geometry, PointMm latticeOrigin,
                                             std::span<const LatticeCell> cells);

    [[nodiscard]] const WaferGeometry &geometry() const noexcept { return m_geometry; }
    [[nodiscard]] std::size_t dieCount() const noexcept { return m_scanOrder.size(); }
    /// Columns and rows of the bounding box of the dies.
    [[nodiscard]] int columnCount() const noexcept { return m_columns; }
    [[nodiscard]] int rowCount() const noexcept { return m_rows; }

    /// Every die, in serpentine scan order.
    [[nodiscard]] std::span<const DieIndex> scanOrder() const noexcept { return m_scanOrder; }
    [[nodiscard]] bool contains(DieIndex die) const noexcept;
    /// Where `die` comes in scanOrder(), or nullopt when it is not on the grid. O(1).
    [[nodiscard]] std::optional<std::size_t> scanPosition(DieIndex die) const noexcept;

    /// Lower-left corner of `die` in wafer mm. Throws std::out_of_range for a die not on the grid.
    [[nodiscard]] PointMm dieOrigin(DieIndex die) const;
    /// Centre of `die` in wafer mm. Throws std::out_of_range for a die not on the grid.
    [[nodiscard]] PointMm dieCentre(DieIndex die) const;
    /// The die whose area holds `point`, or nullopt when no die on the grid does.
    [[nodiscard]] std::optional<DieIndex> dieAt(PointMm point) const noexcept;

private:
    DieGrid() = default;
    /// Lists the dies of the bounding box's cells where `present` is set, in serpentine order.
    void placeDies(const std::vector<bool> &present);
    /// Precondition: 0 <= column < m_columns and 0 <= row < m_rows.
    [[nodiscard]] std::size_t cell(DieIndex die) const noexcept
    {
        return static_cast<std::size_t>(die.row) * static_cast<std::size_t>(m_columns) +
               static_cast<std::size_t>(die.column);
    }
    void requireContains(DieIndex die) const;

    WaferGeometry m_geometry;
    PointMm m_latticeOrigin;  // the lower-left corner of lattice die (0, 0); the centre for our own grids
    int m_leftLattice = 0; // lattice column k (x from k·pitchX) of column 0
    int m_topLattice = 0;  // lattice row k (y from k·pitchY) of row 0
    int m_columns = 0;
    int m_rows = 0;
    std::vector<DieIndex> m_scanOrder;
    std::vector<std::int32_t> m_scanPosition; // one per bounding-box cell, −1 where there is no die
};

} // namespace waferscope::core
