#include <QQuickWindow>
#include <QSignalSpy>
#include <QTest>
#include <QWheelEvent>

#include <cmath>
#include <cstdint>
#include <memory>
#include <set>
#include <vector>

#include <waferscope/core/die_grid.h>
#include <waferscope/core/persistence/defect_record.h>
#include <waferscope/viewmodels/run/defect_class_palette.h>
#include <waferscope/viewmodels/run/wafer_map_item.h>
#include <waferscope/viewmodels/run/wafer_map_model.h>

using waferscope::core::DefectClass;
using waferscope::core::DefectRecord;
using waferscope::core::DieGrid;
using waferscope::core::DieIndex;
using waferscope::core::PointMm;
using waferscope::core::WaferGeometry;
using waferscope::core::WaferId;
using waferscope::viewmodels::colorOf;
using waferscope::viewmodels::dieHeatColor;
using waferscope::viewmodels::WaferMapItem;
using waferscope::viewmodels::WaferMapModel;

namespace {

const QColor kBackground(0x12, 0x14, 0x17);
constexpr int kSide = 400; // window and map, pixels

DefectRecord record(std::uint64_t id, DieIndex die, double xRelUm, double yRelUm,
                    DefectClass defectClass = DefectClass::ParticleBright, const char *wafer = "W-01")
{
    DefectRecord r;
    r.id = id;
    r.waferId = WaferId(wafer);
    r.die = die;
    r.xRelUm = xRelUm;
    r.yRelUm = yRelUm;
    r.defectClass = defectClass;
    return r;
}

/// Within a rasteriser's rounding of `expected`.
bool looksLike(QColor actual, QColor expected)
{
    return std::abs(actual.red() - expected.red()) <= 3 && std::abs(actual.green() - expected.green()) <= 3 &&
           std::abs(actual.blue() - expected.blue()) <= 3;
}

QByteArray describe(QColor c)
{
    return c.name().toLatin1();
}

} // namespace

class WaferMapTest : public QObject
{
    Q_OBJECT

    std::unique_ptr<QQuickWindow> m_window;
    WaferMapModel *m_model = nullptr; // owned by the window's content item
    WaferMapItem *m_item = nullptr;
    const DieGrid m_grid{WaferGeometry{}};

    /// A die well inside the wafer, and its right-hand neighbour.
    [[nodiscard]] DieIndex innerDie() const { return m_grid.dieAt({1.0, 1.0}).value(); }
    [[nodiscard]] DieIndex neighbourDie() const { return m_grid.dieAt({11.0, 1.0}).value(); }

    [[nodiscard]] QImage frame() const
    {
        QImage image = m_window->grabWindow();
        return image.convertToFormat(QImage::Format_RGB32);
    }
    [[nodiscard]] QColor pixelAtWafer(const QImage &image, double xMm, double yMm) const
    {
        const QPointF p = m_item->mapFromWafer(xMm, yMm);
        return image.pixelColor(static_cast<int>(std::floor(p.x())), static_cast<int>(std::floor(p.y())));
    }
    [[nodiscard]] PointMm dotOf(DieIndex die, double xRelUm, double yRelUm) const
    {
        const PointMm o = m_grid.dieOrigin(die);
        return {o.x + xRelUm / 1000.0, o.y + yRelUm / 1000.0};
    }
    void click(QPointF p)
    {
        QTest::mouseClick(m_window.get(), Qt::LeftButton, Qt::NoModifier, p.toPoint());
    }
    void wheel(QPointF p, int angle)
    {
        QWheelEvent event(p, m_window->mapToGlobal(p), QPoint(), QPoint(0, angle), Qt::NoButton, Qt::NoModifier,
                          Qt::NoScrollPhase, false);
        QCoreApplication::sendEvent(m_window.get(), &event);
    }

private Q_SLOTS:
    void init()
    {
        m_window = std::make_unique<QQuickWindow>();
        m_window->setColor(kBackground);
        m_window->resize(kSide, kSide);
        m_model = new WaferMapModel(m_window->contentItem());
        m_item = new WaferMapItem(m_window->contentItem());
        m_item->setSize(QSizeF(kSide, kSide));
        m_item->setModel(m_model);
        m_model->setWafer(QStringLiteral("W-01"), m_grid);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }

    void cleanup()
    {
        m_window.reset();
        m_model = nullptr;
        m_item = nullptr;
    }

    // --- The model ---------------------------------------------------------------------------

    void modelCountsDefectsPerDieAndTheLargestCount()
    {
        QSignalSpy added(m_model, &WaferMapModel::defectsAdded);
        const std::vector<DefectRecord> batch{record(1, innerDie(), 100, 100), record(2, innerDie(), 200, 200),
                                              record(3, neighbourDie(), 300, 300)};
        m_model->addDefects(batch);
        QCOMPARE(m_model->defectCount(), 3);
        QCOMPARE(m_model->defectsOn(innerDie()), 2);
        QCOMPARE(m_model->defectsOn(neighbourDie()), 1);
        QCOMPARE(m_model->maxDefectsPerDie(), 2);
        QCOMPARE(m_model->defectsOn({-1, -1}), 0);
        QCOMPARE(added.count(), 1);
        QCOMPARE(added.at(0).at(0).toInt(), 0);
        QCOMPARE(added.at(0).at(1).toInt(), 3);
    }

    void modelPlacesADotAtItsDieOriginPlusItsOffsetInMicrometres()
    {
        const std::vector<DefectRecord> batch{record(7, innerDie(), 2500, 7250, DefectClass::Scratch)};
        m_model->addDefects(batch);
        const WaferMapModel::Dot dot = m_model->dots()[0];
        const PointMm expected = dotOf(innerDie(), 2500, 7250);
        QCOMPARE(dot.id, std::uint64_t{7});
        QVERIFY(std::abs(dot.xMm - expected.x) < 1e-4);
        QVERIFY(std::abs(dot.yMm - expected.y) < 1e-4);
        QCOMPARE(dot.defectClass, DefectClass::Scratch);
        QCOMPARE(dot.die, innerDie());
    }

    void modelIgnoresAndCountsDefectsOfAnotherWaferAndOffTheGrid()
    {
        QSignalSpy added(m_model, &WaferMapModel::defectsAdded);
        const std::vector<DefectRecord> batch{
            record(1, innerDie(), 0, 0, DefectClass::Bridge, "W-02"),
            record(2, {0, 0}, 0, 0), // the bounding box's corner holds no die
            record(3, {m_grid.columnCount() + 4, 1}, 0, 0),
            record(4, innerDie(), 0, 0),
        };
        m_model->addDefects(batch);
        QCOMPARE(m_model->defectCount(), 1);
        QCOMPARE(m_model->otherWaferDefects(), std::uint64_t{1});
        QCOMPARE(m_model->offGridDefects(), std::uint64_t{2});
        QCOMPARE(m_model->dots()[0].id, std::uint64_t{4});

        const std::vector<DefectRecord> ignored{record(5, innerDie(), 0, 0, DefectClass::Bridge, "W-03")};
        m_model->addDefects(ignored);
        QCOMPARE(added.count(), 1); // a batch with nothing to draw says nothing
    }

    void setWaferAndClearStartAnEmptyMap()
    {
        const std::vector<DefectRecord> batch{record(1, innerDie(), 0, 0), record(2, {0, 0}, 0, 0),
                                              record(3, innerDie(), 0, 0, DefectClass::Bridge, "W-02")};
        m_model->addDefects(batch);
        QSignalSpy changed(m_model, &WaferMapModel::waferChanged);
        QSignalSpy counted(m_model, &WaferMapModel::defectCountChanged);

        m_model->setWafer(QStringLiteral("W-02"), m_grid);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(counted.count(), 1);
        QCOMPARE(m_model->waferId(), QStringLiteral("W-02"));
        QCOMPARE(m_model->defectCount(), 0);
        QCOMPARE(m_model->defectsOn(innerDie()), 0);
        QCOMPARE(m_model->maxDefectsPerDie(), 0);
        QCOMPARE(m_model->offGridDefects(), std::uint64_t{0});
        QCOMPARE(m_model->otherWaferDefects(), std::uint64_t{0});
        QCOMPARE(m_model->dieCount(), static_cast<int>(m_grid.dieCount()));
        QCOMPARE(m_model->diameterMm(), 300.0);

        m_model->addDefects(batch); // now only the W-02 record is this wafer's
        QCOMPARE(m_model->defectCount(), 1);
        QCOMPARE(m_model->otherWaferDefects(), std::uint64_t{2});

        m_model->clear();
        QCOMPARE(changed.count(), 2);
        QVERIFY(!m_model->grid().has_value());
        QCOMPARE(m_model->waferId(), QString());
        QCOMPARE(m_model->defectCount(), 0);
        QCOMPARE(m_model->dieCount(), 0);
        QCOMPARE(m_model->diameterMm(), 0.0);
        m_model->addDefects(batch); // no wafer: every record is another wafer's
        QCOMPARE(m_model->defectCount(), 0);
        QCOMPARE(m_model->otherWaferDefects(), std::uint64_t{3});
    }

    // --- The palette -------------------------------------------------------------------------

    void paletteGivesEveryClassItsOwnOpaqueColourLegibleOnTheDarkBackground()
    {
        std::set<QRgb> seen;
        for (const DefectClass c : waferscope::core::kAllDefectClasses) {
            const QColor colour = colorOf(c);
            QCOMPARE(colour.alpha(), 255);
            QVERIFY2(seen.insert(colour.rgb()).second, describe(colour));
            QVERIFY2(colour.lightnessF() > 0.3, describe(colour)); // #121417 has lightness 0.08
        }
    }

    void dieHeatIsCalmGreyBlueWithoutDefectsAndWarmsTowardRedAsCountsGrow()
    {
        const QColor none = dieHeatColor(0, 50);
        QVERIFY2(none.blue() > none.red() && none.lightnessF() < 0.3, describe(none));
        QCOMPARE(dieHeatColor(0, 0), none);
        const QColor one = dieHeatColor(1, 50);
        QVERIFY2(one != none && one.red() > one.blue(), describe(one)); // one defect already shows
        int previousRed = none.red();
        for (const int n : {1, 5, 20, 50}) {
            const QColor c = dieHeatColor(n, 50);
            QVERIFY2(c.red() > previousRed, describe(c));
            previousRed = c.red();
        }
        const QColor most = dieHeatColor(50, 50);
        QVERIFY2(most.red() > 2 * most.green(), describe(most)); // red, not amber
        QCOMPARE(dieHeatColor(80, 50), most); // a count above the maximum is the maximum
    }

    // --- Drawing -----------------------------------------------------------------------------

    void dieWithDefectsIsDrawnInItsHeatColourAndADieWithoutInTheCalmOne()
    {
        const std::vector<DefectRecord> batch{record(1, innerDie(), 500, 500)};
        m_model->addDefects(batch);
        const QImage image = frame();
        QVERIFY(!image.isNull());
        const PointMm hit = m_grid.dieCentre(innerDie());
        const PointMm calm = m_grid.dieCentre(neighbourDie());
        const QColor hitColour = pixelAtWafer(image, hit.x, hit.y);
        const QColor calmColour = pixelAtWafer(image, calm.x, calm.y);
        QVERIFY2(hitColour != calmColour, describe(hitColour));
        QVERIFY2(looksLike(hitColour, dieHeatColor(1, 1)), describe(hitColour));
        QVERIFY2(looksLike(calmColour, dieHeatColor(0, 1)), describe(calmColour));
    }

    void defectIsADotInItsClassColour()
    {
        const std::vector<DefectRecord> batch{record(1, innerDie(), 5000, 6000, DefectClass::ParticleDark),
                                              record(2, neighbourDie(), 5000, 6000, DefectClass::Scratch)};
        m_model->addDefects(batch);
        const QImage image = frame();
        const PointMm dark = dotOf(innerDie(), 5000, 6000);
        const PointMm scratch = dotOf(neighbourDie(), 5000, 6000);
        QVERIFY2(looksLike(pixelAtWafer(image, dark.x, dark.y), colorOf(DefectClass::ParticleDark)),
                 describe(pixelAtWafer(image, dark.x, dark.y)));
        QVERIFY2(looksLike(pixelAtWafer(image, scratch.x, scratch.y), colorOf(DefectClass::Scratch)),
                 describe(pixelAtWafer(image, scratch.x, scratch.y)));
    }

    void outsideTheWaferIsBackgroundAndTheNotchIsCutIntoTheBottom()
    {
        const QImage image = frame();
        QVERIFY2(looksLike(image.pixelColor(2, 2), kBackground), describe(image.pixelColor(2, 2)));
        QVERIFY2(looksLike(pixelAtWafer(image, 0.0, 153.0), kBackground), describe(pixelAtWafer(image, 0.0, 153.0)));
        QVERIFY2(looksLike(pixelAtWafer(image, 0.0, -149.0), kBackground), describe(pixelAtWafer(image, 0.0, -149.0)));
        QVERIFY(!looksLike(pixelAtWafer(image, -20.0, -147.0), kBackground)); // beside the notch: wafer
        QVERIFY(!looksLike(pixelAtWafer(image, 0.0, 147.0), kBackground));
    }

    void dotsKeepTheirSizeOnScreenWhenZoomed()
    {
        const std::vector<DefectRecord> batch{record(1, innerDie(), 5000, 6000, DefectClass::ParticleDark)};
        m_model->addDefects(batch);
        const PointMm dot = dotOf(innerDie(), 5000, 6000);
        const auto dotWidth = [&] {
            const QImage image = frame();
            const QPointF centre = m_item->mapFromWafer(dot.x, dot.y);
            const int y = static_cast<int>(std::floor(centre.y()));
            int width = 0;
            for (int x = 0; x < image.width(); ++x) {
                width += looksLike(image.pixelColor(x, y), colorOf(DefectClass::ParticleDark)) ? 1 : 0;
            }
            return width;
        };
        const int whole = dotWidth();
        QVERIFY(whole >= 3 && whole <= 6);
        for (const double zoom : {3.0, 40.0, 200.0}) {
            m_item->setZoom(zoom);
            const QPointF centre = m_item->mapFromWafer(dot.x, dot.y);
            m_item->setPanX(m_item->panX() + kSide / 2.0 - centre.x()); // bring the dot into view
            m_item->setPanY(m_item->panY() + kSide / 2.0 - centre.y());
            const int zoomed = dotWidth();
            QVERIFY2(std::abs(zoomed - whole) <= 1, QByteArray::number(zoomed));
        }
    }

    // --- Pointer -----------------------------------------------------------------------------

    void clickOnADieReportsItsColumnRowAndDefectCount()
    {
        const std::vector<DefectRecord> batch{record(1, innerDie(), 500, 500), record(2, innerDie(), 800, 500)};
        m_model->addDefects(batch);
        QSignalSpy dies(m_item, &WaferMapItem::dieClicked);
        QSignalSpy defects(m_item, &WaferMapItem::defectClicked);
        const PointMm centre = m_grid.dieCentre(innerDie());
        click(m_item->mapFromWafer(centre.x, centre.y));
        QCOMPARE(dies.count(), 1);
        QCOMPARE(defects.count(), 0);
        QCOMPARE(dies.at(0).at(0).toInt(), innerDie().column);
        QCOMPARE(dies.at(0).at(1).toInt(), innerDie().row);
        QCOMPARE(dies.at(0).at(2).toInt(), 2);

        click(m_item->mapFromWafer(0.0, 149.0)); // in the edge exclusion: no die, nothing reported
        click(QPointF(2, 2));
        QCOMPARE(dies.count(), 1);
    }

    void clickNearADotReportsTheNearestDefect()
    {
        const std::vector<DefectRecord> batch{record(41, innerDie(), 5000, 6000, DefectClass::Bridge),
                                              record(42, innerDie(), 9000, 1000, DefectClass::Scratch)};
        m_model->addDefects(batch);
        QSignalSpy dies(m_item, &WaferMapItem::dieClicked);
        QSignalSpy defects(m_item, &WaferMapItem::defectClicked);
        const PointMm dot = dotOf(innerDie(), 5000, 6000);
        click(m_item->mapFromWafer(dot.x, dot.y) + QPointF(3.0, 3.0)); // near, not on
        QCOMPARE(defects.count(), 1);
        QCOMPARE(dies.count(), 0);
        QCOMPARE(defects.at(0).at(0).toULongLong(), 41ULL);
        QCOMPARE(defects.at(0).at(1).toString(), QStringLiteral("bridge"));
        QCOMPARE(defects.at(0).at(2).toInt(), innerDie().column);
        QCOMPARE(defects.at(0).at(3).toInt(), innerDie().row);

        const PointMm other = dotOf(innerDie(), 9000, 1000);
        click(m_item->mapFromWafer(other.x, other.y));
        QCOMPARE(defects.count(), 2);
        QCOMPARE(defects.at(1).at(0).toULongLong(), 42ULL);
    }

    void dragPansTheMapAndIsNotAClick()
    {
        QSignalSpy dies(m_item, &WaferMapItem::dieClicked);
        QSignalSpy view(m_item, &WaferMapItem::viewChanged);
        const PointMm centre = m_grid.dieCentre(innerDie());
        const QPoint from = m_item->mapFromWafer(centre.x, centre.y).toPoint();
        QTest::mousePress(m_window.get(), Qt::LeftButton, Qt::NoModifier, from);
        QTest::mouseMove(m_window.get(), from + QPoint(10, 0));
        QTest::mouseMove(m_window.get(), from + QPoint(30, 20));
        QTest::mouseRelease(m_window.get(), Qt::LeftButton, Qt::NoModifier, from + QPoint(30, 20));
        QCOMPARE(dies.count(), 0);
        QVERIFY(view.count() > 0);
        QCOMPARE(m_item->panX(), 30.0);
        QCOMPARE(m_item->panY(), 20.0);
        const QPointF moved = m_item->mapFromWafer(centre.x, centre.y);
        QVERIFY(std::abs(moved.x() - (from.x() + 30)) < 1.0 && std::abs(moved.y() - (from.y() + 20)) < 1.0);
    }

    void wheelZoomsAboutTheCursorWithinOneToTwoHundred()
    {
        const PointMm target = dotOf(innerDie(), 5000, 6000);
        const QPointF cursor = m_item->mapFromWafer(target.x, target.y);
        wheel(cursor, 120);
        QVERIFY(m_item->zoom() > 1.0);
        QPointF after = m_item->mapFromWafer(target.x, target.y);
        QVERIFY2(std::abs(after.x() - cursor.x()) < 1e-6 && std::abs(after.y() - cursor.y()) < 1e-6,
                 QByteArray::number(after.x()) + "," + QByteArray::number(after.y()));

        for (int i = 0; i < 60; ++i) {
            wheel(cursor, 120);
        }
        QCOMPARE(m_item->zoom(), 200.0);
        after = m_item->mapFromWafer(target.x, target.y);
        QVERIFY(std::abs(after.x() - cursor.x()) < 1e-6 && std::abs(after.y() - cursor.y()) < 1e-6);

        for (int i = 0; i < 60; ++i) {
            wheel(cursor, -120);
        }
        QCOMPARE(m_item->zoom(), 1.0);
        m_item->setZoom(1000.0);
        QCOMPARE(m_item->zoom(), 200.0);
        m_item->setZoom(0.01);
        QCOMPARE(m_item->zoom(), 1.0);
    }

    void zoomedMapDrawsEachDotWhereMapFromWaferSays()
    {
        const std::vector<DefectRecord> batch{record(1, innerDie(), 2000, 3000, DefectClass::ExtraFeature)};
        m_model->addDefects(batch);
        static_cast<void>(frame()); // a first frame at zoom 1, so the zoomed one is an update
        const PointMm dot = dotOf(innerDie(), 2000, 3000);
        const QPointF cursor = m_item->mapFromWafer(dot.x, dot.y) + QPointF(40.0, -25.0);
        for (int i = 0; i < 7; ++i) {
            wheel(cursor, 120);
        }
        const QImage image = frame();
        QVERIFY2(looksLike(pixelAtWafer(image, dot.x, dot.y), colorOf(DefectClass::ExtraFeature)),
                 describe(pixelAtWafer(image, dot.x, dot.y)));
        const PointMm centre = m_grid.dieCentre(innerDie());
        QVERIFY2(looksLike(pixelAtWafer(image, centre.x, centre.y), dieHeatColor(1, 1)),
                 describe(pixelAtWafer(image, centre.x, centre.y)));
    }

    void doubleClickResetsTheView()
    {
        m_item->setZoom(12.0);
        m_item->setPanX(-40.0);
        m_item->setPanY(15.0);
        QSignalSpy dies(m_item, &WaferMapItem::dieClicked);
        QTest::mouseDClick(m_window.get(), Qt::LeftButton, Qt::NoModifier, QPoint(kSide / 2, kSide / 2));
        QCOMPARE(m_item->zoom(), 1.0);
        QCOMPARE(m_item->panX(), 0.0);
        QCOMPARE(m_item->panY(), 0.0);
        QVERIFY(dies.count() <= 1); // the first press and release are a click; the second is not
    }

    // --- Lifetime and load -------------------------------------------------------------------

    void mapWithoutAWaferOrWithADestroyedModelDrawsNothing()
    {
        m_model->clear();
        QImage image = frame();
        QVERIFY(looksLike(image.pixelColor(kSide / 2, kSide / 2), kBackground));

        m_model->setWafer(QStringLiteral("W-01"), m_grid);
        image = frame();
        QVERIFY(!looksLike(image.pixelColor(kSide / 2, kSide / 2), kBackground));

        QSignalSpy modelChanged(m_item, &WaferMapItem::modelChanged);
        delete m_model;
        m_model = nullptr;
        QCOMPARE(modelChanged.count(), 1);
        QCOMPARE(m_item->model(), nullptr);
        image = frame();
        QVERIFY(looksLike(image.pixelColor(kSide / 2, kSide / 2), kBackground));
        click(QPointF(kSide / 2.0, kSide / 2.0)); // nothing to hit, nothing to crash on
    }

    void newWaferReplacesTheDrawnDots()
    {
        const std::vector<DefectRecord> batch{record(1, innerDie(), 5000, 6000, DefectClass::ParticleDark)};
        m_model->addDefects(batch);
        const PointMm dot = dotOf(innerDie(), 5000, 6000);
        QVERIFY(looksLike(pixelAtWafer(frame(), dot.x, dot.y), colorOf(DefectClass::ParticleDark)));
        m_model->setWafer(QStringLiteral("W-02"), m_grid);
        const QColor now = pixelAtWafer(frame(), dot.x, dot.y);
        QVERIFY2(looksLike(now, dieHeatColor(0, 0)), describe(now));
    }

    void hundredThousandDefectsInBatchesOfAThousandRenderFrameAfterFrame()
    {
        const auto dies = m_grid.scanOrder();
        const DefectClass classes[] = {DefectClass::ParticleBright, DefectClass::ParticleDark, DefectClass::Scratch,
                                       DefectClass::MissingFeature, DefectClass::ExtraFeature, DefectClass::Bridge};
        std::vector<DefectRecord> batch(1000);
        std::uint64_t id = 0;
        for (int b = 0; b < 100; ++b) {
            for (DefectRecord &r : batch) {
                ++id;
                r = record(id, dies[(id * 7919) % dies.size()], static_cast<double>((id * 37) % 10000),
                           static_cast<double>((id * 53) % 12000), classes[id % 6]);
            }
            m_model->addDefects(batch);
            if (b == 0 || b % 25 == 24) {
                const QImage image = frame();
                QVERIFY(!image.isNull());
                // The newest dot is drawn over everything before it.
                const WaferMapModel::Dot &last = m_model->dots().back();
                QVERIFY2(looksLike(pixelAtWafer(image, last.xMm, last.yMm), colorOf(last.defectClass)),
                         QByteArray::number(b) + ": " + describe(pixelAtWafer(image, last.xMm, last.yMm)));
            }
        }
        QCOMPARE(m_model->defectCount(), 100000);
        // The first dot of each chunk survives the later batches (8192 dots a chunk).
        m_item->setZoom(200.0);
        for (const std::size_t i : {std::size_t{0}, std::size_t{8192}, std::size_t{99999}}) {
            const WaferMapModel::Dot &dot = m_model->dots()[i];
            const QPointF p = m_item->mapFromWafer(dot.xMm, dot.yMm);
            m_item->setPanX(m_item->panX() + kSide / 2.0 - p.x());
            m_item->setPanY(m_item->panY() + kSide / 2.0 - p.y());
            const QImage image = frame();
            QVERIFY2(looksLike(pixelAtWafer(image, dot.xMm, dot.yMm), colorOf(dot.defectClass)),
                     QByteArray::number(static_cast<qulonglong>(i)));
        }
    }
};

QTEST_MAIN(WaferMapTest)
#include "wafer_map_test.moc"
