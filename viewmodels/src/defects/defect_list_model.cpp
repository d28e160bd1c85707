#include <waferscope/viewmodels/defects/defect_list_model.h>

#include <QDateTime>

#include <algorithm>

#include <waferscope/viewmodels/run/defect_class_palette.h>

#include "qt_text.h"

namespace waferscope::viewmodels {

DefectListModel::DefectListModel(std::size_t capacity, QObject *parent)
    : QAbstractListModel(parent)
    , m_capacity(std::max<std::size_t>(capacity, 1))
{
}

int DefectListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_shown.size());
}

QVariant DefectListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() < 0 || index.row() >= static_cast<int>(m_shown.size())) {
        return {};
    }
    const Row &row = m_shown[static_cast<std::size_t>(index.row())];
    switch (role) {
    case DefectIdRole:
        // As text: QML would make a number of it and show a 64-bit id as "1.79531e+15".
        return QString::number(row.id);
    case Qt::DisplayRole:
    case DefectClassRole:
        return row.className;
    case ClassColorRole:
        return row.color;
    case SizeUmRole:
        return row.sizeUm;
    case DieRole:
        return row.die;
    case XUmRole:
        return row.xUm;
    case YUmRole:
        return row.yUm;
    case TimeRole:
        // Formatted when shown: only the visible rows pay for the time-zone conversion.
        return QDateTime::fromMSecsSinceEpoch(row.detectedMs).toString(QStringLiteral("hh:mm:ss.zzz"));
    case WaferIdRole:
        return row.waferId;
    case ImageUrlRole:
        return row.imageUrl;
    default:
        return {};
    }
}

QHash<int, QByteArray> DefectListModel::roleNames() const
{
    return {{DefectIdRole, "defectId"}, {DefectClassRole, "defectClass"}, {ClassColorRole, "classColor"},
            {SizeUmRole, "sizeUm"},     {DieRole, "die"},                 {XUmRole, "xUm"},
            {YUmRole, "yUm"},           {TimeRole, "time"},               {WaferIdRole, "waferId"},
            {ImageUrlRole, "imageUrl"}};
}

DefectListModel::Row DefectListModel::makeRow(const core::DefectRecord &defect)
{
    Row row;
    row.id = defect.id;
    row.defectClass = defect.defectClass;
    row.className = qText(core::toText(defect.defectClass));
    row.color = colorOf(defect.defectClass);
    row.sizeUm = std::max(defect.xSizeUm, defect.ySizeUm);
    row.die = QString::fromStdString(core::toText(defect.die));
    row.xUm = defect.xRelUm;
    row.yUm = defect.yRelUm;
    row.detectedMs =
        std::chrono::duration_cast<std::chrono::milliseconds>(defect.detectedAt.time_since_epoch()).count();
    row.waferId = QString::fromStdString(std::string(defect.waferId.text()));
    if (defect.imagePath) {
        row.imageUrl = QUrl::fromLocalFile(QString::fromStdString(*defect.imagePath));
    }
    return row;
}

bool DefectListModel::isShown(const Row &row) const
{
    return m_classFilter.isEmpty() || row.className == m_classFilter;
}

void DefectListModel::append(std::span<const core::DefectRecord> defects)
{
    if (defects.empty()) {
        return;
    }
    m_received += defects.size();
    // Only the newest m_capacity of the batch can be kept.
    const std::size_t keep = std::min(defects.size(), m_capacity);
    std::vector<Row> fresh;
    fresh.reserve(keep);
    for (std::size_t i = defects.size() - keep; i < defects.size(); ++i) {
        fresh.push_back(makeRow(defects[i]));
    }
    // Newest first: the batch's last defect becomes row 0.
    std::reverse(fresh.begin(), fresh.end());

    std::size_t shownFresh = 0;
    for (const Row &row : fresh) {
        shownFresh += isShown(row) ? 1 : 0;
    }
    // Rows falling off the cap, oldest first; those shown leave the view too.
    const std::size_t overflow = m_all.size() + fresh.size() > m_capacity ? m_all.size() + fresh.size() - m_capacity : 0;
    std::size_t shownDropped = 0;
    for (std::size_t i = 0; i < overflow; ++i) {
        shownDropped += isShown(m_all[m_all.size() - 1 - i]) ? 1 : 0;
    }
    m_all.erase(m_all.end() - static_cast<std::ptrdiff_t>(overflow), m_all.end());
    if (shownDropped > 0) {
        const int last = static_cast<int>(m_shown.size()) - 1;
        beginRemoveRows({}, last - static_cast<int>(shownDropped) + 1, last);
        m_shown.erase(m_shown.end() - static_cast<std::ptrdiff_t>(shownDropped), m_shown.end());
        endRemoveRows();
    }
    if (shownFresh > 0) {
        beginInsertRows({}, 0, static_cast<int>(shownFresh) - 1);
    }
    for (auto it = fresh.rbegin(); it != fresh.rend(); ++it) {
        if (isShown(*it)) {
            m_shown.push_front(*it);
        }
        m_all.push_front(std::move(*it));
    }
    if (shownFresh > 0) {
        endInsertRows();
    }
    Q_EMIT countChanged();
}

void DefectListModel::clear()
{
    beginResetModel();
    m_all.clear();
    m_shown.clear();
    m_received = 0;
    endResetModel();
    Q_EMIT countChanged();
}

QVariantMap DefectListModel::get(int row) const
{
    QVariantMap result;
    if (row < 0 || row >= static_cast<int>(m_shown.size())) {
        return result;
    }
    const QModelIndex at = index(row);
    const auto names = roleNames();
    for (auto it = names.begin(); it != names.end(); ++it) {
        result.insert(QString::fromUtf8(it.value()), data(at, it.key()));
    }
    return result;
}

void DefectListModel::setClassFilter(const QString &name)
{
    if (m_classFilter == name) {
        return;
    }
    beginResetModel();
    m_classFilter = name;
    m_shown.clear();
    for (const Row &row : m_all) {
        if (isShown(row)) {
            m_shown.push_back(row);
        }
    }
    endResetModel();
    Q_EMIT classFilterChanged();
    Q_EMIT countChanged();
}

QStringList DefectListModel::classNames() const
{
    QStringList names{QString()};
    for (const core::DefectClass c : core::kAllDefectClasses) {
        names.append(qText(core::toText(c)));
    }
    return names;
}

} // namespace waferscope::viewmodels
