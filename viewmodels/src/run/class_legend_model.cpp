#include <waferscope/viewmodels/run/class_legend_model.h>

#include <waferscope/core/defect_class.h>
#include <waferscope/viewmodels/run/defect_class_palette.h>

#include "readable_text.h"

namespace waferscope::viewmodels {

ClassLegendModel::ClassLegendModel(QObject *parent)
    : QAbstractListModel(parent)
{
    for (const core::DefectClass defectClass : core::kAllDefectClasses) {
        m_entries.push_back({readable(core::toText(defectClass)), colorOf(defectClass)});
    }
}

int ClassLegendModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_entries.size());
}

QVariant ClassLegendModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount()) {
        return {};
    }
    const Entry &entry = m_entries[static_cast<std::size_t>(index.row())];
    return role == NameRole ? QVariant(entry.name) : role == ColorRole ? QVariant(entry.color) : QVariant();
}

QHash<int, QByteArray> ClassLegendModel::roleNames() const
{
    return {{NameRole, "name"}, {ColorRole, "color"}};
}

} // namespace waferscope::viewmodels
