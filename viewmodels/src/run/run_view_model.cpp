#include <waferscope/viewmodels/run/run_view_model.h>

#include <QPointer>
#include <QSettings>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include <waferscope/core/lot_id.h>
#include <waferscope/core/recipes/recipe_parser.h>
#include <waferscope/core/validation_error.h>

#include "qt_text.h"

namespace waferscope::viewmodels {

namespace {

constexpr int kMaxWafers = static_cast<int>(core::LotId::kCassetteSlots);
constexpr auto kInterlockInterval = std::chrono::milliseconds(500);
constexpr auto kProgressInterval = std::chrono::milliseconds(200);

QString clockText(double seconds)
{
    const auto total = static_cast<long long>(std::max(0.0, seconds));
    return QStringLiteral("%1:%2:%3")
        .arg(total / 3600)
        .arg((total / 60) % 60, 2, 10, QChar(u'0'))
        .arg(total % 60, 2, 10, QChar(u'0'));
}

std::string describe(const std::exception &e)
{
    std::string text = e.what();
    if (const auto *validation = dynamic_cast<const core::ValidationError *>(&e)) {
        for (const auto &issue : validation->issues()) {
            text += "\n" + issue.field + ": " + issue.problem;
        }
    }
    return text;
}

} // namespace

RunViewModel::RunViewModel(ConsoleServices services, SessionViewModel &session, QObject *parent)
    : QObject(parent)
    , m_services(services)
    , m_session(session)
{
    reload();
    connect(&m_services.engine, &pipelines::EngineFacade::runStateChanged, this, &RunViewModel::onStateChanged);
    connect(&m_session, &SessionViewModel::userChanged, this, &RunViewModel::commandsChanged);
    connect(&m_progressTimer, &QTimer::timeout, this, &RunViewModel::refreshProgress);
    // The start interlock follows the alarms, which change on the monitor's thread: looked at twice
    // a second, and Start changes only when it does.
    connect(&m_interlockTimer, &QTimer::timeout, this, &RunViewModel::refreshInterlock);
    m_interlockTimer.setInterval(kInterlockInterval);
    m_interlockTimer.start();
    refreshInterlock();
    m_progressTimer.setInterval(kProgressInterval);
    connect(&m_services.engine, &pipelines::EngineFacade::defectsArrived, this, &RunViewModel::onDefects);
    showRecipeWafer();
}

void RunViewModel::showRecipeWafer()
{
    // Between runs the map shows the selected recipe's wafer, empty; during a run, the run's.
    if (m_isRunning || m_isStarting) {
        return;
    }
    const RecipeEntry *entry = m_recipeIndex < 0 ? nullptr : &m_recipes[static_cast<std::size_t>(m_recipeIndex)];
    if (entry != nullptr && entry->recipe) {
        try {
            m_map.setWafer(QString(), core::DieGrid(entry->recipe->wafer));
            return;
        } catch (const std::exception &) {
            // A recipe whose wafer holds no die is refused by its validation; show the machine's.
        }
    }
    m_map.setWafer(QString(), m_services.engine.dieGrid());
}

void RunViewModel::reload()
{
    m_recipes.clear();
    std::error_code error;
    std::vector<std::filesystem::path> files;
    for (const auto &entry : std::filesystem::directory_iterator(m_services.recipeFolder, error)) {
        if (entry.path().extension() == ".json") {
            files.push_back(entry.path());
        }
    }
    std::sort(files.begin(), files.end());
    for (const auto &file : files) {
        RecipeEntry entry;
        entry.file = file;
        entry.name = QString::fromStdString(file.stem().string());
        std::ifstream in(file);
        std::stringstream text;
        text << in.rdbuf();
        entry.json = text.str();
        try {
            entry.recipe = core::RecipeParser::parse(entry.json, file.string());
            entry.name = QString::fromStdString(entry.recipe->name);
            // Checked against the machine now, so the picker says it before Start, not the camera after.
            for (const std::string &problem : m_services.engine.machineMismatches(*entry.recipe)) {
                entry.machineProblems.append(QString::fromStdString(problem));
            }
        } catch (const std::exception &e) {
            entry.error = QString::fromStdString(describe(e));
        }
        m_recipes.push_back(std::move(entry));
    }
    Q_EMIT recipesChanged();
    // The recipe used last, when this machine can run it; otherwise the first one it can run (the
    // settings are shared by every data folder and machine set-up), and only then the first listed.
    const QString remembered = QSettings().value(QStringLiteral("run/recipe")).toString();
    const auto isRunnable = [](const RecipeEntry &entry) {
        return entry.recipe.has_value() && entry.machineProblems.isEmpty();
    };
    int index = m_recipes.empty() ? -1 : 0;
    int firstRunnable = -1;
    int rememberedIndex = -1;
    for (std::size_t i = 0; i < m_recipes.size(); ++i) {
        if (firstRunnable < 0 && isRunnable(m_recipes[i])) {
            firstRunnable = static_cast<int>(i);
        }
        if (QString::fromStdString(m_recipes[i].file.filename().string()) == remembered) {
            rememberedIndex = static_cast<int>(i);
        }
    }
    if (rememberedIndex >= 0 && isRunnable(m_recipes[static_cast<std::size_t>(rememberedIndex)])) {
        index = rememberedIndex;
    } else if (firstRunnable >= 0) {
        index = firstRunnable;
    } else if (rememberedIndex >= 0) {
        index = rememberedIndex;
    }
    // Shown, not remembered: only a recipe someone picks replaces the one remembered.
    selectRecipe(index);
}

QStringList RunViewModel::recipeNames() const
{
    QStringList names;
    for (const auto &r : m_recipes) {
        // A recipe this machine is not set up for keeps its name; recipeError says why it cannot run.
        names.append(r.error.isEmpty() ? r.name : r.name + tr(" (invalid)"));
    }
    return names;
}

void RunViewModel::setRecipeIndex(int index)
{
    if (index < -1 || index >= static_cast<int>(m_recipes.size()) || index == m_recipeIndex) {
        return;
    }
    if (index >= 0) {
        QSettings().setValue(QStringLiteral("run/recipe"),
                             QString::fromStdString(m_recipes[static_cast<std::size_t>(index)].file.filename().string()));
    }
    selectRecipe(index);
}

void RunViewModel::selectRecipe(int index)
{
    m_recipeIndex = index;
    showRecipeWafer();
    Q_EMIT recipeChanged();
    Q_EMIT commandsChanged();
}

QString RunViewModel::recipeSummary() const
{
    if (m_recipeIndex < 0) {
        return tr("No recipe in %1").arg(QString::fromStdString(m_services.recipeFolder.string()));
    }
    const auto &entry = m_recipes[static_cast<std::size_t>(m_recipeIndex)];
    return entry.recipe ? QString::fromStdString(entry.recipe->summary()) : QString();
}

QString RunViewModel::recipeError() const
{
    if (m_recipeIndex < 0) {
        return {};
    }
    const RecipeEntry &entry = m_recipes[static_cast<std::size_t>(m_recipeIndex)];
    if (!entry.error.isEmpty()) {
        return entry.error;
    }
    if (!entry.machineProblems.isEmpty()) {
        return tr("The machine '%1' is not set up for this recipe:\n• %2\nStart the console with this recipe "
                  "(--recipe) to set the machine up for it.")
            .arg(QString::fromStdString(m_services.engine.machineName()),
                 entry.machineProblems.join(QStringLiteral("\n• ")));
    }
    return {};
}

QString RunViewModel::recipeErrorHeadline() const
{
    if (m_recipeIndex < 0) {
        return {};
    }
    const RecipeEntry &entry = m_recipes[static_cast<std::size_t>(m_recipeIndex)];
    if (!entry.error.isEmpty() || entry.machineProblems.isEmpty()) {
        return recipeError();
    }
    QStringList fields;
    for (const QString &problem : entry.machineProblems) {
        fields.append(problem.section(u':', 0, 0));
    }
    return tr("Not for this machine as it is set up: %1 differ (hover for the values). An engineer sets the "
              "machine up for a recipe (the console's --recipe).")
        .arg(fields.join(QStringLiteral(", ")));
}

void RunViewModel::refreshInterlock()
{
    const std::string interlock = m_services.engine.startInterlock();
    QString text = interlock.empty() ? QString() : tr("Start is blocked: %1").arg(QString::fromStdString(interlock));
    if (text != m_interlock) {
        m_interlock = std::move(text);
        Q_EMIT interlockChanged();
        Q_EMIT commandsChanged();
    }
}

int RunViewModel::maxWafers() noexcept
{
    return kMaxWafers;
}

QString RunViewModel::lotIdNotice() const
{
    const QString lot = m_lotId.trimmed();
    if (m_isRunning || m_runLot.empty() || lot.toStdString() != m_runLot) {
        return {};
    }
    return tr("Lot %1 was inspected by the last run: Start adds another run of the same lot").arg(lot);
}

QString RunViewModel::lotIdProblem() const
{
    const std::string problem = core::LotId::problemWith(m_lotId.trimmed().toStdString());
    return problem.empty() ? QString() : tr("Lot id %1").arg(QString::fromStdString(problem));
}

void RunViewModel::setLotId(const QString &lotId)
{
    if (m_lotId != lotId) { // kept as typed: lotIdProblem says what is wrong while it is typed
        m_lotId = lotId;
        Q_EMIT lotChanged();
        Q_EMIT commandsChanged();
    }
}

void RunViewModel::setWaferCount(int count)
{
    count = std::clamp(count, 1, kMaxWafers);
    if (m_waferCount != count) {
        m_waferCount = count;
        Q_EMIT lotChanged();
    }
}

QString RunViewModel::pendingText() const
{
    if (!m_isRunning) {
        return {};
    }
    if (m_isAbortPending) {
        // A paused run ends at once; a running one at the next die.
        return m_state == core::RunState::Paused ? tr("aborting…") : tr("aborting at the next die…");
    }
    if (m_isCommandPending) {
        return m_state == core::RunState::Paused ? tr("resuming…") : tr("pausing at the next die…");
    }
    return {};
}

QString RunViewModel::state() const
{
    return qText(core::toText(m_state));
}

bool RunViewModel::canStart() const
{
    return m_session.canRun() && !m_isRunning && !m_isStarting && m_recipeIndex >= 0 &&
           m_recipes[static_cast<std::size_t>(m_recipeIndex)].recipe.has_value() &&
           m_recipes[static_cast<std::size_t>(m_recipeIndex)].machineProblems.isEmpty() && lotIdProblem().isEmpty() &&
           m_interlock.isEmpty();
}

bool RunViewModel::canPause() const
{
    return m_session.canRun() && m_isRunning && !m_isCommandPending && m_state == core::RunState::Running;
}

bool RunViewModel::canResume() const
{
    return m_session.canRun() && m_isRunning && !m_isCommandPending && m_state == core::RunState::Paused;
}

bool RunViewModel::canAbort() const
{
    return m_session.canRun() && m_isRunning && !m_isAbortPending;
}

bool RunViewModel::refuseWithout(core::Permission permission)
{
    if (m_session.allows(permission)) {
        return false;
    }
    setErrorText(m_session.refusal(permission));
    return true;
}

QCoro::QmlTask RunViewModel::start()
{
    return startTask();
}

QCoro::Task<bool> RunViewModel::startTask()
{
    if (refuseWithout(core::Permission::RunInspection)) {
        co_return false;
    }
    if (!canStart()) {
        QString why = tr("Choose a valid recipe and a lot id first");
        if (m_isRunning || m_isStarting) {
            why = tr("A run is in progress");
        } else if (!recipeError().isEmpty()) {
            why = recipeError();
        } else if (!lotIdProblem().isEmpty()) {
            why = lotIdProblem();
        } else if (!m_interlock.isEmpty()) {
            why = m_interlock;
        }
        setErrorText(why);
        co_return false;
    }
    const auto &entry = m_recipes[static_cast<std::size_t>(m_recipeIndex)];
    pipelines::RunRequest request;
    request.recipe = *entry.recipe;
    request.recipeJson = entry.json;
    request.lotId = m_lotId.trimmed().toStdString();
    request.operatorName = m_session.userName().toStdString();
    try {
        request.wafers = core::LotId(request.lotId).waferIds(static_cast<std::size_t>(m_waferCount));
    } catch (const std::exception &e) {
        // The wafer ids are made from the lot id: one the ids cannot carry is refused here.
        setErrorText(tr("The lot id '%1' cannot name its wafers: %2")
                         .arg(m_lotId.trimmed(), QString::fromStdString(describe(e))));
        co_return false;
    }
    setErrorText({});
    m_isStarting = true;
    m_runWafers = request.wafers;
    m_runLot = request.lotId;
    m_shownWafer = 0;
    Q_EMIT stateChanged();
    Q_EMIT commandsChanged();
    const QPointer<RunViewModel> self(this);
    // Named before the co_await: GCC 12 mishandles temporaries built inside one.
    std::string detail = "lot " + request.lotId + ", " + std::to_string(request.wafers.size()) + " wafer(s), recipe " +
                         request.recipe.name;
    std::string action = "run.start";
    co_await m_session.audit(std::move(action), std::move(detail));
    if (!self) {
        co_return false;
    }
    // The run goes on in its own coroutine; this command ends once it has begun or failed to.
    runLot(std::move(request));
    co_return m_isRunning;
}

QCoro::Task<void> RunViewModel::runLot(pipelines::RunRequest request)
{
    const QPointer<RunViewModel> self(this);
    m_isRunning = true;
    // The previous run's figures and result do not stand beside the new run.
    m_stateReason.clear();
    m_lastResult.clear();
    m_diesDone = 0;
    m_diesTotal = 0;
    m_waferNumber = 0;
    m_waferTotal = 0;
    m_defectsFound = 0;
    m_elapsedSeconds = 0;
    m_fps = 0;
    Q_EMIT progressChanged();
    // isRunning and canAbort change here, before the engine reports its first state.
    Q_EMIT stateChanged();
    Q_EMIT commandsChanged();
    m_runGrid.emplace(request.recipe.wafer);
    m_map.setWafer(QString::fromStdString(std::string(request.wafers.front().text())), *m_runGrid);
    m_progressTimer.start();
    pipelines::RunReport report;
    QString failure;
    try {
        auto running = m_services.engine.runLot(std::move(request));
        report = co_await std::move(running);
    } catch (const std::exception &e) {
        failure = QString::fromStdString(describe(e));
    }
    if (!self) {
        co_return;
    }
    m_progressTimer.stop();
    m_isRunning = false;
    m_isStarting = false;
    m_isCommandPending = false;
    m_isAbortPending = false;
    if (!failure.isEmpty()) {
        m_state = core::RunState::Idle;
        setErrorText(tr("The run could not start: %1").arg(failure));
        m_lastResult.clear();
    } else {
        // The final figures come from the report: progress() no longer describes a finished run.
        m_diesDone = static_cast<int>(report.ledger.frameSlots());
        m_defectsFound = report.ledger.defectsDetected;
        m_elapsedSeconds = std::chrono::duration<double>(report.elapsed).count();
        m_fps = m_elapsedSeconds > 0 ? double(report.ledger.framesProcessed) / m_elapsedSeconds : 0.0;
        Q_EMIT progressChanged();
        m_state = report.state;
        m_stateReason = QString::fromStdString(report.reason);
        std::uint64_t defects = 0;
        for (const auto &w : report.wafers) {
            defects += w.defects;
        }
        m_lastResult = tr("%1 %2: %3 wafer(s), %4 defects, %5")
                           .arg(QString::fromStdString(report.runId.toString()), state())
                           .arg(report.wafers.size())
                           .arg(defects)
                           .arg(m_stateReason);
        Q_EMIT runEnded(state(), m_stateReason);
    }
    Q_EMIT stateChanged();
    Q_EMIT commandsChanged();
    Q_EMIT lotChanged(); // lotIdNotice
}

bool RunViewModel::pause()
{
    if (refuseWithout(core::Permission::RunInspection)) {
        return false;
    }
    if (!canPause()) {
        setErrorText(tr("Only a running scan can be paused"));
        return false;
    }
    setErrorText({});
    m_isCommandPending = true;
    Q_EMIT commandsChanged();
    m_session.audit("run.pause", runText()).then([] {});
    m_services.engine.pause("paused by " + m_session.userName().toStdString());
    return true;
}

bool RunViewModel::resume()
{
    if (refuseWithout(core::Permission::RunInspection)) {
        return false;
    }
    if (!canResume()) {
        setErrorText(tr("Only a paused run can be resumed"));
        return false;
    }
    setErrorText({});
    m_isCommandPending = true;
    Q_EMIT commandsChanged();
    m_session.audit("run.resume", runText()).then([] {});
    m_services.engine.resume();
    return true;
}

bool RunViewModel::abort()
{
    if (refuseWithout(core::Permission::RunInspection)) {
        return false;
    }
    if (!canAbort()) {
        setErrorText(tr("No run to abort"));
        return false;
    }
    setErrorText({});
    m_isAbortPending = true;
    Q_EMIT commandsChanged();
    m_session.audit("run.abort", runText()).then([] {});
    m_services.engine.abort("aborted by " + m_session.userName().toStdString());
    return true;
}

bool RunViewModel::abortBecauseTheConsoleCloses()
{
    // Anyone may close the window, logged in or not: the run ends with the reason, not silently.
    if (!m_isRunning) {
        return false;
    }
    m_isAbortPending = true;
    Q_EMIT commandsChanged();
    const QString who = m_session.isLoggedIn() ? m_session.userName() : tr("nobody logged in");
    m_session.audit("run.abort", runText() + ", console closed").then([] {});
    m_services.engine.abort("the console was closed during the run (" + who.toStdString() + ")");
    return true;
}

std::string RunViewModel::runText() const
{
    const auto p = m_services.engine.progress();
    return p.runId.toString() + ", lot " + m_runLot;
}

void RunViewModel::onStateChanged(quint64 /*runId*/, int state, const QString &reason)
{
    // A state reported by the engine answers the pending pause or resume.
    m_isCommandPending = false;
    m_state = static_cast<core::RunState>(state);
    m_stateReason = reason;
    if (m_state != core::RunState::Idle) {
        m_isStarting = false;
    }
    Q_EMIT stateChanged();
    Q_EMIT commandsChanged();
}

void RunViewModel::refreshProgress()
{
    const auto p = m_services.engine.progress();
    if (!p.isRunning) {
        return;
    }
    m_diesDone = static_cast<int>(p.ledger.frameSlots());
    m_diesTotal = static_cast<int>(p.diesPlanned);
    m_waferNumber = static_cast<int>(p.waferIndex) + 1;
    m_waferTotal = static_cast<int>(p.waferCount);
    m_defectsFound = p.ledger.defectsDetected;
    m_elapsedSeconds = std::chrono::duration<double>(p.elapsed).count();
    m_fps = m_elapsedSeconds > 0 ? double(p.ledger.framesProcessed) / m_elapsedSeconds : 0.0;
    if (p.waferIndex > m_shownWafer) {
        showWafer(p.waferIndex);
    }
    Q_EMIT progressChanged();
}

void RunViewModel::onDefects(std::span<const core::DefectRecord> defects)
{
    // Batches follow scan order: a defect of a later wafer of this run moves the map on.
    std::size_t begin = 0;
    std::string shown = m_map.waferId().toStdString();
    for (std::size_t i = 0; i < defects.size(); ++i) {
        if (defects[i].waferId.text() == shown) {
            continue;
        }
        const auto it = std::find(m_runWafers.begin(), m_runWafers.end(), defects[i].waferId);
        const auto index = static_cast<std::size_t>(it - m_runWafers.begin());
        if (it != m_runWafers.end() && index > m_shownWafer) {
            m_map.addDefects(defects.subspan(begin, i - begin));
            begin = i;
            showWafer(index);
            shown = m_map.waferId().toStdString();
        }
    }
    m_map.addDefects(defects.subspan(begin));
}

void RunViewModel::showWafer(std::size_t index)
{
    if (index >= m_runWafers.size()) {
        return;
    }
    m_shownWafer = index;
    m_map.setWafer(QString::fromStdString(std::string(m_runWafers[index].text())),
                   m_runGrid ? *m_runGrid : m_services.engine.dieGrid());
}

double RunViewModel::fraction() const noexcept
{
    return m_diesTotal > 0 ? std::clamp(double(m_diesDone) / double(m_diesTotal), 0.0, 1.0) : 0.0;
}

QString RunViewModel::elapsedText() const
{
    return clockText(m_elapsedSeconds);
}

QString RunViewModel::remainingText() const
{
    // An ended run has no time left, whether it scanned every die or not.
    if (!m_isRunning || m_diesDone <= 0 || m_diesTotal <= 0) {
        return QStringLiteral("–");
    }
    const double perDie = m_elapsedSeconds / m_diesDone;
    return clockText(perDie * (m_diesTotal - m_diesDone));
}

void RunViewModel::setErrorText(QString text)
{
    if (m_errorText != text) {
        m_errorText = std::move(text);
        Q_EMIT errorTextChanged();
    }
}

} // namespace waferscope::viewmodels
