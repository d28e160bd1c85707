#pragma once

/// DefectTableModel: the live defect list (DefectListModel: newest first, capped, filtered by
/// class) as a sortable table for the Defects page, with a follow / freeze switch and the picked
/// defect's crop and measurements.
/// Columns: Time, Class, Size (µm), Die (col,row), X (µm), Y (µm), Wafer, Defect. Rows are keyed by
/// defect id; the tone is the class colour.
/// Following (the default): new defects appear as they come (on top unless sorted otherwise) and
/// the page keeps the newest in view. Frozen: the table keeps its rows, so a picked defect stays
/// where it is during a run; pendingCount counts what came meanwhile; following again shows it.
/// A new run or a class filter (the source's reset) rebuilds the table either way.
/// Threads: the UI thread. Allocates: per defect shown, its row.

#include <QUrl>
#include <QtQml/qqmlregistration.h>

#include <waferscope/viewmodels/defects/defect_list_model.h>
#include <waferscope/viewmodels/tables/record_table_model.h>

namespace waferscope::viewmodels {

// The base is named in full: qmltyperegistrar finds a base class only by its full name (qmllint
// then knows the model is a RecordTableModel).
class DefectTableModel : public waferscope::viewmodels::RecordTableModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The console owns the defect table")
    Q_PROPERTY(bool isFollowing READ isFollowing WRITE setFollowing NOTIFY followingChanged)
    Q_PROPERTY(int pendingCount READ pendingCount NOTIFY followingChanged)
    Q_PROPERTY(QString followText READ followText NOTIFY followingChanged)
    Q_PROPERTY(bool hasPick READ hasPick NOTIFY pickChanged)
    Q_PROPERTY(QString pickedId READ pickedId NOTIFY pickChanged)
    Q_PROPERTY(QUrl imageUrl READ imageUrl NOTIFY pickChanged)
    Q_PROPERTY(QString detailText READ detailText NOTIFY pickChanged)

public:
    enum Column { TimeColumn, ClassColumn, SizeColumn, DieColumn, XColumn, YColumn, WaferColumn, IdColumn };
    Q_ENUM(Column)

    explicit DefectTableModel(DefectListModel &source, QObject *parent = nullptr);

    [[nodiscard]] bool isFollowing() const noexcept { return m_isFollowing; }
    void setFollowing(bool isFollowing);
    [[nodiscard]] int pendingCount() const noexcept { return m_pending; }
    /// "Following new defects", or "Frozen · 12 new".
    [[nodiscard]] QString followText() const;

    /// Picks the defect of table row `row`; out of range picks nothing.
    Q_INVOKABLE void pick(int row);
    [[nodiscard]] bool hasPick() const noexcept { return !m_picked.isEmpty(); }
    [[nodiscard]] QString pickedId() const;
    [[nodiscard]] QUrl imageUrl() const { return m_picked.value(QStringLiteral("imageUrl")).toUrl(); }
    [[nodiscard]] QString detailText() const;

Q_SIGNALS:
    void followingChanged();
    void pickChanged();

private:
    [[nodiscard]] Row makeRow(int sourceRow) const;
    void rebuild();
    void onInserted(int first, int last);

    DefectListModel &m_source;
    bool m_isFollowing = true;
    int m_pending = 0;
    QVariantMap m_picked;
};

} // namespace waferscope::viewmodels
