#include <waferscope/viewmodels/defects/defect_table_model.h>

#include <QColor>

namespace waferscope::viewmodels {

namespace {

std::vector<RecordTableModel::Column> defectColumns()
{
    return {{QObject::tr("Time"), 120},  {QObject::tr("Class"), 170}, {QObject::tr("Size (µm)"), 100},
            {QObject::tr("Die (col,row)"), 120}, {QObject::tr("X (µm)"), 100}, {QObject::tr("Y (µm)"), 100},
            {QObject::tr("Wafer"), 150}, {QObject::tr("Defect"), 170}};
}

} // namespace

DefectTableModel::DefectTableModel(DefectListModel &source, QObject *parent)
    : RecordTableModel(defectColumns(), parent)
    , m_source(source)
{
    connect(&m_source, &QAbstractItemModel::rowsInserted, this,
            [this](const QModelIndex &, int first, int last) { onInserted(first, last); });
    connect(&m_source, &QAbstractItemModel::rowsRemoved, this, [this] {
        if (m_isFollowing) {
            rebuild();
        }
    });
    connect(&m_source, &QAbstractItemModel::modelReset, this, [this] {
        m_pending = 0;
        rebuild();
        Q_EMIT followingChanged();
    });
    rebuild();
}

RecordTableModel::Row DefectTableModel::makeRow(int sourceRow) const
{
    const QModelIndex at = m_source.index(sourceRow);
    const auto value = [&at](int role) { return at.data(role); };
    const QString id = value(DefectListModel::DefectIdRole).toString();
    const double size = value(DefectListModel::SizeUmRole).toDouble();
    const double x = value(DefectListModel::XUmRole).toDouble();
    const double y = value(DefectListModel::YUmRole).toDouble();
    Row row;
    row.cells = {value(DefectListModel::TimeRole).toString(), value(DefectListModel::DefectClassRole).toString(),
                 QString::number(size, 'f', 1),               value(DefectListModel::DieRole).toString(),
                 QString::number(x, 'f', 0),                  QString::number(y, 'f', 0),
                 value(DefectListModel::WaferIdRole).toString(), id};
    // Ids grow with detection, so they order the times too.
    row.sortKeys = {id.toULongLong(), row.cells[ClassColumn], size, row.cells[DieColumn], x, y,
                    row.cells[WaferColumn], id.toULongLong()};
    row.key = id;
    row.tone = value(DefectListModel::ClassColorRole).value<QColor>().name();
    return row;
}

void DefectTableModel::rebuild()
{
    std::vector<Row> rows;
    rows.reserve(static_cast<std::size_t>(m_source.rowCount()));
    for (int i = 0; i < m_source.rowCount(); ++i) {
        rows.push_back(makeRow(i));
    }
    setRows(std::move(rows));
}

void DefectTableModel::onInserted(int first, int last)
{
    if (!m_isFollowing) {
        m_pending += last - first + 1;
        Q_EMIT followingChanged();
        return;
    }
    if (first != 0) {
        rebuild();
        return;
    }
    std::vector<Row> fresh;
    for (int i = first; i <= last; ++i) {
        fresh.push_back(makeRow(i));
    }
    prependRows(std::move(fresh), static_cast<std::size_t>(m_source.rowCount()));
}

void DefectTableModel::setFollowing(bool isFollowing)
{
    if (isFollowing == m_isFollowing) {
        return;
    }
    m_isFollowing = isFollowing;
    if (m_isFollowing && m_pending > 0) {
        m_pending = 0;
        rebuild();
    }
    Q_EMIT followingChanged();
}

QString DefectTableModel::followText() const
{
    if (m_isFollowing) {
        return tr("Following new defects");
    }
    return m_pending == 0 ? tr("Frozen") : tr("Frozen · %1 new").arg(m_pending);
}

void DefectTableModel::pick(int row)
{
    const QString key = rowKey(row);
    QVariantMap picked;
    for (int i = 0; i < m_source.rowCount() && !key.isEmpty(); ++i) {
        if (m_source.index(i).data(DefectListModel::DefectIdRole).toString() == key) {
            picked = m_source.get(i);
            break;
        }
    }
    if (picked != m_picked) {
        m_picked = picked;
        Q_EMIT pickChanged();
    }
}

QString DefectTableModel::pickedId() const
{
    return m_picked.value(QStringLiteral("defectId")).toString();
}

QString DefectTableModel::detailText() const
{
    if (!hasPick()) {
        return {};
    }
    return tr("Defect %1\n%2, %3 µm\ndie %4 at (%5, %6) µm\nwafer %7, %8")
        .arg(pickedId(), m_picked.value(QStringLiteral("defectClass")).toString(),
             QString::number(m_picked.value(QStringLiteral("sizeUm")).toDouble(), 'f', 1),
             m_picked.value(QStringLiteral("die")).toString(),
             QString::number(m_picked.value(QStringLiteral("xUm")).toDouble(), 'f', 0),
             QString::number(m_picked.value(QStringLiteral("yUm")).toDouble(), 'f', 0),
             m_picked.value(QStringLiteral("waferId")).toString(), m_picked.value(QStringLiteral("time")).toString());
}

} // namespace waferscope::viewmodels
