#include <waferscope/viewmodels/history/history_view_model.h>

#include <QDateTime>
#include <QPointer>
#include <QUrl>
#include <QtConcurrent/QtConcurrentRun>

#include <QCoroFuture>

#include <spdlog/spdlog.h>

#include <waferscope/core/die_grid.h>
#include <waferscope/core/persistence/inspection_store.h>
#include <waferscope/core/recipes/recipe_parser.h>
#include <waferscope/core/results/klarf_read_error.h>
#include <waferscope/core/results/klarf_reader.h>
#include <waferscope/core/results/klarf_wafer.h>
#include <waferscope/core/results/klarf_writer.h>

#include "qt_text.h"
#include "store_read.h"

namespace waferscope::viewmodels {

namespace {

constexpr std::size_t kRunLimit = 200;

QString timeText(std::chrono::system_clock::time_point at)
{
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count();
    return QDateTime::fromMSecsSinceEpoch(ms).toString(QStringLiteral("yyyy-MM-dd hh:mm:ss"));
}

struct OpenedRun {
    std::vector<core::WaferRecord> wafers;
};

struct ReadKlarf {
    std::optional<core::KlarfWafer> wafer;
    std::string error;
};

ReadKlarf readKlarf(const std::filesystem::path &file)
{
    try {
        return {core::toKlarfWafer(core::KlarfReader::read(file), file), {}};
    } catch (const std::exception &e) {
        return {std::nullopt, e.what()};
    }
}

/// "lot AB 12, wafer W#25, slot 25, from VENDOR MODEL 3 TOOL7": what the file says it is.
QString klarfIdentity(const core::KlarfWafer &wafer)
{
    QStringList parts;
    parts.append(QObject::tr("lot %1").arg(QString::fromStdString(wafer.lotId)));
    parts.append(QObject::tr("wafer %1").arg(QString::fromStdString(wafer.waferId)));
    if (wafer.slot) {
        parts.append(QObject::tr("slot %1").arg(*wafer.slot));
    }
    if (!wafer.station.empty()) {
        parts.append(QObject::tr("from %1").arg(QString::fromStdString(wafer.station)));
    }
    return parts.join(QStringLiteral(", "));
}

struct WaferDefects {
    std::optional<core::RunRecord> run;
    std::vector<core::DefectRecord> defects;
};

} // namespace

HistoryViewModel::HistoryViewModel(ConsoleServices services, SessionViewModel &session, QObject *parent)
    : QObject(parent)
    , m_services(services)
    , m_session(session)
    , m_review(services, session)
{
    connect(&m_review, &DefectReviewModel::defectsChanged, this, [this] {
        if (m_mapGrid) {
            m_map.setWafer(m_mapWafer, *m_mapGrid);
            m_map.addDefects(m_review.defects());
            m_map.markDefect(m_review.pickedId());
        }
    });
    // The picked defect is marked on the map.
    connect(&m_review, &DefectReviewModel::pickChanged, this, [this] { m_map.markDefect(m_review.pickedId()); });
}

bool HistoryViewModel::begin()
{
    if (m_isBusy) {
        m_errorText = tr("The history is still loading");
        Q_EMIT messageChanged();
        return false;
    }
    m_isBusy = true;
    Q_EMIT busyChanged();
    return true;
}

void HistoryViewModel::end(QString error, QString status)
{
    m_isBusy = false;
    m_errorText = std::move(error);
    m_statusText = std::move(status);
    Q_EMIT busyChanged();
    Q_EMIT messageChanged();
}

QCoro::QmlTask HistoryViewModel::refresh()
{
    return refreshTask();
}

QCoro::QmlTask HistoryViewModel::openRun(const QString &runId)
{
    return openRunTask(runId);
}

QCoro::QmlTask HistoryViewModel::selectWafer(int index)
{
    return selectWaferTask(index);
}

QCoro::QmlTask HistoryViewModel::exportKlarf(int waferIndex)
{
    return exportKlarfTask(waferIndex);
}

QCoro::QmlTask HistoryViewModel::openKlarf(const QString &file)
{
    return openKlarfTask(file);
}

QCoro::Task<bool> HistoryViewModel::openKlarfTask(QString file)
{
    if (!m_session.allows(core::Permission::ReviewDefects)) {
        m_errorText = m_session.refusal(core::Permission::ReviewDefects);
        Q_EMIT messageChanged();
        co_return false;
    }
    const QUrl url(file);
    const QString local = url.isLocalFile() ? url.toLocalFile() : file;
    if (local.trimmed().isEmpty()) {
        m_errorText = tr("Choose a KLARF file to open");
        Q_EMIT messageChanged();
        co_return false;
    }
    if (!begin()) {
        co_return false;
    }
    const std::filesystem::path path = local.toStdString();
    const QPointer<HistoryViewModel> self(this);
    auto pending = QtConcurrent::run([path] { return readKlarf(path); });
    ReadKlarf read = co_await pending;
    if (!self) {
        co_return false;
    }
    if (!read.wafer) {
        end(QString::fromStdString(read.error));
        co_return false;
    }
    core::KlarfWafer &wafer = *read.wafer;
    m_openRun = core::RunId();
    m_openRunId.clear();
    m_wafers.clear();
    m_wafersList.clear();
    m_waferIndex = -1;
    const QString name = QString::fromStdString(path.filename().string());
    m_klarfTitle = tr("KLARF %1: %2").arg(name, klarfIdentity(wafer));
    m_mapWafer = QString::fromStdString(std::string(wafer.recordWaferId.text()));
    m_mapGrid.emplace(wafer.grid);
    m_map.setWafer(m_mapWafer, *m_mapGrid);
    m_map.addDefects(wafer.defects);
    const std::size_t defectCount = wafer.defects.size();
    const std::size_t dieCount = wafer.grid.dieCount();
    QStringList classNames;
    for (const std::string &c : wafer.classNames) {
        classNames.append(QString::fromStdString(c));
    }
    m_review.setImported(std::move(wafer.defects), std::move(classNames));
    Q_EMIT openRunChanged();
    end({}, tr("%1: %2 defects on %3 dies; read only").arg(name).arg(defectCount).arg(dieCount));
    co_return true;
}

QCoro::Task<bool> HistoryViewModel::refreshTask()
{
    if (!begin()) {
        co_return false;
    }
    const QPointer<HistoryViewModel> self(this);
    // Futures and strings are named first: GCC 12 mishandles temporaries built inside an awaited call.
    auto pending = readStore<std::vector<core::RunSummary>>(
        m_services.engine.databaseFile(), [](const core::InspectionStore &store) { return store.runs(kRunLimit); });
    auto read = co_await pending;
    if (!self) {
        co_return false;
    }
    if (!read.value) {
        end(tr("The run history cannot be read: %1").arg(QString::fromStdString(read.error)));
        co_return false;
    }
    m_runs = std::move(*read.value);
    listRuns();
    end({}, tr("%1 run(s)").arg(m_runs.size()));
    co_return true;
}

void HistoryViewModel::setSearchText(const QString &text)
{
    if (text == m_searchText) {
        return;
    }
    m_searchText = text;
    listRuns();
}

void HistoryViewModel::listRuns()
{
    const QString wanted = m_searchText.trimmed();
    m_runsList.clear();
    for (const auto &summary : m_runs) {
        const auto &run = summary.run;
        const QString runName = QString::fromStdString(run.id.toString());
        const QString lotId = QString::fromStdString(run.lotId);
        const QString recipe = QString::fromStdString(run.recipeName);
        const QString state = qText(core::toText(run.state));
        const QString startedBy = QString::fromStdString(summary.startedBy);
        const QStringList searched{runName, lotId, recipe, state, startedBy};
        if (!wanted.isEmpty() && std::none_of(searched.begin(), searched.end(), [&wanted](const QString &field) {
                return field.contains(wanted, Qt::CaseInsensitive);
            })) {
            continue;
        }
        const QString started = timeText(run.startedAt);
        const QString reason = QString::fromStdString(run.endReason);
        const QString by = startedBy.isEmpty() ? tr("started %1").arg(started) : tr("started %1 by %2").arg(started, startedBy);
        m_runsList.append(QVariantMap{
            {QStringLiteral("runId"), QString::number(run.id.value())},
            {QStringLiteral("runName"), runName},
            {QStringLiteral("lotId"), lotId},
            {QStringLiteral("recipe"), recipe},
            {QStringLiteral("state"), state},
            {QStringLiteral("started"), started},
            {QStringLiteral("startedBy"), startedBy},
            {QStringLiteral("reason"), reason},
            {QStringLiteral("wafers"), static_cast<qlonglong>(summary.waferCount)},
            {QStringLiteral("defects"), static_cast<qlonglong>(summary.defectCount)},
            {QStringLiteral("title"), tr("%1  %2  —  %3").arg(runName, lotId, state)},
            {QStringLiteral("summary"), tr("%1 · %2 · %3 wafer(s) · %4 defects")
                                            .arg(by, recipe)
                                            .arg(summary.waferCount)
                                            .arg(summary.defectCount)},
            {QStringLiteral("endText"), reason.isEmpty() ? QString() : tr("Ended: %1").arg(reason)},
        });
    }
    Q_EMIT runsChanged();
}

QCoro::Task<bool> HistoryViewModel::openRunTask(QString runId)
{
    bool isNumber = false;
    const qulonglong value = runId.toULongLong(&isNumber);
    if (!isNumber || value == 0) {
        m_errorText = tr("'%1' is not a run id").arg(runId);
        Q_EMIT messageChanged();
        co_return false;
    }
    if (!begin()) {
        co_return false;
    }
    const core::RunId id(value);
    const QPointer<HistoryViewModel> self(this);
    auto pending = readStore<std::vector<core::WaferRecord>>(
        m_services.engine.databaseFile(), [id](const core::InspectionStore &store) { return store.wafers(id); });
    auto read = co_await pending;
    if (!self) {
        co_return false;
    }
    if (!read.value) {
        end(tr("Run %1 cannot be read: %2").arg(runId, QString::fromStdString(read.error)));
        co_return false;
    }
    m_openRun = id;
    m_openRunId = runId;
    m_klarfTitle.clear();
    m_wafers = std::move(*read.value);
    m_wafersList.clear();
    for (const auto &w : m_wafers) {
        m_wafersList.append(QVariantMap{
            {QStringLiteral("waferId"), QString::fromStdString(std::string(w.waferId.text()))},
            {QStringLiteral("state"), qText(core::toText(w.state))},
            {QStringLiteral("dies"), static_cast<qlonglong>(w.dieCount)},
            {QStringLiteral("defects"), static_cast<qlonglong>(w.defectCount)},
            {QStringLiteral("klarf"), QString::fromStdString(w.klarfPath)},
        });
    }
    m_waferIndex = -1;
    m_map.clear();
    m_mapGrid.reset();
    m_review.setDefects({});
    Q_EMIT openRunChanged();
    end({});
    if (!m_wafers.empty()) {
        const bool isSelected = co_await selectWaferTask(0);
        co_return isSelected;
    }
    co_return true;
}

QCoro::Task<bool> HistoryViewModel::selectWaferTask(int index)
{
    if (index < 0 || index >= static_cast<int>(m_wafers.size())) {
        m_errorText = tr("Run %1 has no wafer %2").arg(m_openRunId).arg(index + 1);
        Q_EMIT messageChanged();
        co_return false;
    }
    if (!begin()) {
        co_return false;
    }
    const core::RunId id = m_openRun;
    const core::WaferId waferId = m_wafers[static_cast<std::size_t>(index)].waferId;
    const QPointer<HistoryViewModel> self(this);
    auto pending = readStore<WaferDefects>(m_services.engine.databaseFile(),
                                                 [id, waferId](const core::InspectionStore &store) {
                                                     return WaferDefects{store.run(id), store.defects(id, waferId)};
                                                 });
    auto read = co_await pending;
    if (!self) {
        co_return false;
    }
    if (!read.value) {
        end(tr("Wafer %1 cannot be read: %2")
                .arg(QString::fromStdString(std::string(waferId.text())), QString::fromStdString(read.error)));
        co_return false;
    }
    // The map is drawn on the grid of the recipe the run used, when it was stored with the run.
    std::optional<core::DieGrid> grid;
    if (read.value->run && !read.value->run->recipeJson.empty()) {
        try {
            grid.emplace(core::RecipeParser::parse(read.value->run->recipeJson, "stored recipe").wafer);
        } catch (const std::exception &e) {
            spdlog::warn("the stored recipe of {} does not parse: {}", id.toString(), e.what());
        }
    }
    m_mapWafer = QString::fromStdString(std::string(waferId.text()));
    m_mapGrid.emplace(grid ? *grid : m_services.engine.dieGrid());
    m_map.setWafer(m_mapWafer, *m_mapGrid);
    m_map.addDefects(read.value->defects);
    const std::size_t defectCount = read.value->defects.size();
    m_review.setDefects(std::move(read.value->defects));
    m_waferIndex = index;
    Q_EMIT openRunChanged();
    end({}, tr("%1: %2 defects").arg(m_mapWafer).arg(defectCount));
    co_return true;
}

QCoro::Task<QString> HistoryViewModel::exportKlarfTask(int waferIndex)
{
    if (!m_session.allows(core::Permission::ExportResults)) {
        m_errorText = m_session.refusal(core::Permission::ExportResults);
        Q_EMIT messageChanged();
        co_return QString();
    }
    if (waferIndex < 0 || waferIndex >= static_cast<int>(m_wafers.size())) {
        m_errorText = tr("Open a run and choose a wafer to export");
        Q_EMIT messageChanged();
        co_return QString();
    }
    if (!begin()) {
        co_return QString();
    }
    const core::RunId id = m_openRun;
    const core::WaferRecord wafer = m_wafers[static_cast<std::size_t>(waferIndex)];
    const std::filesystem::path folder = m_services.engine.dataFolder() / "exports";
    const std::filesystem::path file =
        folder / (id.toString() + "_" + std::string(wafer.waferId.text()) + ".klarf");
    const std::string stationName = m_services.engine.machineName();
    std::optional<core::AlarmActor> asker = m_session.actor();
    const QPointer<HistoryViewModel> self(this);
    auto pending = readStore<std::string>(
        m_services.engine.databaseFile(), [id, wafer, folder, file, stationName](const core::InspectionStore &store) {
            const auto run = store.run(id);
            if (!run || run->recipeJson.empty()) {
                throw std::runtime_error(id.toString() + " has no stored recipe to export with");
            }
            const core::Recipe recipe = core::RecipeParser::parse(run->recipeJson, id.toString() + " recipe");
            core::WaferResult result;
            result.lotId = run->lotId;
            result.waferId = wafer.waferId;
            result.slot = wafer.slot;
            result.deviceId = recipe.deviceId;
            result.setupId = recipe.name;
            result.setupTime = run->startedAt;
            result.stepId = "INSPECT";
            result.station = {"Waferscope", stationName, "TOOL-01"};
            result.geometry = recipe.wafer;
            for (const auto &entry : recipe.defectClasses) {
                result.classes.push_back({entry.number, entry.name});
            }
            const core::DieGrid grid(recipe.wafer);
            const std::vector<core::DieIndex> plan =
                recipe.sampling.mode == core::Recipe::Sampling::Mode::Listed
                    ? recipe.sampling.dies
                    : std::vector<core::DieIndex>(grid.scanOrder().begin(), grid.scanOrder().end());
            const auto sampled = std::min<std::size_t>(plan.size(), static_cast<std::size_t>(std::max<std::int64_t>(0, wafer.dieCount)));
            result.sampledDies.assign(plan.begin(), plan.begin() + static_cast<std::ptrdiff_t>(sampled));
            for (const core::DefectRecord &d : store.defects(id, wafer.waferId)) {
                core::WaferResult::Defect defect;
                defect.id = static_cast<int>(result.defects.size()) + 1;
                defect.die = d.die;
                defect.xRelUm = d.xRelUm;
                defect.yRelUm = d.yRelUm;
                defect.xSizeUm = d.xSizeUm;
                defect.ySizeUm = d.ySizeUm;
                defect.areaUm2 = d.areaUm2;
                defect.classNumber = recipe.classNumberOf(d.defectClass).value_or(0);
                if (d.imagePath) {
                    defect.images.emplace_back(*d.imagePath);
                }
                result.defects.push_back(std::move(defect));
            }
            result.fileTime = std::chrono::system_clock::now();
            result.resultTime = wafer.endedAt.value_or(result.fileTime);
            std::filesystem::create_directories(folder);
            core::KlarfWriter::write(result, file);
            return file.string();
        });
    auto written = co_await pending;
    if (!self) {
        co_return QString();
    }
    if (!written.value) {
        end(tr("The KLARF file could not be exported: %1").arg(QString::fromStdString(written.error)));
        co_return QString();
    }
    const QString path = QString::fromStdString(*written.value);
    end({}, tr("Exported %1").arg(path));
    std::string detail = id.toString() + " " + std::string(wafer.waferId.text()) + " → " + *written.value;
    std::string action = "klarf.export";
    co_await m_session.auditAs(std::move(asker), std::move(action), std::move(detail));
    co_return path;
}

} // namespace waferscope::viewmodels
