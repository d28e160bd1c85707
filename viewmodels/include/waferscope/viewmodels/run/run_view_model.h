#pragma once

/// RunViewModel: the Run page — the recipe picker with a readable summary of the chosen recipe,
/// lot and wafer count, the Start / Pause / Resume / Abort commands, progress, and the live wafer
/// map of the wafer being scanned.
/// Recipes: every *.json in the recipe folder, parsed when the view model is made (reload());
/// a recipe that does not parse is listed with its error and cannot be started. The chosen recipe
/// is remembered (QSettings "run/recipe").
/// Commands: each checks the user's permission first (RunInspection), is audited with the run and
/// lot, and is refused with errorText while it cannot apply (canStart, canPause, canResume, canAbort
/// say when it can); a pause or resume stays pending, and refuses another, until the engine reports
/// the run's next state, and an abort until the run ends. A lot id that cannot name its wafers
/// (wafer ids are "<lot>-01" …) is refused at start with the reason. start() is a coroutine: it resolves once the run has begun (or was refused); the run
/// itself goes on in the engine, and its end sets lastResult.
/// Progress: refreshed five times a second from the engine's plain progress values.
/// Live map: the engine's defect batches go to `map`; the map follows the wafer being scanned.
/// Lifetime: coroutines hold a QPointer and stop without touching a destroyed view model.
/// Threads: the GUI thread. Allocates: per command and per progress tick.

#include <QObject>
#include <QStringList>
#include <QTimer>
#include <QtQml/qqmlregistration.h>

#include <QCoroQmlTask>
#include <QCoroTask>

#include <optional>
#include <vector>

#include <waferscope/core/recipes/recipe.h>
#include <waferscope/viewmodels/console/console_services.h>
#include <waferscope/viewmodels/run/wafer_map_model.h>
#include <waferscope/viewmodels/session/session_view_model.h>

namespace waferscope::viewmodels {

class RunViewModel : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The console owns the run view model")
    Q_PROPERTY(QStringList recipeNames READ recipeNames NOTIFY recipesChanged)
    Q_PROPERTY(int recipeIndex READ recipeIndex WRITE setRecipeIndex NOTIFY recipeChanged)
    Q_PROPERTY(QString recipeSummary READ recipeSummary NOTIFY recipeChanged)
    Q_PROPERTY(QString recipeError READ recipeError NOTIFY recipeChanged)
    /// recipeError in a few lines: for a recipe this machine is not set up for, the settings that
    /// differ by name (recipeError lists each with both values).
    Q_PROPERTY(QString recipeErrorHeadline READ recipeErrorHeadline NOTIFY recipeChanged)
    Q_PROPERTY(QString lotId READ lotId WRITE setLotId NOTIFY lotChanged)
    Q_PROPERTY(int waferCount READ waferCount WRITE setWaferCount NOTIFY lotChanged)
    Q_PROPERTY(QString lotIdProblem READ lotIdProblem NOTIFY lotChanged)
    /// Not an error: the lot id is the one the last run of this console inspected.
    Q_PROPERTY(QString lotIdNotice READ lotIdNotice NOTIFY lotChanged)
    Q_PROPERTY(QString lotIdPattern READ lotIdPattern CONSTANT)
    Q_PROPERTY(int maxWafers READ maxWafers CONSTANT)
    Q_PROPERTY(QString interlock READ interlock NOTIFY interlockChanged)
    Q_PROPERTY(QString state READ state NOTIFY stateChanged)
    Q_PROPERTY(QString stateReason READ stateReason NOTIFY stateChanged)
    Q_PROPERTY(bool isRunning READ isRunning NOTIFY stateChanged)
    Q_PROPERTY(bool isPaused READ isPaused NOTIFY stateChanged)
    Q_PROPERTY(bool isBusy READ isBusy NOTIFY stateChanged)
    Q_PROPERTY(bool canStart READ canStart NOTIFY commandsChanged)
    Q_PROPERTY(bool canPause READ canPause NOTIFY commandsChanged)
    Q_PROPERTY(bool canResume READ canResume NOTIFY commandsChanged)
    Q_PROPERTY(bool canAbort READ canAbort NOTIFY commandsChanged)
    /// A command sent and not yet answered ("pausing at the next die…"); empty when none waits.
    Q_PROPERTY(QString pendingText READ pendingText NOTIFY commandsChanged)
    Q_PROPERTY(QString errorText READ errorText NOTIFY errorTextChanged)
    Q_PROPERTY(int diesDone READ diesDone NOTIFY progressChanged)
    Q_PROPERTY(int diesTotal READ diesTotal NOTIFY progressChanged)
    Q_PROPERTY(int waferNumber READ waferNumber NOTIFY progressChanged)
    Q_PROPERTY(int waferTotal READ waferTotal NOTIFY progressChanged)
    Q_PROPERTY(double fraction READ fraction NOTIFY progressChanged)
    Q_PROPERTY(QString elapsedText READ elapsedText NOTIFY progressChanged)
    Q_PROPERTY(QString remainingText READ remainingText NOTIFY progressChanged)
    // A count, given to QML as a number (exact to 2^53): QML has no 64-bit integer type.
    Q_PROPERTY(double defectsFound READ defectsFound NOTIFY progressChanged)
    Q_PROPERTY(double framesPerSecond READ framesPerSecond NOTIFY progressChanged)
    Q_PROPERTY(QString lastResult READ lastResult NOTIFY stateChanged)
    Q_PROPERTY(waferscope::viewmodels::WaferMapModel *map READ map CONSTANT)

public:
    RunViewModel(ConsoleServices services, SessionViewModel &session, QObject *parent = nullptr);

    Q_INVOKABLE void reload();
    Q_INVOKABLE QCoro::QmlTask start();
    [[nodiscard]] QCoro::Task<bool> startTask();
    Q_INVOKABLE bool pause();
    Q_INVOKABLE bool resume();
    Q_INVOKABLE bool abort();
    /// The window is closing: aborts the run under way whoever is logged in, with that reason.
    /// Returns whether there was a run to abort; runEnded follows.
    Q_INVOKABLE bool abortBecauseTheConsoleCloses();

    [[nodiscard]] QStringList recipeNames() const;
    [[nodiscard]] int recipeIndex() const noexcept { return m_recipeIndex; }
    void setRecipeIndex(int index);
    [[nodiscard]] QString recipeSummary() const;
    [[nodiscard]] QString recipeError() const;
    [[nodiscard]] QString recipeErrorHeadline() const;
    [[nodiscard]] QString lotId() const { return m_lotId; }
    void setLotId(const QString &lotId);
    /// What is wrong with the lot id as typed (core::LotId's rule), or empty.
    [[nodiscard]] QString lotIdProblem() const;
    [[nodiscard]] QString lotIdNotice() const;
    /// The characters a lot id may hold, for the field's validator.
    [[nodiscard]] static QString lotIdPattern() { return QStringLiteral("[A-Za-z0-9][A-Za-z0-9._-]{0,27}"); }
    /// Why no run may start now (an unacknowledged critical alarm), or empty.
    [[nodiscard]] QString interlock() const { return m_interlock; }
    /// The most wafers a lot can have: one cassette.
    [[nodiscard]] static int maxWafers() noexcept;
    [[nodiscard]] int waferCount() const noexcept { return m_waferCount; }
    void setWaferCount(int count);
    [[nodiscard]] QString state() const;
    [[nodiscard]] QString stateReason() const { return m_stateReason; }
    [[nodiscard]] bool isRunning() const noexcept { return m_isRunning; }
    [[nodiscard]] bool isPaused() const noexcept { return m_state == core::RunState::Paused; }
    [[nodiscard]] bool isBusy() const noexcept { return m_isStarting; }
    [[nodiscard]] bool canStart() const;
    [[nodiscard]] bool canPause() const;
    [[nodiscard]] bool canResume() const;
    [[nodiscard]] bool canAbort() const;
    [[nodiscard]] QString pendingText() const;
    [[nodiscard]] QString errorText() const { return m_errorText; }
    [[nodiscard]] int diesDone() const noexcept { return m_diesDone; }
    [[nodiscard]] int diesTotal() const noexcept { return m_diesTotal; }
    [[nodiscard]] int waferNumber() const noexcept { return m_waferNumber; }
    [[nodiscard]] int waferTotal() const noexcept { return m_waferTotal; }
    [[nodiscard]] double fraction() const noexcept;
    [[nodiscard]] QString elapsedText() const;
    [[nodiscard]] QString remainingText() const;
    [[nodiscard]] qulonglong defectsFound() const noexcept { return m_defectsFound; }
    [[nodiscard]] double framesPerSecond() const noexcept { return m_fps; }
    [[nodiscard]] QString lastResult() const { return m_lastResult; }
    [[nodiscard]] WaferMapModel *map() noexcept { return &m_map; }

    /// The current wafer ids of a started run, in scan order.
    [[nodiscard]] const std::vector<core::WaferId> &runWafers() const noexcept { return m_runWafers; }

Q_SIGNALS:
    void recipesChanged();
    void recipeChanged();
    void lotChanged();
    void stateChanged();
    void commandsChanged();
    void interlockChanged();
    void errorTextChanged();
    void progressChanged();
    /// A run ended; `state` is its final state's name.
    void runEnded(const QString &state, const QString &reason);

private:
    struct RecipeEntry {
        QString name;
        std::filesystem::path file;
        std::optional<core::Recipe> recipe;
        std::string json;
        QString error;
        QStringList machineProblems; ///< why this machine cannot run it; empty when it can
    };

    QCoro::Task<void> runLot(pipelines::RunRequest request);
    void onStateChanged(quint64 runId, int state, const QString &reason);
    void refreshProgress();
    void onDefects(std::span<const core::DefectRecord> defects);
    void showWafer(std::size_t index);
    void setErrorText(QString text);
    [[nodiscard]] bool refuseWithout(core::Permission permission);
    /// The run and lot, for the audit.
    [[nodiscard]] std::string runText() const;

    ConsoleServices m_services;
    SessionViewModel &m_session;
    WaferMapModel m_map;
    QTimer m_progressTimer;
    /// Makes `index` the selected recipe and shows its wafer, without remembering it.
    void selectRecipe(int index);
    /// Shows the selected recipe's wafer on the map while no run is under way.
    void showRecipeWafer();
    void refreshInterlock();

    std::vector<RecipeEntry> m_recipes;
    std::optional<core::DieGrid> m_runGrid; ///< the wafer of the run under way or last run
    QTimer m_interlockTimer;
    QString m_interlock;
    int m_recipeIndex = -1;
    QString m_lotId = QStringLiteral("LOT-0001");
    int m_waferCount = 1;
    core::RunState m_state = core::RunState::Idle;
    QString m_stateReason;
    bool m_isRunning = false;
    bool m_isStarting = false;
    bool m_isCommandPending = false; // a pause or resume the engine has not answered yet
    bool m_isAbortPending = false;   // an abort; the run's end answers it
    std::string m_runLot;
    QString m_errorText;
    QString m_lastResult;
    std::vector<core::WaferId> m_runWafers;
    std::size_t m_shownWafer = 0;
    int m_diesDone = 0;
    int m_diesTotal = 0;
    int m_waferNumber = 0;
    int m_waferTotal = 0;
    qulonglong m_defectsFound = 0;
    double m_fps = 0.0;
    double m_elapsedSeconds = 0.0;
};

} // namespace waferscope::viewmodels
