#pragma once

/// DefectListModel: the live defect list — newest first, capped at `capacity` defects (the oldest
/// fall off; the full history is in the database), optionally filtered by class.
/// Rows: defectId (as text: ids use 63 bits, more than a QML number holds), defectClass (its name), classColor, sizeUm (the longer side), die ("(c,r)"),
/// xUm/yUm (die-relative), time ("hh:mm:ss.zzz"), waferId, imageUrl (the staged crop; empty when
/// none was staged).
/// Feeding: append() takes a batch, as the engine facade's defectsArrived() delivers it; one model insertion per batch.
/// clear() empties it (a new run).
/// Threads: the UI thread. Allocates: per defect, its row.

#include <QAbstractListModel>
#include <QColor>
#include <QStringList>
#include <QUrl>
#include <QtQml/qqmlregistration.h>

#include <deque>
#include <span>

#include <waferscope/core/persistence/defect_record.h>

namespace waferscope::viewmodels {

class DefectListModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The console owns the defect list")
    Q_PROPERTY(QString classFilter READ classFilter WRITE setClassFilter NOTIFY classFilterChanged)
    Q_PROPERTY(QStringList classNames READ classNames CONSTANT)
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    // A count, given to QML as a number (exact to 2^53): QML has no 64-bit integer type.
    Q_PROPERTY(double totalReceived READ totalReceived NOTIFY countChanged)

public:
    enum Role {
        DefectIdRole = Qt::UserRole + 1,
        DefectClassRole,
        ClassColorRole,
        SizeUmRole,
        DieRole,
        XUmRole,
        YUmRole,
        TimeRole,
        WaferIdRole,
        ImageUrlRole,
    };
    Q_ENUM(Role)

    static constexpr std::size_t kDefaultCapacity = 2'000;

    explicit DefectListModel(std::size_t capacity = kDefaultCapacity, QObject *parent = nullptr);

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

    void append(std::span<const core::DefectRecord> defects);
    Q_INVOKABLE void clear();

    /// A row as a map of its roles, for the detail pane; empty for a row out of range.
    Q_INVOKABLE QVariantMap get(int row) const;

    [[nodiscard]] QString classFilter() const { return m_classFilter; }
    void setClassFilter(const QString &name);
    /// "" (all) and every class name.
    [[nodiscard]] QStringList classNames() const;
    [[nodiscard]] int count() const noexcept { return static_cast<int>(m_shown.size()); }
    [[nodiscard]] qulonglong totalReceived() const noexcept { return m_received; }

Q_SIGNALS:
    void classFilterChanged();
    void countChanged();

private:
    struct Row {
        std::uint64_t id = 0;
        core::DefectClass defectClass = core::DefectClass::Unknown;
        QString className;
        QColor color;
        double sizeUm = 0.0;
        QString die;
        double xUm = 0.0;
        double yUm = 0.0;
        qint64 detectedMs = 0; // since the epoch
        QString waferId;
        QUrl imageUrl;
    };
    [[nodiscard]] bool isShown(const Row &row) const;
    [[nodiscard]] static Row makeRow(const core::DefectRecord &defect);

    std::size_t m_capacity;
    std::deque<Row> m_all;   // newest first, at most m_capacity
    std::deque<Row> m_shown; // the rows that pass the filter, newest first
    QString m_classFilter;
    std::uint64_t m_received = 0;
};

} // namespace waferscope::viewmodels
