#include <QTest>

#include <set>
#include <string_view>

#include <waferscope/core/defect_polarity.h>

using waferscope::core::DefectPolarity;
using waferscope::core::kAllDefectPolarities;
using waferscope::core::parseDefectPolarity;

class DefectPolarityTest : public QObject
{
    Q_OBJECT

private slots:
    void namesAreStableLowerCaseAndDistinct()
    {
        QCOMPARE(toText(DefectPolarity::Bright), std::string_view("bright"));
        QCOMPARE(toText(DefectPolarity::Dark), std::string_view("dark"));
        std::set<std::string_view> names;
        for (const DefectPolarity polarity : kAllDefectPolarities) {
            names.insert(toText(polarity));
        }
        QCOMPARE(names.size(), std::size(kAllDefectPolarities));
    }

    void everyNameReadsBackAsItsPolarity()
    {
        for (const DefectPolarity polarity : kAllDefectPolarities) {
            QCOMPARE(parseDefectPolarity(toText(polarity)), std::optional<DefectPolarity>(polarity));
        }
    }

    void anUnknownNameGivesNothing()
    {
        QCOMPARE(parseDefectPolarity("grey"), std::optional<DefectPolarity>());
        QCOMPARE(parseDefectPolarity("Bright"), std::optional<DefectPolarity>());
        QCOMPARE(parseDefectPolarity(""), std::optional<DefectPolarity>());
    }
};

QTEST_GUILESS_MAIN(DefectPolarityTest)
#include "defect_polarity_test.moc"
