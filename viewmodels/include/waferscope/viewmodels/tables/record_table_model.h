#pragma once

/// RecordTableModel: a table of ready-made text cells for a Qt Quick TableView with a
/// HorizontalHeaderView — the base of the console's tables (live defects, active alarms, alarm
/// log, audit trail).
/// Columns: fixed by the derived model, each with a readable title (units in it: "Size (µm)") and
/// a width the page may change (resizeColumn(), at least kMinimumColumnWidth).
/// Rows: each row carries its cells' text, one sort key per column (numbers and times sort by
/// value, text without regard to case), a key that names it ("defect 42"), a tone (a theme colour
/// name for the row's marker, may be empty) and whether it wants attention (bold).
/// Sorting: sortBy(column) sorts by that column ascending, a second sortBy() on the same column
/// descending; the sort is stable and kept when setRows() replaces the rows. The sorted column's
/// title ends in ▲ or ▼. Until the first sortBy() the rows keep the order they were given in.
/// Threads: the UI thread. Allocates: per row, its cells.

#include <QAbstractTableModel>
#include <QStringList>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>

#include <vector>

namespace waferscope::viewmodels {

class RecordTableModel : public QAbstractTableModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("A table model is made by its view model")
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    Q_PROPERTY(int sortColumn READ sortColumn NOTIFY sortChanged)
    Q_PROPERTY(bool isSortAscending READ isSortAscending NOTIFY sortChanged)
    Q_PROPERTY(int widthRevision READ widthRevision NOTIFY columnWidthsChanged)

public:
    static constexpr double kMinimumColumnWidth = 48.0;

    enum Role {
        ToneRole = Qt::UserRole + 1,
        IsEmphasizedRole,
        RowKeyRole,
    };
    Q_ENUM(Role)

    struct Column {
        QString title;
        double width = 120.0;
    };

    struct Row {
        QStringList cells;
        QVariantList sortKeys; ///< one per column: a number, or text compared without case
        QString key;
        QString tone;
        bool isEmphasized = false;
    };

    explicit RecordTableModel(std::vector<Column> columns, QObject *parent = nullptr);

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

    /// Sorts by `column`: ascending, or the other way when it is sorted by it already.
    Q_INVOKABLE void sortBy(int column);
    void sort(int column, Qt::SortOrder order) override;
    [[nodiscard]] Q_INVOKABLE double columnWidth(int column) const;
    Q_INVOKABLE void resizeColumn(int column, double width);
    /// The text of a cell, "" out of range.
    [[nodiscard]] Q_INVOKABLE QString cell(int row, int column) const;
    /// The key of a row, "" out of range.
    [[nodiscard]] Q_INVOKABLE QString rowKey(int row) const;
    /// The row with `key`, -1 when none has it.
    [[nodiscard]] Q_INVOKABLE int rowOf(const QString &key) const;

    [[nodiscard]] int count() const noexcept { return static_cast<int>(m_rows.size()); }
    [[nodiscard]] int sortColumn() const noexcept { return m_sortColumn; }
    [[nodiscard]] bool isSortAscending() const noexcept { return m_isSortAscending; }
    [[nodiscard]] int widthRevision() const noexcept { return m_widthRevision; }

Q_SIGNALS:
    void countChanged();
    void sortChanged();
    void columnWidthsChanged();

protected:
    /// Replaces every row (one model reset), sorted as the table is.
    void setRows(std::vector<Row> rows);
    /// Puts `rows` before the rows there are (the live tables, newest first) and drops the rows past
    /// `capacity` from the end; when the table is sorted the new rows go to their sorted places.
    void prependRows(std::vector<Row> rows, std::size_t capacity);
    /// Replaces the row whose key is `row.key` where it stands (the selection stays); false when
    /// no row has that key.
    bool updateRow(Row row);
    [[nodiscard]] const std::vector<Row> &rows() const noexcept { return m_rows; }

private:
    void sortRows();

    std::vector<Column> m_columns;
    std::vector<Row> m_rows;
    int m_sortColumn = -1;
    bool m_isSortAscending = true;
    int m_widthRevision = 0;
};

} // namespace waferscope::viewmodels
