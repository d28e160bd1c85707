#include <waferscope/core/die_grid.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include <waferscope/core/validation_error.h>

namespace waferscope::core {

namespace {

/// The lattice columns whose dies fit in the lattice row spanning y0..y1, as [first, last]; empty
/// (first > last) when none fits. A die is wholly inside the circle exactly when its corner
/// farthest from the centre is, so the row's allowed half-width follows from its farther edge.
struct ColumnSpan {
    int first;
    int last;
};

ColumnSpan columnsInRow(double y0, double y1, double radius, double pitchX)
{
    const double farY = std::max(std::abs(y0), std::abs(y1));
    if (farY > radius) {
        return {1, 0};
    }
    const double halfWidth = std::sqrt(radius * radius - farY * farY);
    // Column k spans k·pitchX .. (k+1)·pitchX: it fits when k·pitchX >= −halfWidth and
    // (k+1)·pitchX <= halfWidth.
    return {static_cast<int>(std::ceil(-halfWidth / pitchX)), static_cast<int>(std::floor(halfWidth / pitchX)) - 1};
}

} // namespace

DieGrid::DieGrid(WaferGeometry geometry)
    : m_geometry(geometry)
{
    m_geometry.validate();
    const double radius = m_geometry.usableRadiusMm();
    const double pitchX = m_geometry.pitchXMm;
    const double pitchY = m_geometry.pitchYMm;

    // Lattice rows k span k·pitchY .. (k+1)·pitchY; only those within the radius can hold a die.
    const int lowest = static_cast<int>(std::floor(-radius / pitchY));
    const int highest = static_cast<int>(std::ceil(radius / pitchY));
    struct Row {
        int lattice;
        ColumnSpan columns;
    };
    std::vector<Row> rows;
    for (int k = highest; k >= lowest; --k) {
        const ColumnSpan span = columnsInRow(k * pitchY, (k + 1) * pitchY, radius, pitchX);
        if (span.first <= span.last) {
            rows.push_back({k, span});
        }
    }
    if (rows.empty()) {
        throw ValidationError("wafer geometry",
                              {{"pitch_x_mm, pitch_y_mm", "no die of this pitch fits inside the usable area"}});
    }

    m_topLattice = rows.front().lattice;
    m_rows = m_topLattice - rows.back().lattice + 1;
    m_leftLattice = rows.front().columns.first;
    int rightLattice = rows.front().columns.last;
    for (const Row &row : rows) {
        m_leftLattice = std::min(m_leftLattice, row.columns.first);
        rightLattice = std::max(rightLattice, row.columns.last);
    }
    m_columns = rightLattice - m_leftLattice + 1;

    std::vector<bool> present(static_cast<std::size_t>(m_columns) * static_cast<std::size_t>(m_rows), false);
    for (const Row &row : rows) {
        const int rowIndex = m_topLattice - row.lattice;
        for (int k = row.columns.first; k <= row.columns.last; ++k) {
            present[cell(DieIndex{k - m_leftLattice, rowIndex})] = true;
        }
    }
    placeDies(present);
}

DieGrid DieGrid::fromLattice(WaferGeometry geometry, PointMm latticeOrigin, std::span<const LatticeCell> cells)
{
    std::vector<ValidationError::Issue> issues;
    const auto positive = [&issues](const char *field, double value) {
        if (!std::isfinite(value) || value <= 0.0) {
            issues.push_back({field, "must be a positive number of millimetres"});
        }
    };
    positive("diameter_mm", geometry.diameterMm);
    positive("pitch_x_mm", geometry.pitchXMm);
    positive("pitch_y_mm", geometry.pitchYMm);
    if (std::isfinite(geometry.diameterMm) && geometry.diameterMm > 1000.0) {
        issues.push_back({"diameter_mm", "is over 1000 mm"});
    }
    if (!std::isfinite(latticeOrigin.x) || !std::isfinite(latticeOrigin.y)) {
        issues.push_back({"lattice origin", "must be finite"});
    }
    if (cells.empty()) {
        issues.push_back({"dies", "none is listed"});
    }
    if (!issues.empty()) {
        throw ValidationError("die plan", std::move(issues));
    }
    const auto [minX, maxX] = std::minmax_element(cells.begin(), cells.end(),
                                                  [](const LatticeCell &a, const LatticeCell &b) { return a.x < b.x; });
    const auto [minY, maxY] = std::minmax_element(cells.begin(), cells.end(),
                                                  [](const LatticeCell &a, const LatticeCell &b) { return a.y < b.y; });
    const std::int64_t columns = std::int64_t{maxX->x} - minX->x + 1;
    const std::int64_t rows = std::int64_t{maxY->y} - minY->y + 1;
    constexpr std::int64_t kMaxCells = 4'000'000;
    if (columns * rows > kMaxCells) {
        throw ValidationError("die plan", {{"dies", "span " + std::to_string(columns) + " × " + std::to_string(rows) +
                                                        " lattice places, more than 4 million"}});
    }
    DieGrid grid;
    grid.m_geometry = geometry;
    grid.m_geometry.edgeExclusionMm = 0.0;
    grid.m_latticeOrigin = latticeOrigin;
    grid.m_leftLattice = minX->x;
    grid.m_topLattice = maxY->y;
    grid.m_columns = static_cast<int>(columns);
    grid.m_rows = static_cast<int>(rows);
    std::vector<bool> present(static_cast<std::size_t>(columns * rows), false);
    for (const LatticeCell &c : cells) {
        present[grid.cell(DieIndex{c.x - grid.m_leftLattice, grid.m_topLattice - c.y})] = true;
    }
    grid.placeDies(present);
    return grid;
}

void DieGrid::placeDies(const std::vector<bool> &present)
{
    m_scanPosition.assign(present.size(), -1);
    m_scanOrder.clear();
    for (int row = 0; row < m_rows; ++row) {
        const bool leftToRight = row % 2 == 0;
        for (int i = 0; i < m_columns; ++i) {
            const DieIndex die{leftToRight ? i : m_columns - 1 - i, row};
            if (present[cell(die)]) {
                m_scanPosition[cell(die)] = static_cast<std::int32_t>(m_scanOrder.size());
                m_scanOrder.push_back(die);
            }
        }
    }
}

bool DieGrid::contains(DieIndex die) const noexcept
{
    return scanPosition(die).has_value();
}

std::optional<std::size_t> DieGrid::scanPosition(DieIndex die) const noexcept
{
    if (die.column < 0 || die.column >= m_columns || die.row < 0 || die.row >= m_rows) {
        return std::nullopt;
    }
    const std::int32_t position = m_scanPosition[cell(die)];
    if (position < 0) {
        return std::nullopt;
    }
    return static_cast<std::size_t>(position);
}

void DieGrid::requireContains(DieIndex die) const
{
    if (!contains(die)) {
        throw std::out_of_range("die " + toText(die) + " is not on the wafer's die grid");
    }
}

PointMm DieGrid::dieOrigin(DieIndex die) const
{
    requireContains(die);
    return {m_latticeOrigin.x + (m_leftLattice + die.column) * m_geometry.pitchXMm,
            m_latticeOrigin.y + (m_topLattice - die.row) * m_geometry.pitchYMm};
}

PointMm DieGrid::dieCentre(DieIndex die) const
{
    const PointMm origin = dieOrigin(die);
    return {origin.x + m_geometry.pitchXMm / 2.0, origin.y + m_geometry.pitchYMm / 2.0};
}

std::optional<DieIndex> DieGrid::dieAt(PointMm point) const noexcept
{
    const double kx = std::floor((point.x - m_latticeOrigin.x) / m_geometry.pitchXMm);
    const double ky = std::floor((point.y - m_latticeOrigin.y) / m_geometry.pitchYMm);
    if (!std::isfinite(kx) || !std::isfinite(ky) || std::abs(kx) > 1e6 || std::abs(ky) > 1e6) {
        return std::nullopt;
    }
    const DieIndex die{static_cast<int>(kx) - m_leftLattice, m_topLattice - static_cast<int>(ky)};
    if (!contains(die)) {
        return std::nullopt;
    }
    return die;
}

} // namespace waferscope::core
