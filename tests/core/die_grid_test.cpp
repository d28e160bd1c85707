#include <QTest>

#include <cmath>
#include <cstdlib>
#include <set>
#include <stdexcept>
#include <vector>

#include <waferscope/core/die_grid.h>
#include <waferscope/core/validation_error.h>

using waferscope::core::DieGrid;
using waferscope::core::DieIndex;
using waferscope::core::PointMm;
using waferscope::core::ValidationError;
using waferscope::core::WaferGeometry;

namespace {

WaferGeometry geometry(double diameter, double pitchX, double pitchY, double exclusion)
{
    WaferGeometry g;
    g.diameterMm = diameter;
    g.pitchXMm = pitchX;
    g.pitchYMm = pitchY;
    g.edgeExclusionMm = exclusion;
    return g;
}

/// Written differently from DieGrid on purpose: walk a generous square of lattice cells and keep
/// those whose four corners all lie inside the usable circle.
struct BruteForceDie {
    int kx;
    int ky;
};

std::vector<BruteForceDie> bruteForceDies(const WaferGeometry &g)
{
    const double r = g.usableRadiusMm();
    const auto inside = [r](double x, double y) { return x * x + y * y <= r * r; };
    const int reachX = static_cast<int>(g.diameterMm / g.pitchXMm) + 2;
    const int reachY = static_cast<int>(g.diameterMm / g.pitchYMm) + 2;
    std::vector<BruteForceDie> dies;
    for (int kx = -reachX; kx <= reachX; ++kx) {
        for (int ky = -reachY; ky <= reachY; ++ky) {
            const double x0 = kx * g.pitchXMm;
            const double x1 = (kx + 1) * g.pitchXMm;
            const double y0 = ky * g.pitchYMm;
            const double y1 = (ky + 1) * g.pitchYMm;
            if (inside(x0, y0) && inside(x0, y1) && inside(x1, y0) && inside(x1, y1)) {
                dies.push_back({kx, ky});
            }
        }
    }
    return dies;
}

} // namespace

class DieGridTest : public QObject
{
    Q_OBJECT

private slots:
    void dieCountMatchesABruteForceCornerCheck_data()
    {
        QTest::addColumn<double>("diameter");
        QTest::addColumn<double>("pitchX");
        QTest::addColumn<double>("pitchY");
        QTest::addColumn<double>("exclusion");
        QTest::newRow("300 mm, 10 x 12, 3 mm") << 300.0 << 10.0 << 12.0 << 3.0;
        QTest::newRow("200 mm, 10 x 12, 3 mm") << 200.0 << 10.0 << 12.0 << 3.0;
        QTest::newRow("300 mm, 5 x 5, 2 mm") << 300.0 << 5.0 << 5.0 << 2.0;
        QTest::newRow("200 mm, 7.3 x 9.1, 4.5 mm") << 200.0 << 7.3 << 9.1 << 4.5;
        QTest::newRow("300 mm, 26 x 33, 0 mm") << 300.0 << 26.0 << 33.0 << 0.0;
    }

    void dieCountMatchesABruteForceCornerCheck()
    {
        QFETCH(double, diameter);
        QFETCH(double, pitchX);
        QFETCH(double, pitchY);
        QFETCH(double, exclusion);
        const WaferGeometry g = geometry(diameter, pitchX, pitchY, exclusion);
        const DieGrid grid(g);
        const std::vector<BruteForceDie> expected = bruteForceDies(g);
        QCOMPARE(grid.dieCount(), expected.size());

        // Same dies, at the same places: map the brute-force cells to indices independently.
        int minKx = expected.front().kx;
        int maxKy = expected.front().ky;
        for (const BruteForceDie &d : expected) {
            minKx = std::min(minKx, d.kx);
            maxKy = std::max(maxKy, d.ky);
        }
        for (const BruteForceDie &d : expected) {
            const DieIndex die{d.kx - minKx, maxKy - d.ky};
            QVERIFY2(grid.contains(die), qPrintable(QString::fromStdString(toText(die))));
            QCOMPARE(grid.dieOrigin(die), (PointMm{d.kx * pitchX, d.ky * pitchY}));
        }
    }

    void threeHundredMillimetreWaferAtTenByTwelveHoldsTheExpectedDies()
    {
        // The brute-force figure for the default geometry, pinned so a change to it is noticed.
        const DieGrid grid{WaferGeometry{}};
        QCOMPARE(grid.dieCount(), bruteForceDies(WaferGeometry{}).size());
        QCOMPARE(grid.dieCount(), std::size_t{512});
        QCOMPARE(grid.columnCount(), 28);
        QCOMPARE(grid.rowCount(), 24);
    }

    void everyDieLiesWhollyInsideTheUsableCircle()
    {
        const DieGrid grid{WaferGeometry{}};
        const double r = grid.geometry().usableRadiusMm();
        for (const DieIndex die : grid.scanOrder()) {
            const PointMm o = grid.dieOrigin(die);
            for (const double dx : {0.0, 10.0}) {
                for (const double dy : {0.0, 12.0}) {
                    QVERIFY(std::hypot(o.x + dx, o.y + dy) <= r + 1e-9);
                }
            }
        }
    }

    void latticeLinesCrossAtTheWaferCentre()
    {
        const DieGrid grid{WaferGeometry{}};
        const auto centreDie = grid.dieAt({0.5, 0.5});
        QVERIFY(centreDie.has_value());
        QCOMPARE(grid.dieOrigin(*centreDie), (PointMm{0.0, 0.0}));
    }

    void scanOrderVisitsEveryDieOnce()
    {
        const DieGrid grid{WaferGeometry{}};
        std::set<DieIndex> seen(grid.scanOrder().begin(), grid.scanOrder().end());
        QCOMPARE(seen.size(), grid.dieCount());
        for (std::size_t i = 0; i < grid.dieCount(); ++i) {
            QCOMPARE(grid.scanPosition(grid.scanOrder()[i]), std::optional<std::size_t>(i));
        }
    }

    void serpentineOrderRunsEvenRowsLeftToRightAndOddRowsRightToLeft()
    {
        const DieGrid grid{WaferGeometry{}};
        const auto order = grid.scanOrder();
        int previousRow = 0;
        for (std::size_t i = 1; i < order.size(); ++i) {
            const DieIndex a = order[i - 1];
            const DieIndex b = order[i];
            if (a.row == b.row) {
                QCOMPARE(b.column - a.column, a.row % 2 == 0 ? 1 : -1);
            } else {
                QCOMPARE(b.row, a.row + 1);
                previousRow = b.row;
            }
        }
        QCOMPARE(previousRow, grid.rowCount() - 1);
        QCOMPARE(order.front().row, 0);
    }

    void eachRowStartsAtTheEndNearerToWhereThePreviousEnded()
    {
        const DieGrid grid{WaferGeometry{}};
        const auto order = grid.scanOrder();
        for (std::size_t i = 1; i < order.size(); ++i) {
            if (order[i].row == order[i - 1].row) {
                continue;
            }
            std::size_t end = i;
            while (end + 1 < order.size() && order[end + 1].row == order[i].row) {
                ++end;
            }
            const int ended = order[i - 1].column;
            QVERIFY(std::abs(order[i].column - ended) <= std::abs(order[end].column - ended));
        }
    }

    void rowZeroIsFarthestFromTheNotchAndRowsGrowTowardIt()
    {
        const DieGrid grid{WaferGeometry{}};
        const PointMm notch = grid.geometry().notch();
        double previousY = 1e9;
        for (int row = 0; row < grid.rowCount(); ++row) {
            for (int column = 0; column < grid.columnCount(); ++column) {
                if (grid.contains({column, row})) {
                    const double y = grid.dieCentre({column, row}).y;
                    QVERIFY(y < previousY);
                    previousY = y;
                    break;
                }
            }
        }
        QVERIFY(std::abs(grid.dieCentre(grid.scanOrder().front()).y - notch.y) >
                std::abs(grid.dieCentre(grid.scanOrder().back()).y - notch.y));
    }

    void columnsGrowToTheRight()
    {
        const DieGrid grid{WaferGeometry{}};
        const DieIndex a = grid.scanOrder()[0];
        const DieIndex b = grid.scanOrder()[1];
        QCOMPARE(b.column, a.column + 1);
        QVERIFY(grid.dieCentre(b).x > grid.dieCentre(a).x);
    }

    void dieCentreIsOriginPlusHalfAPitch()
    {
        const DieGrid grid{WaferGeometry{}};
        for (const DieIndex die : grid.scanOrder()) {
            const PointMm o = grid.dieOrigin(die);
            QCOMPARE(grid.dieCentre(die), (PointMm{o.x + 5.0, o.y + 6.0}));
        }
    }

    void dieAtFindsTheDieHoldingAPointAndNothingOffTheGrid()
    {
        const DieGrid grid{WaferGeometry{}};
        for (const DieIndex die : grid.scanOrder()) {
            QCOMPARE(grid.dieAt(grid.dieCentre(die)), std::optional<DieIndex>(die));
        }
        QVERIFY(!grid.dieAt({0.0, -148.5}).has_value()); // in the edge exclusion, by the notch
        QVERIFY(!grid.dieAt({1000.0, 0.0}).has_value());
    }

    void dieOffTheGridIsRejectedWithItsIndex()
    {
        const DieGrid grid{WaferGeometry{}};
        QVERIFY(!grid.contains({0, 0})); // the top-left corner of a round grid's bounding box is empty
        QVERIFY(!grid.contains({-1, 3}));
        QVERIFY(!grid.scanPosition({grid.columnCount(), 0}).has_value());
        try {
            static_cast<void>(grid.dieOrigin({0, 0}));
        } catch (const std::out_of_range &e) {
            QVERIFY(std::string(e.what()).find("(0,0)") != std::string::npos);
            return;
        }
        QFAIL("dieOrigin accepted a die off the grid");
    }

    void geometryOnWhichNoDieFitsIsAValidationError()
    {
        QVERIFY_THROWS_EXCEPTION(ValidationError, DieGrid(geometry(300.0, 290.0, 290.0, 3.0)));
    }

    void anotherToolsPlanKeepsItsDiesAndItsLatticeOrigin()
    {
        // A 150 mm wafer with one 150 mm die (a tool's whole-wafer "die") and, on a lattice whose
        // die (0, 0) starts at (-75, -75) mm: dies at the edge are kept.
        const DieGrid whole = DieGrid::fromLattice(geometry(150.0, 150.0, 150.0, 0.0), {-75.0, -75.0},
                                                   std::vector<DieGrid::LatticeCell>{{0, 0}});
        QCOMPARE(whole.dieCount(), std::size_t{1});
        QCOMPARE(whole.dieOrigin({0, 0}), (PointMm{-75.0, -75.0}));
        QCOMPARE(whole.dieAt({74.0, -74.0}), std::optional<DieIndex>(DieIndex{0, 0}));

        // Three dies of 10 × 20 mm on a lattice offset by (-3, -7) mm, listed in any order and twice.
        const std::vector<DieGrid::LatticeCell> cells{{2, 1}, {0, 0}, {1, 0}, {0, 0}};
        const DieGrid grid = DieGrid::fromLattice(geometry(300.0, 10.0, 20.0, 5.0), {-3.0, -7.0}, cells);
        QCOMPARE(grid.dieCount(), std::size_t{3});
        QCOMPARE(grid.columnCount(), 3);
        QCOMPARE(grid.rowCount(), 2);
        QCOMPARE(grid.geometry().edgeExclusionMm, 0.0);
        // Row 0 is the top lattice row (y 1): only lattice die (2, 1), in column 2.
        QVERIFY(grid.contains({2, 0}));
        QVERIFY(!grid.contains({0, 0}));
        QCOMPARE(grid.dieOrigin({2, 0}), (PointMm{-3.0 + 20.0, -7.0 + 20.0}));
        QCOMPARE(grid.dieOrigin({0, 1}), (PointMm{-3.0, -7.0}));
        // Serpentine: row 0 left to right, row 1 right to left.
        const std::vector<DieIndex> order(grid.scanOrder().begin(), grid.scanOrder().end());
        QCOMPARE(order, (std::vector<DieIndex>{{2, 0}, {1, 1}, {0, 1}}));
        QCOMPARE(grid.dieAt({-2.5, -6.5}), std::optional<DieIndex>(DieIndex{0, 1}));
        QCOMPARE(grid.dieAt({-3.5, -6.5}), std::nullopt); // left of the plan
        QCOMPARE(grid.dieAt({8.0, 14.0}), std::nullopt);  // lattice die (1, 1): not listed
    }

    void anotherToolsPlanThatCannotBeDrawnIsAValidationErrorNamingWhy()
    {
        const std::vector<DieGrid::LatticeCell> one{{0, 0}};
        const auto reason = [](auto build) -> std::string {
            try {
                static_cast<void>(build());
            } catch (const ValidationError &e) {
                return e.what();
            }
            return "accepted";
        };
        QVERIFY(reason([] { return DieGrid::fromLattice(geometry(200.0, 10.0, 10.0, 0.0), {}, {}); }).find("dies") !=
                std::string::npos);
        QVERIFY(reason([&] { return DieGrid::fromLattice(geometry(200.0, 0.0, 10.0, 0.0), {}, one); }).find("pitch_x_mm") !=
                std::string::npos);
        QVERIFY(reason([&] { return DieGrid::fromLattice(geometry(NAN, 10.0, 10.0, 0.0), {}, one); }).find("diameter_mm") !=
                std::string::npos);
        // Two dies four million lattice places apart: refused before anything that size is made.
        const std::vector<DieGrid::LatticeCell> far{{0, 0}, {3000, 3000}};
        QVERIFY(reason([&] { return DieGrid::fromLattice(geometry(300.0, 1.0, 1.0, 0.0), {}, far); }).find("4 million") !=
                std::string::npos);
    }

    void invalidGeometryIsAValidationError()
    {
        QVERIFY_THROWS_EXCEPTION(ValidationError, DieGrid(geometry(250.0, 10.0, 12.0, 3.0)));
    }
};

QTEST_GUILESS_MAIN(DieGridTest)
#include "die_grid_test.moc"
