#include <QTest>

#include <waferscope/core/validation_error.h>
#include <waferscope/core/wafer_geometry.h>

using waferscope::core::ValidationError;
using waferscope::core::WaferGeometry;

class WaferGeometryTest : public QObject
{
    Q_OBJECT

private slots:
    void defaultsToThreeHundredMillimetresTenByTwelvePitchAndThreeMillimetreExclusion()
    {
        const WaferGeometry geometry;
        QCOMPARE(geometry.diameterMm, 300.0);
        QCOMPARE(geometry.pitchXMm, 10.0);
        QCOMPARE(geometry.pitchYMm, 12.0);
        QCOMPARE(geometry.edgeExclusionMm, 3.0);
        geometry.validate();
    }

    void usableRadiusIsHalfTheDiameterLessTheExclusion()
    {
        WaferGeometry geometry;
        geometry.diameterMm = 200.0;
        geometry.edgeExclusionMm = 5.0;
        QCOMPARE(geometry.usableRadiusMm(), 95.0);
        QCOMPARE(geometry.radiusMm(), 100.0);
    }

    void notchIsStraightDownFromTheCentre()
    {
        const WaferGeometry geometry;
        QCOMPARE(geometry.notch().x, 0.0);
        QCOMPARE(geometry.notch().y, -150.0);
    }

    void twoHundredMillimetreWafersAreAccepted()
    {
        WaferGeometry geometry;
        geometry.diameterMm = 200.0;
        geometry.validate();
    }

    void validationNamesEveryWrongFieldAndWhatIsWrong()
    {
        WaferGeometry geometry;
        geometry.diameterMm = 250.0;
        geometry.pitchXMm = -1.0;
        geometry.pitchYMm = 0.0;
        geometry.edgeExclusionMm = -2.0;
        try {
            geometry.validate();
        } catch (const ValidationError &e) {
            QCOMPARE(e.issues().size(), std::size_t{4});
            QVERIFY(e.problemWith("diameter_mm").find("250 is not a supported diameter (200 or 300)") !=
                    std::string_view::npos);
            QVERIFY(e.problemWith("pitch_x_mm").find("-1 must be a positive") != std::string_view::npos);
            QVERIFY(e.problemWith("pitch_y_mm").find("0 must be a positive") != std::string_view::npos);
            QVERIFY(e.problemWith("edge_exclusion_mm").find("-2 must be zero or more") != std::string_view::npos);
            QVERIFY(std::string_view(e.what()).starts_with("invalid wafer geometry: diameter_mm: "));
            return;
        }
        QFAIL("validate() accepted a wrong geometry");
    }

    void exclusionThatLeavesNoUsableAreaIsRejected()
    {
        WaferGeometry geometry;
        geometry.edgeExclusionMm = 150.0;
        try {
            geometry.validate();
        } catch (const ValidationError &e) {
            QVERIFY(e.problemWith("edge_exclusion_mm").find("leaves no usable area") != std::string_view::npos);
            return;
        }
        QFAIL("validate() accepted a 150 mm exclusion on a 300 mm wafer");
    }

    void pitchWiderThanTheWaferIsRejected()
    {
        WaferGeometry geometry;
        geometry.pitchYMm = 400.0;
        try {
            geometry.validate();
        } catch (const ValidationError &e) {
            QVERIFY(e.problemWith("pitch_y_mm").find("wider than the wafer") != std::string_view::npos);
            QVERIFY(e.problemWith("pitch_x_mm").empty());
            return;
        }
        QFAIL("validate() accepted a 400 mm pitch");
    }
};

QTEST_GUILESS_MAIN(WaferGeometryTest)
#include "wafer_geometry_test.moc"
