#include <waferscope/viewmodels/tables/record_table_model.h>

#include <algorithm>

namespace waferscope::viewmodels {

namespace {

/// Numbers before text; numbers by value, text by QString's case-insensitive order.
bool isBefore(const QVariant &a, const QVariant &b)
{
    const bool aIsText = a.typeId() == QMetaType::QString;
    const bool bIsText = b.typeId() == QMetaType::QString;
    if (aIsText != bIsText) {
        return !aIsText;
    }
    if (aIsText) {
        return QString::compare(a.toString(), b.toString(), Qt::CaseInsensitive) < 0;
    }
    return a.toDouble() < b.toDouble();
}

} // namespace

RecordTableModel::RecordTableModel(std::vector<Column> columns, QObject *parent)
    : QAbstractTableModel(parent)
    , m_columns(std::move(columns))
{
}

int RecordTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : count();
}

int RecordTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_columns.size());
}

QVariant RecordTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= count() || index.column() >= columnCount()) {
        return {};
    }
    const Row &row = m_rows[static_cast<std::size_t>(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        return row.cells.value(index.column());
    case ToneRole:
        return row.tone;
    case IsEmphasizedRole:
        return row.isEmphasized;
    case RowKeyRole:
        return row.key;
    default:
        return {};
    }
}

QVariant RecordTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0 || section >= columnCount()) {
        return QAbstractTableModel::headerData(section, orientation, role);
    }
    const QString &title = m_columns[static_cast<std::size_t>(section)].title;
    if (section != m_sortColumn) {
        return title;
    }
    return title + (m_isSortAscending ? QStringLiteral(" ▲") : QStringLiteral(" ▼"));
}

QHash<int, QByteArray> RecordTableModel::roleNames() const
{
    return {{Qt::DisplayRole, "display"}, {ToneRole, "tone"}, {IsEmphasizedRole, "isEmphasized"}, {RowKeyRole, "rowKey"}};
}

void RecordTableModel::sortBy(int column)
{
    if (column < 0 || column >= columnCount()) {
        return;
    }
    const bool isAscending = column == m_sortColumn ? !m_isSortAscending : true;
    sort(column, isAscending ? Qt::AscendingOrder : Qt::DescendingOrder);
}

void RecordTableModel::sort(int column, Qt::SortOrder order)
{
    if (column < 0 || column >= columnCount()) {
        return;
    }
    Q_EMIT layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    // A selection (persistent indexes) follows its rows by their keys.
    const QModelIndexList persistent = persistentIndexList();
    QStringList keys;
    for (const QModelIndex &index : persistent) {
        keys.append(rowKey(index.row()));
    }
    m_sortColumn = column;
    m_isSortAscending = order == Qt::AscendingOrder;
    sortRows();
    for (qsizetype i = 0; i < persistent.size(); ++i) {
        const int row = rowOf(keys[i]);
        changePersistentIndex(persistent[i], row < 0 ? QModelIndex() : index(row, persistent[i].column()));
    }
    Q_EMIT layoutChanged({}, QAbstractItemModel::VerticalSortHint);
    Q_EMIT headerDataChanged(Qt::Horizontal, 0, columnCount() - 1);
    Q_EMIT sortChanged();
}

void RecordTableModel::sortRows()
{
    if (m_sortColumn < 0) {
        return;
    }
    const auto column = m_sortColumn;
    const bool isAscending = m_isSortAscending;
    std::stable_sort(m_rows.begin(), m_rows.end(), [column, isAscending](const Row &a, const Row &b) {
        const QVariant &keyA = a.sortKeys.at(column);
        const QVariant &keyB = b.sortKeys.at(column);
        return isAscending ? isBefore(keyA, keyB) : isBefore(keyB, keyA);
    });
}

double RecordTableModel::columnWidth(int column) const
{
    if (column < 0 || column >= columnCount()) {
        return kMinimumColumnWidth;
    }
    return m_columns[static_cast<std::size_t>(column)].width;
}

void RecordTableModel::resizeColumn(int column, double width)
{
    if (column < 0 || column >= columnCount()) {
        return;
    }
    const double clamped = std::max(kMinimumColumnWidth, width);
    if (m_columns[static_cast<std::size_t>(column)].width == clamped) {
        return;
    }
    m_columns[static_cast<std::size_t>(column)].width = clamped;
    ++m_widthRevision;
    Q_EMIT columnWidthsChanged();
}

QString RecordTableModel::cell(int row, int column) const
{
    if (row < 0 || row >= count()) {
        return {};
    }
    return m_rows[static_cast<std::size_t>(row)].cells.value(column);
}

QString RecordTableModel::rowKey(int row) const
{
    if (row < 0 || row >= count()) {
        return {};
    }
    return m_rows[static_cast<std::size_t>(row)].key;
}

int RecordTableModel::rowOf(const QString &key) const
{
    const auto found = std::find_if(m_rows.begin(), m_rows.end(), [&key](const Row &row) { return row.key == key; });
    return found == m_rows.end() ? -1 : static_cast<int>(found - m_rows.begin());
}

bool RecordTableModel::updateRow(Row row)
{
    const int at = rowOf(row.key);
    if (at < 0) {
        return false;
    }
    m_rows[static_cast<std::size_t>(at)] = std::move(row);
    Q_EMIT dataChanged(index(at, 0), index(at, columnCount() - 1));
    return true;
}

void RecordTableModel::setRows(std::vector<Row> rows)
{
    const int before = count();
    beginResetModel();
    m_rows = std::move(rows);
    sortRows();
    endResetModel();
    if (before != count()) {
        Q_EMIT countChanged();
    }
}

void RecordTableModel::prependRows(std::vector<Row> rows, std::size_t capacity)
{
    if (rows.empty()) {
        return;
    }
    const int before = count();
    if (m_sortColumn >= 0) {
        // Sorted: the new rows land all over the table, so it is made again.
        beginResetModel();
        m_rows.insert(m_rows.begin(), std::make_move_iterator(rows.begin()), std::make_move_iterator(rows.end()));
        sortRows();
        if (m_rows.size() > capacity) {
            m_rows.resize(capacity);
        }
        endResetModel();
    } else {
        const int added = static_cast<int>(std::min(rows.size(), capacity));
        beginInsertRows({}, 0, added - 1);
        m_rows.insert(m_rows.begin(), std::make_move_iterator(rows.begin()),
                      std::make_move_iterator(rows.begin() + added));
        endInsertRows();
        if (m_rows.size() > capacity) {
            beginRemoveRows({}, static_cast<int>(capacity), count() - 1);
            m_rows.resize(capacity);
            endRemoveRows();
        }
    }
    if (before != count()) {
        Q_EMIT countChanged();
    }
}

} // namespace waferscope::viewmodels
