#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

#include <waferscope/viewmodels/defects/defect_list_model.h>


using waferscope::core::DefectClass;
using waferscope::core::DefectRecord;
using waferscope::viewmodels::DefectListModel;

namespace {

DefectRecord defect(std::uint64_t id, DefectClass defectClass = DefectClass::ParticleBright)
{
    DefectRecord d;
    d.id = id;
    d.waferId = waferscope::core::WaferId("W-01");
    d.die = {3, 4};
    d.defectClass = defectClass;
    d.xSizeUm = 12.0;
    d.ySizeUm = 30.0;
    d.detectedAt = std::chrono::system_clock::now();
    return d;
}

std::uint64_t idAt(const DefectListModel &model, int row)
{
    return model.data(model.index(row), DefectListModel::DefectIdRole).toULongLong();
}

} // namespace

class DefectListModelTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void newestDefectsComeFirstOneInsertionPerBatch()
    {
        DefectListModel model;
        QAbstractItemModelTester tester(&model);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        const std::vector<DefectRecord> first{defect(1), defect(2), defect(3)};
        model.append(first);
        const std::vector<DefectRecord> second{defect(4), defect(5)};
        model.append(second);
        QCOMPARE(inserted.count(), 2);
        QCOMPARE(model.rowCount(), 5);
        QCOMPARE(idAt(model, 0), std::uint64_t{5});
        QCOMPARE(idAt(model, 4), std::uint64_t{1});
        QCOMPARE(model.data(model.index(0), DefectListModel::SizeUmRole).toDouble(), 30.0);
        QCOMPARE(model.data(model.index(0), DefectListModel::DieRole).toString(), QString("(3,4)"));
        QCOMPARE(model.get(0).value("defectClass").toString(), QString("particle-bright"));
    }

    void theListKeepsOnlyTheNewestUpToItsCapacity()
    {
        DefectListModel model(4);
        QAbstractItemModelTester tester(&model);
        std::vector<DefectRecord> batch;
        for (std::uint64_t id = 1; id <= 3; ++id) {
            batch.push_back(defect(id));
        }
        model.append(batch);
        batch.clear();
        for (std::uint64_t id = 4; id <= 10; ++id) {
            batch.push_back(defect(id));
        }
        model.append(batch);
        QCOMPARE(model.rowCount(), 4);
        QCOMPARE(idAt(model, 0), std::uint64_t{10});
        QCOMPARE(idAt(model, 3), std::uint64_t{7});
        QCOMPARE(model.totalReceived(), qulonglong{10});
    }

    void aClassFilterShowsOnlyThatClassIncludingLaterBatches()
    {
        DefectListModel model;
        QAbstractItemModelTester tester(&model);
        const std::vector<DefectRecord> batch{defect(1, DefectClass::Scratch), defect(2), defect(3, DefectClass::Scratch)};
        model.append(batch);
        model.setClassFilter("scratch");
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(idAt(model, 0), std::uint64_t{3});
        const std::vector<DefectRecord> more{defect(4), defect(5, DefectClass::Scratch)};
        model.append(more);
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(idAt(model, 0), std::uint64_t{5});
        model.setClassFilter("");
        QCOMPARE(model.rowCount(), 5);
        QVERIFY(model.classNames().contains("bridge"));
    }
};

QTEST_GUILESS_MAIN(DefectListModelTest)
#include "defect_list_model_test.moc"
