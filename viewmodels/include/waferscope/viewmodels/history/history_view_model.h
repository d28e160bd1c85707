#pragma once

/// HistoryViewModel: past runs from the database — newest first, with lot, recipe, state, wafers
/// and defects, who started each (from the audit) and why it ended — narrowed by a search text
/// (matching the run, lot id, recipe, state or who started it, without regard to case), a run's wafer map (openRun(), then selectWafer()), and re-export of a wafer's
/// KLARF file from what the database holds.
/// Reads: the database is read on a worker thread through its own read-only connection (SQLite's
/// WAL lets it read while the persistence writer writes); the UI thread never waits on it.
/// Export: needs ExportResults (checked here); writes <data>/exports/<run>_<wafer>.klarf atomically
/// and is audited. The recipe stored with the run gives the wafer geometry, the class table and the
/// sampled dies (the first dieCount dies of its sampling plan, in scan order).
/// Review: the open wafer's defects are in `review` (DefectReviewModel); a reclassified defect
/// redraws the map.
/// Another tool's result: openKlarf() reads a KLARF file (1.1 or 1.2, from any tool) on a worker
/// thread and shows its wafer on the map, on the file's own die lattice, with its defects in the
/// review table under the file's class names, so an engineer can set it beside one of our runs. It
/// needs ReviewDefects; the file is only read, never written or stored, and its defects cannot be
/// reclassified. A file that cannot be read or drawn leaves what was shown and sets errorText with
/// the file, the line and the reason. `klarfTitle` names the open file ("" when a run is open).
/// Commands: coroutines; isBusy while one is pending; errors go to errorText.
/// Lifetime: coroutines hold a QPointer and stop without touching a destroyed view model.
/// Threads: the GUI thread; store reads on Qt's global thread pool. Allocates: per command.

#include <QObject>
#include <QVariantList>

#include <optional>
#include <QtQml/qqmlregistration.h>

#include <QCoroQmlTask>
#include <QCoroTask>

#include <waferscope/core/die_grid.h>
#include <waferscope/core/persistence/run_summary.h>
#include <waferscope/core/persistence/wafer_record.h>
#include <waferscope/viewmodels/console/console_services.h>
#include <waferscope/viewmodels/history/defect_review_model.h>
#include <waferscope/viewmodels/run/wafer_map_model.h>
#include <waferscope/viewmodels/session/session_view_model.h>

namespace waferscope::viewmodels {

class HistoryViewModel : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The console owns the history view model")
    Q_PROPERTY(QVariantList runs READ runs NOTIFY runsChanged)
    Q_PROPERTY(QString searchText READ searchText WRITE setSearchText NOTIFY runsChanged)
    Q_PROPERTY(QVariantList wafers READ wafers NOTIFY openRunChanged)
    Q_PROPERTY(QString openRunId READ openRunId NOTIFY openRunChanged)
    Q_PROPERTY(int waferIndex READ waferIndex NOTIFY openRunChanged)
    Q_PROPERTY(QString klarfTitle READ klarfTitle NOTIFY openRunChanged)
    Q_PROPERTY(waferscope::viewmodels::WaferMapModel *map READ map CONSTANT)
    Q_PROPERTY(waferscope::viewmodels::DefectReviewModel *review READ review CONSTANT)
    Q_PROPERTY(bool isBusy READ isBusy NOTIFY busyChanged)
    Q_PROPERTY(QString errorText READ errorText NOTIFY messageChanged)
    Q_PROPERTY(QString statusText READ statusText NOTIFY messageChanged)

public:
    HistoryViewModel(ConsoleServices services, SessionViewModel &session, QObject *parent = nullptr);

    Q_INVOKABLE QCoro::QmlTask refresh();
    Q_INVOKABLE QCoro::QmlTask openRun(const QString &runId);
    Q_INVOKABLE QCoro::QmlTask selectWafer(int index);
    Q_INVOKABLE QCoro::QmlTask exportKlarf(int waferIndex);
    /// `file`: a local path or a file: URL (what a file dialog gives).
    Q_INVOKABLE QCoro::QmlTask openKlarf(const QString &file);
    [[nodiscard]] QCoro::Task<bool> refreshTask();
    [[nodiscard]] QCoro::Task<bool> openRunTask(QString runId);
    [[nodiscard]] QCoro::Task<bool> selectWaferTask(int index);
    /// Resolves to the written file's path, or "" when refused or failed.
    [[nodiscard]] QCoro::Task<QString> exportKlarfTask(int waferIndex);
    [[nodiscard]] QCoro::Task<bool> openKlarfTask(QString file);

    [[nodiscard]] QVariantList runs() const { return m_runsList; }
    [[nodiscard]] QString searchText() const { return m_searchText; }
    void setSearchText(const QString &text);
    [[nodiscard]] QVariantList wafers() const { return m_wafersList; }
    [[nodiscard]] QString openRunId() const { return m_openRunId; }
    [[nodiscard]] int waferIndex() const noexcept { return m_waferIndex; }
    [[nodiscard]] QString klarfTitle() const { return m_klarfTitle; }
    [[nodiscard]] WaferMapModel *map() noexcept { return &m_map; }
    [[nodiscard]] DefectReviewModel *review() noexcept { return &m_review; }
    [[nodiscard]] bool isBusy() const noexcept { return m_isBusy; }
    [[nodiscard]] QString errorText() const { return m_errorText; }
    [[nodiscard]] QString statusText() const { return m_statusText; }

Q_SIGNALS:
    void runsChanged();
    void openRunChanged();
    void busyChanged();
    void messageChanged();

private:
    [[nodiscard]] bool begin();
    void listRuns();
    void end(QString error, QString status = {});

    ConsoleServices m_services;
    SessionViewModel &m_session;
    WaferMapModel m_map;
    DefectReviewModel m_review;
    std::optional<core::DieGrid> m_mapGrid; ///< the open wafer's grid
    QString m_mapWafer;
    std::vector<core::RunSummary> m_runs;
    QVariantList m_runsList;
    QString m_searchText;
    core::RunId m_openRun;
    QString m_openRunId;
    std::vector<core::WaferRecord> m_wafers;
    QVariantList m_wafersList;
    int m_waferIndex = -1;
    QString m_klarfTitle;
    bool m_isBusy = false;
    QString m_errorText;
    QString m_statusText;
};

} // namespace waferscope::viewmodels
