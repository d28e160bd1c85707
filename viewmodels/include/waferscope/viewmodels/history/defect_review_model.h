#pragma once

/// DefectReviewModel: the defects of one past wafer, as the History page reviews them — a sortable
/// table (id, class, die, position and size in µm, area in µm²), the picked defect's staged crop
/// and measurements, and its reclassification.
/// Feeding: setDefects() replaces the defects (the History view model opens a wafer); nothing is
/// picked then. pick(row) picks the defect of a table row.
/// Reclassify: needs ReviewDefects (engineers and admins), checked here; writes the new class to
/// the database on a worker thread, then the audit entry "defect.reclassify" ("defect 42 of run-3,
/// wafer W-1: scratch → bridge") as the user who asked; the row, the picked defect and
/// defectsChanged() follow. A refused or failed one sets errorText and changes nothing.
/// Commands: coroutines; isBusy while one is pending, and a second one meanwhile is refused.
/// Lifetime: a pending command holds a QPointer and stops without touching a destroyed model.
/// Threads: the UI thread; the store on Qt's global thread pool. Allocates: per defect, its row.

#include <QUrl>
#include <QtQml/qqmlregistration.h>

#include <QCoroQmlTask>
#include <QCoroTask>

#include <vector>

#include <waferscope/core/persistence/defect_record.h>
#include <waferscope/viewmodels/console/console_services.h>
#include <waferscope/viewmodels/session/session_view_model.h>
#include <waferscope/viewmodels/tables/record_table_model.h>

namespace waferscope::viewmodels {

// The base is named in full: qmltyperegistrar finds a base class only by its full name (qmllint
// then knows the model is a RecordTableModel).
class DefectReviewModel : public waferscope::viewmodels::RecordTableModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The history view model owns the defect review")
    Q_PROPERTY(bool hasPick READ hasPick NOTIFY pickChanged)
    Q_PROPERTY(QString pickedId READ pickedId NOTIFY pickChanged)
    Q_PROPERTY(QUrl imageUrl READ imageUrl NOTIFY pickChanged)
    Q_PROPERTY(QString detailText READ detailText NOTIFY pickChanged)
    Q_PROPERTY(int pickedClassIndex READ pickedClassIndex NOTIFY pickChanged)
    Q_PROPERTY(QStringList classNames READ classNames CONSTANT)
    Q_PROPERTY(bool isImported READ isImported NOTIFY pickChanged)
    Q_PROPERTY(bool isBusy READ isBusy NOTIFY busyChanged)
    Q_PROPERTY(QString errorText READ errorText NOTIFY messageChanged)
    Q_PROPERTY(QString statusText READ statusText NOTIFY messageChanged)

public:
    enum Column { IdColumn, ClassColumn, DieColumn, XColumn, YColumn, WidthColumn, HeightColumn, AreaColumn };
    Q_ENUM(Column)

    DefectReviewModel(ConsoleServices services, SessionViewModel &session, QObject *parent = nullptr);

    void setDefects(std::vector<core::DefectRecord> defects);
    /// Another tool's defects, with the file's class name of each (same order and length).
    void setImported(std::vector<core::DefectRecord> defects, QStringList classNames);
    [[nodiscard]] bool isImported() const noexcept { return m_imported; }
    [[nodiscard]] const std::vector<core::DefectRecord> &defects() const noexcept { return m_defects; }

    /// Picks the defect of table row `row`; a row out of range picks nothing.
    Q_INVOKABLE void pick(int row);
    Q_INVOKABLE QCoro::QmlTask reclassify(int classIndex);
    [[nodiscard]] QCoro::Task<bool> reclassifyTask(int classIndex);

    [[nodiscard]] bool hasPick() const noexcept { return m_picked >= 0; }
    [[nodiscard]] QString pickedId() const;
    [[nodiscard]] QUrl imageUrl() const;
    [[nodiscard]] QString detailText() const;
    /// Into classNames; -1 when nothing is picked.
    [[nodiscard]] int pickedClassIndex() const;
    [[nodiscard]] QStringList classNames() const;
    [[nodiscard]] bool isBusy() const noexcept { return m_isBusy; }
    [[nodiscard]] QString errorText() const { return m_errorText; }
    [[nodiscard]] QString statusText() const { return m_statusText; }

Q_SIGNALS:
    void pickChanged();
    void busyChanged();
    void messageChanged();
    /// A defect's class changed: the map redraws.
    void defectsChanged();

private:
    [[nodiscard]] static Row makeRow(const core::DefectRecord &defect, const QString &className);
    [[nodiscard]] QString classNameOf(std::size_t index) const;
    void replace(std::vector<core::DefectRecord> defects, QStringList classNames, bool imported);
    void setMessage(QString error, QString status = {});

    ConsoleServices m_services;
    SessionViewModel &m_session;
    std::vector<core::DefectRecord> m_defects;
    QStringList m_importedClassNames; ///< per defect, when imported
    bool m_imported = false;
    int m_picked = -1; ///< into m_defects
    bool m_isBusy = false;
    QString m_errorText;
    QString m_statusText;
};

} // namespace waferscope::viewmodels
