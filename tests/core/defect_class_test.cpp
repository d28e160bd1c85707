#include <QTest>

#include <set>
#include <string>

#include <waferscope/core/defect_class.h>

using waferscope::core::DefectClass;
using waferscope::core::kAllDefectClasses;
using waferscope::core::parseDefectClass;

class DefectClassTest : public QObject
{
    Q_OBJECT

private slots:
    void everyClassHasADistinctLowerCaseName()
    {
        std::set<std::string_view> names;
        for (const DefectClass c : kAllDefectClasses) {
            const std::string_view name = toText(c);
            QVERIFY(!name.empty());
            for (const char ch : name) {
                QVERIFY((ch >= 'a' && ch <= 'z') || ch == '-');
            }
            names.insert(name);
        }
        QCOMPARE(names.size(), std::size(kAllDefectClasses));
        QCOMPARE(toText(DefectClass::ParticleBright), std::string_view("particle-bright"));
    }

    void parseReadsEveryNameBack()
    {
        for (const DefectClass c : kAllDefectClasses) {
            QCOMPARE(parseDefectClass(toText(c)), std::optional<DefectClass>(c));
        }
    }

    void unknownNameGivesNothing()
    {
        QVERIFY(!parseDefectClass("Particle-Bright").has_value());
        QVERIFY(!parseDefectClass("").has_value());
        QVERIFY(!parseDefectClass("crack").has_value());
    }
};

QTEST_GUILESS_MAIN(DefectClassTest)
#include "defect_class_test.moc"
