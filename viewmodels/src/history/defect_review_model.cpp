#include <waferscope/viewmodels/history/defect_review_model.h>

#include <QPointer>

#include <algorithm>

#include <QCoroFuture>

#include <waferscope/core/defect_class.h>
#include <waferscope/viewmodels/run/defect_class_palette.h>

#include "readable_text.h"
#include "store_read.h"

namespace waferscope::viewmodels {

namespace {

std::vector<RecordTableModel::Column> reviewColumns()
{
    return {{QObject::tr("Defect"), 170},     {QObject::tr("Class"), 140},       {QObject::tr("Die (col, row)"), 130},
            {QObject::tr("X (µm)"), 90},      {QObject::tr("Y (µm)"), 90},       {QObject::tr("Width (µm)"), 100},
            {QObject::tr("Height (µm)"), 100}, {QObject::tr("Area (µm²)"), 100}};
}

QString number(double value, int decimals)
{
    return QString::number(value, 'f', decimals);
}

} // namespace

DefectReviewModel::DefectReviewModel(ConsoleServices services, SessionViewModel &session, QObject *parent)
    : RecordTableModel(reviewColumns(), parent)
    , m_services(services)
    , m_session(session)
{
}

RecordTableModel::Row DefectReviewModel::makeRow(const core::DefectRecord &d, const QString &className)
{
    Row row;
    const QString die = QStringLiteral("(%1, %2)").arg(d.die.column).arg(d.die.row);
    row.cells = {QString::number(d.id),     className,
                 die,                       number(d.xRelUm, 0),
                 number(d.yRelUm, 0),       number(d.xSizeUm, 1),
                 number(d.ySizeUm, 1),      number(d.areaUm2, 0)};
    row.sortKeys = {static_cast<qulonglong>(d.id), className, d.die.column * 100000 + d.die.row, d.xRelUm,
                    d.yRelUm, d.xSizeUm, d.ySizeUm, d.areaUm2};
    row.key = QString::number(d.id);
    row.tone = colorOf(d.defectClass).name();
    return row;
}

QString DefectReviewModel::classNameOf(std::size_t index) const
{
    if (m_imported && index < static_cast<std::size_t>(m_importedClassNames.size())) {
        return m_importedClassNames[static_cast<qsizetype>(index)];
    }
    return readable(core::toText(m_defects[index].defectClass));
}

void DefectReviewModel::setDefects(std::vector<core::DefectRecord> defects)
{
    replace(std::move(defects), {}, false);
}

void DefectReviewModel::setImported(std::vector<core::DefectRecord> defects, QStringList classNames)
{
    replace(std::move(defects), std::move(classNames), true);
}

void DefectReviewModel::replace(std::vector<core::DefectRecord> defects, QStringList classNames, bool imported)
{
    m_defects = std::move(defects);
    m_importedClassNames = std::move(classNames);
    m_imported = imported;
    std::vector<Row> rows;
    rows.reserve(m_defects.size());
    for (std::size_t i = 0; i < m_defects.size(); ++i) {
        rows.push_back(makeRow(m_defects[i], classNameOf(i)));
    }
    setRows(std::move(rows));
    m_picked = -1;
    Q_EMIT pickChanged();
    setMessage({});
}

void DefectReviewModel::pick(int row)
{
    const QString key = rowKey(row);
    const auto found = std::find_if(m_defects.begin(), m_defects.end(),
                                    [&key](const core::DefectRecord &d) { return QString::number(d.id) == key; });
    const int picked = found == m_defects.end() ? -1 : static_cast<int>(found - m_defects.begin());
    if (picked != m_picked) {
        m_picked = picked;
        Q_EMIT pickChanged();
    }
}

QString DefectReviewModel::pickedId() const
{
    return hasPick() ? QString::number(m_defects[static_cast<std::size_t>(m_picked)].id) : QString();
}

QUrl DefectReviewModel::imageUrl() const
{
    if (!hasPick() || !m_defects[static_cast<std::size_t>(m_picked)].imagePath) {
        return {};
    }
    return QUrl::fromLocalFile(QString::fromStdString(*m_defects[static_cast<std::size_t>(m_picked)].imagePath));
}

QString DefectReviewModel::detailText() const
{
    if (!hasPick()) {
        return tr("Pick a defect in the table");
    }
    const core::DefectRecord &d = m_defects[static_cast<std::size_t>(m_picked)];
    if (m_imported) {
        return tr("Defect %1 · %2\nDie (%3, %4) at x %5 µm, y %6 µm\n%7 × %8 µm, area %9 µm²\n"
                  "From another tool's KLARF file: no image, not in the database")
            .arg(QString::number(d.id), classNameOf(static_cast<std::size_t>(m_picked)))
            .arg(d.die.column)
            .arg(d.die.row)
            .arg(number(d.xRelUm, 0), number(d.yRelUm, 0), number(d.xSizeUm, 1), number(d.ySizeUm, 1),
                 number(d.areaUm2, 0));
    }
    return tr("Defect %1 · %2 · %3\nDie (%4, %5) at x %6 µm, y %7 µm\n%8 × %9 µm, area %10 µm²\n"
              "Box %11 × %12 px at (%13, %14), frame %15\nDetected %16%17")
        .arg(QString::number(d.id), readable(core::toText(d.defectClass)), readable(core::toText(d.polarity)))
        .arg(d.die.column)
        .arg(d.die.row)
        .arg(number(d.xRelUm, 0), number(d.yRelUm, 0), number(d.xSizeUm, 1), number(d.ySizeUm, 1), number(d.areaUm2, 0))
        .arg(d.box.width)
        .arg(d.box.height)
        .arg(d.box.x)
        .arg(d.box.y)
        .arg(d.frameSequence)
        .arg(timeText(localTime(d.detectedAt)), d.imagePath ? QString() : tr("\nNo crop was staged"));
}

int DefectReviewModel::pickedClassIndex() const
{
    return hasPick() ? static_cast<int>(m_defects[static_cast<std::size_t>(m_picked)].defectClass) : -1;
}

QStringList DefectReviewModel::classNames() const
{
    QStringList names;
    for (const core::DefectClass defectClass : core::kAllDefectClasses) {
        names.append(readable(core::toText(defectClass)));
    }
    return names;
}

void DefectReviewModel::setMessage(QString error, QString status)
{
    m_errorText = std::move(error);
    m_statusText = std::move(status);
    Q_EMIT messageChanged();
}

QCoro::QmlTask DefectReviewModel::reclassify(int classIndex)
{
    return reclassifyTask(classIndex);
}

QCoro::Task<bool> DefectReviewModel::reclassifyTask(int classIndex)
{
    if (!m_session.allows(core::Permission::ReviewDefects)) {
        setMessage(m_session.refusal(core::Permission::ReviewDefects));
        co_return false;
    }
    if (m_imported) {
        setMessage(tr("Defects of a KLARF file from another tool are not in the database: they cannot be reclassified"));
        co_return false;
    }
    if (!hasPick()) {
        setMessage(tr("Pick a defect to reclassify"));
        co_return false;
    }
    if (classIndex < 0 || classIndex >= static_cast<int>(std::size(core::kAllDefectClasses))) {
        setMessage(tr("There is no defect class %1").arg(classIndex));
        co_return false;
    }
    if (m_isBusy) {
        setMessage(tr("A reclassification is still being stored"));
        co_return false;
    }
    const core::DefectClass newClass = core::kAllDefectClasses[classIndex];
    const core::DefectRecord picked = m_defects[static_cast<std::size_t>(m_picked)];
    if (picked.defectClass == newClass) {
        setMessage({}, tr("Defect %1 is %2 already").arg(picked.id).arg(readable(core::toText(newClass))));
        co_return true;
    }
    m_isBusy = true;
    Q_EMIT busyChanged();
    std::optional<core::AlarmActor> asker = m_session.actor();
    const std::uint64_t id = picked.id;
    const QPointer<DefectReviewModel> self(this);
    auto pending = readStore<core::DefectClass>(m_services.engine.databaseFile(), [id, newClass](core::InspectionStore &store) {
        return store.reclassifyDefect(id, newClass);
    });
    auto stored = co_await pending;
    if (!self) {
        co_return false;
    }
    m_isBusy = false;
    Q_EMIT busyChanged();
    if (!stored.value) {
        setMessage(tr("Defect %1 could not be reclassified: %2").arg(id).arg(QString::fromStdString(stored.error)));
        co_return false;
    }
    std::string detail = "defect " + std::to_string(id) + " of " + picked.runId.toString() + ", wafer " +
                         std::string(picked.waferId.text()) + ": " + std::string(core::toText(*stored.value)) +
                         " → " + std::string(core::toText(newClass));
    std::string action = "defect.reclassify";
    co_await m_session.auditAs(std::move(asker), std::move(action), std::move(detail));
    if (!self) {
        co_return true;
    }
    // The defects may have been replaced meanwhile (another wafer opened): find it again by id.
    const auto found = std::find_if(m_defects.begin(), m_defects.end(), [id](const core::DefectRecord &d) { return d.id == id; });
    if (found != m_defects.end()) {
        found->defectClass = newClass;
        // In place: the table keeps its selection, and the pick with it.
        static_cast<void>(updateRow(makeRow(*found, readable(core::toText(newClass)))));
        Q_EMIT pickChanged();
        Q_EMIT defectsChanged();
    }
    setMessage({}, tr("Defect %1 is now %2").arg(id).arg(readable(core::toText(newClass))));
    co_return true;
}

} // namespace waferscope::viewmodels
