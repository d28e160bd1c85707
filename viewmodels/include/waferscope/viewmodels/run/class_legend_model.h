#pragma once

/// ClassLegendModel: the legend of the wafer maps — every defect class by its readable name
/// ("Particle bright") with the colour the maps and the defect tables draw it in.
/// Rows: name, color; one per defect class, in core's class order. Fixed: it never changes.
/// Threads: the UI thread. Allocates: at construction.

#include <QAbstractListModel>
#include <QColor>
#include <QtQml/qqmlregistration.h>

#include <vector>

namespace waferscope::viewmodels {

class ClassLegendModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT

public:
    enum Role { NameRole = Qt::UserRole + 1, ColorRole };
    Q_ENUM(Role)

    explicit ClassLegendModel(QObject *parent = nullptr);

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

private:
    struct Entry {
        QString name;
        QColor color;
    };
    std::vector<Entry> m_entries;
};

} // namespace waferscope::viewmodels
