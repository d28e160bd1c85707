#include <waferscope/pipelines/gem/gem_service.h>

#include <QFuture>
#include <QMetaObject>
#include <QPointer>
#include <QPromise>

#include <QCoroFuture>

#include <spdlog/spdlog.h>

#include <atomic>
#include <cstdio>
#include <stdexcept>

#include <waferscope/pipelines/engine/inspection_engine.h>
#include <waferscope/pipelines/gem/gem_backend.h>
#include <waferscope/pipelines/gem/gem_equipment.h>

namespace waferscope::pipelines::gem {

/// Called on the GEM thread; hands each command to the GUI thread as a queued call.
class GemService::Backend : public GemBackend
{
public:
    Backend(GemService &service, InspectionEngine &engine)
        : m_service(service)
        , m_engine(engine)
    {
    }

    void startLot(GemLotStart lot) override
    {
        auto shared = std::make_shared<GemLotStart>(std::move(lot));
        QMetaObject::invokeMethod(
            &m_service, [service = &m_service, shared] { service->startLot(std::move(*shared)); },
            Qt::QueuedConnection);
    }
    void pause() override
    {
        onGui([](GemService &service) {
            service.audit("run.pause", "");
            service.m_engine.pause("paused by the host");
        });
    }
    void resume() override
    {
        onGui([](GemService &service) {
            service.audit("run.resume", "");
            service.m_engine.resume();
        });
    }
    void abort() override
    {
        onGui([](GemService &service) {
            service.audit("run.abort", "");
            service.m_engine.abort("aborted by the host");
        });
    }
    void stop() override
    {
        QMetaObject::invokeMethod(
            &m_service, [service = &m_service] { service->stopAfterWafer(); }, Qt::QueuedConnection);
    }
    [[nodiscard]] std::vector<core::AlarmStatus> alarms() const override { return m_engine.alarms(); }
    void audit(std::string action, std::string detail) override
    {
        onGui([action = std::move(action), detail = std::move(detail)](GemService &service) {
            service.audit(action, detail);
        });
    }

private:
    template<typename Call>
    void onGui(Call call)
    {
        QMetaObject::invokeMethod(
            &m_service, [service = &m_service, call] { call(*service); }, Qt::QueuedConnection);
    }

    GemService &m_service;
    InspectionEngine &m_engine;
};


GemService::GemService(InspectionEngine &engine, GemOptions options, QObject *parent)
    : QObject(parent)
    , m_engine(engine)
    , m_anchor(std::make_unique<QObject>())
{
    qRegisterMetaType<quint64>("quint64");
    m_thread.setObjectName(QStringLiteral("gem"));
    m_anchor->moveToThread(&m_thread);
    m_thread.start();
    m_backend = std::make_unique<Backend>(*this, engine);
    std::string error;
    QMetaObject::invokeMethod(
        m_anchor.get(),
        [this, &options, &error] {
            try {
                m_equipment = new GemEquipment(std::move(options), *m_backend);
                m_port = m_equipment->port();
                m_equipment->setStatusHandler([this](const GemStatus &status) {
                    {
                        const std::lock_guard lock(m_statusMutex);
                        m_status = status;
                    }
                    QMetaObject::invokeMethod(this, [this] { Q_EMIT statusChanged(); }, Qt::QueuedConnection);
                });
            } catch (const std::exception &e) {
                error = e.what();
            }
        },
        Qt::BlockingQueuedConnection);
    if (!error.empty()) {
        m_thread.quit();
        m_thread.wait();
        throw std::runtime_error(error);
    }
    connect(&m_engine, &InspectionEngine::runStateChanged, this, &GemService::runStateChanged);
}

GemService::~GemService()
{
    disconnect(&m_engine, nullptr, this, nullptr);
    QMetaObject::invokeMethod(
        m_anchor.get(),
        [this] {
            delete m_equipment;
            m_equipment = nullptr;
        },
        Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

template<typename Call>
void GemService::onEquipment(Call call)
{
    QMetaObject::invokeMethod(
        m_anchor.get(),
        [this, call = std::move(call)] {
            if (m_equipment != nullptr) {
                call(*m_equipment);
            }
        },
        Qt::QueuedConnection);
}

GemStatus GemService::status() const
{
    const std::lock_guard lock(m_statusMutex);
    return m_status;
}

void GemService::setControl(GemControlState state)
{
    onEquipment([state](GemEquipment &equipment) { equipment.setControl(state); });
}

namespace {

/// The outcome of one S10F1 for the task awaiting it: completed once, by the equipment's handler
/// or, when the equipment never calls it (the service stopped first), by the destructor.
class TerminalDelivery
{
public:
    TerminalDelivery() { m_promise.start(); }
    ~TerminalDelivery() { complete("the GEM service stopped before the message went out"); }
    TerminalDelivery(const TerminalDelivery &) = delete;
    TerminalDelivery &operator=(const TerminalDelivery &) = delete;

    [[nodiscard]] QFuture<std::string> future() { return m_promise.future(); }
    void complete(const std::string &failure)
    {
        if (!m_isDone.exchange(true)) {
            m_promise.addResult(failure);
            m_promise.finish();
        }
    }

private:
    QPromise<std::string> m_promise;
    std::atomic<bool> m_isDone{false}; // any thread: the GEM thread, or wherever the last owner ends
};

} // namespace

QCoro::Task<void> GemService::sendTerminalMessage(std::string text)
{
    auto delivery = std::make_shared<TerminalDelivery>();
    QFuture<std::string> outcome = delivery->future();
    onEquipment([text = std::move(text), delivery](GemEquipment &equipment) {
        equipment.sendTerminalMessage(text, [delivery](const std::string &failure) { delivery->complete(failure); });
    });
    delivery.reset();
    const std::string failure = co_await outcome;
    if (!failure.empty()) {
        throw std::runtime_error("terminal message to the host (S10F1) not delivered: " + failure);
    }
}

void GemService::runStateChanged(quint64 runId, int state, const QString &reason)
{
    const auto progress = m_engine.progress();
    GemRunSnapshot run;
    run.runId = runId;
    run.state = static_cast<core::RunState>(state);
    run.reason = reason.toStdString();
    run.lotId = m_lotId;
    run.ppid = m_ppid;
    if (progress.isRunning) {
        run.waferIndex = static_cast<std::uint32_t>(progress.waferIndex + 1);
        run.waferCount = static_cast<std::uint32_t>(progress.waferCount);
        run.defects = progress.ledger.defectsDetected;
    }
    if (m_isStopping && run.state == core::RunState::Checking && progress.waferIndex > m_stopWafer) {
        m_isStopping = false;
        m_engine.abort("stopped by the host after wafer " + std::to_string(m_stopWafer + 1));
    }
    if (core::isFinal(run.state)) {
        m_isStopping = false;
        m_lotId.clear();
        m_ppid.clear();
    }
    onEquipment([run](GemEquipment &equipment) { equipment.runChanged(run); });
}

void GemService::startLot(GemLotStart lot)
{
    if (m_engine.progress().isRunning) {
        onEquipment([](GemEquipment &equipment) { equipment.lotRefused("a run is already in progress"); });
        return;
    }
    RunRequest request;
    request.recipe = std::move(lot.recipe);
    request.recipeJson = std::move(lot.recipeJson);
    request.lotId = lot.lotId;
    request.operatorName = "host";
    for (int i = 1; i <= lot.wafers; ++i) {
        char id[48];
        std::snprintf(id, sizeof id, "%s-%02d", lot.lotId.c_str(), i);
        request.wafers.emplace_back(id);
    }
    audit("run.start", "lot " + lot.lotId + ", " + std::to_string(lot.wafers) + " wafer(s), recipe " + lot.ppid);
    m_lotId = lot.lotId;
    m_ppid = lot.ppid;
    m_isStopping = false;
    runHostLot(QPointer<GemService>(this), &m_engine, std::move(request)).then([] {});
}

void GemService::audit(std::string action, std::string detail)
{
    core::AuditEntry entry;
    entry.userName = "host";
    entry.role = "host";
    entry.at = std::chrono::system_clock::now();
    entry.action = std::move(action);
    entry.detail = std::move(detail);
    m_engine.audit(std::move(entry)).then([] {});
}

QCoro::Task<void> GemService::runHostLot(QPointer<GemService> self, InspectionEngine *engine, RunRequest request)
{
    RunReport report;
    try {
        report = co_await engine->runLot(request);
    } catch (const std::exception &e) {
        spdlog::warn("gem: lot {} could not start: {}", request.lotId, e.what());
        if (GemService *service = self.data(); service != nullptr) {
            service->refused(e.what());
        }
        co_return;
    }
    if (GemService *service = self.data(); service != nullptr) {
        Q_EMIT service->lotEnded(request, report);
    }
}

void GemService::refused(const std::string &reason)
{
    m_lotId.clear();
    m_ppid.clear();
    onEquipment([reason](GemEquipment &equipment) { equipment.lotRefused(reason); });
}

void GemService::stopAfterWafer()
{
    audit("run.stop", "after the wafer being scanned");
    const auto progress = m_engine.progress();
    if (!progress.isRunning) {
        return;
    }
    m_isStopping = true;
    m_stopWafer = progress.waferIndex;
}

} // namespace waferscope::pipelines::gem
