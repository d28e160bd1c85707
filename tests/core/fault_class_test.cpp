#include <QTest>

#include <set>
#include <string_view>

#include <waferscope/core/recipes/fault_class.h>

using waferscope::core::FaultClass;
using waferscope::core::kAllFaultClasses;
using waferscope::core::parseFaultClass;

class FaultClassTest : public QObject
{
    Q_OBJECT

private slots:
    void everyClassReadsBackFromItsName()
    {
        std::set<std::string_view> names;
        for (const FaultClass faultClass : kAllFaultClasses) {
            names.insert(toText(faultClass));
            QCOMPARE(parseFaultClass(toText(faultClass)), std::optional(faultClass));
        }
        QCOMPARE(names.size(), std::size(kAllFaultClasses));
    }

    void namesAreTheRecipeKeys()
    {
        QCOMPARE(toText(FaultClass::FollowingError), std::string_view("followingError"));
        QCOMPARE(toText(FaultClass::FramesLost), std::string_view("framesLost"));
        QCOMPARE(toText(FaultClass::DiskSpace), std::string_view("diskSpace"));
    }

    void unknownNameGivesNothing()
    {
        QCOMPARE(parseFaultClass("following-error"), std::optional<FaultClass>());
        QCOMPARE(parseFaultClass(""), std::optional<FaultClass>());
    }
};

QTEST_GUILESS_MAIN(FaultClassTest)
#include "fault_class_test.moc"
