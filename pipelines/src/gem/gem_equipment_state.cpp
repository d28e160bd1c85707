// GemEquipment's equipment constants (S2F13, S2F15, S2F29), spooling (S2F43, S6F23) and the state
// file that keeps both across restarts. The class contract is in gem_equipment.h.

#include <waferscope/pipelines/gem/gem_equipment.h>

#include <QJsonArray>
#include <QMetaObject>

#include <spdlog/spdlog.h>

#include <waferscope/pipelines/gem/hsms_passive_server.h>

#include "gem_event_ids.h"

namespace waferscope::pipelines::gem {

namespace {

using detail::kCeidConstantChanged;
// S6F24 RSDA (E5).
constexpr std::uint8_t kRsdaOk = 0;
constexpr std::uint8_t kRsdaNoData = 2;
// S6F23 RSDC (E5).
constexpr std::uint64_t kRsdcTransmit = 0;
constexpr std::uint64_t kRsdcPurge = 1;

const QString kConstantsKey = QStringLiteral("equipmentConstants");
const QString kSpooledStreamsKey = QStringLiteral("spooledStreams");

/// The ids of an S2F13 / S2F29 body, L[n] {<ECID>}; nullopt when it is not that.
std::optional<std::vector<std::uint64_t>> ecidList(const SecsItem &body)
{
    if (!body.isList()) {
        return std::nullopt;
    }
    std::vector<std::uint64_t> ids;
    for (const SecsItem &item : body.items) {
        const auto id = item.asUnsigned();
        if (!id) {
            return std::nullopt;
        }
        ids.push_back(*id);
    }
    if (ids.empty()) {
        for (const EquipmentConstantInfo &info : EquipmentConstants::definitions()) {
            ids.push_back(info.id);
        }
    }
    return ids;
}

} // namespace

void GemEquipment::loadState()
{
    QJsonObject state;
    try {
        state = m_stateFile.load();
    } catch (const std::exception &e) {
        spdlog::error("gem: {}; the equipment constants start from their defaults", e.what());
    }
    for (const std::string &problem : m_constants.restore(state.value(kConstantsKey).toObject())) {
        spdlog::warn("gem: {}: {}", m_stateFile.file().string(), problem);
    }
    if (state.contains(kSpooledStreamsKey)) {
        m_spool.restoreStreams(state.value(kSpooledStreamsKey).toArray());
    }
    if (m_options.initialControl && *m_options.initialControl != m_constants.initialControl()) {
        m_constants.setInitialControl(*m_options.initialControl);
        try {
            saveState();
        } catch (const std::exception &e) {
            spdlog::error("gem: the initial control state {} holds for this start only: {}",
                          toText(*m_options.initialControl), e.what());
        }
    }
}

void GemEquipment::saveState() const
{
    QJsonObject state;
    state.insert(QStringLiteral("schemaVersion"), 1);
    state.insert(kConstantsKey, m_constants.toJson());
    state.insert(kSpooledStreamsKey, m_spool.streamsJson());
    m_stateFile.save(state);
}

void GemEquipment::applyConstants()
{
    m_server->setOptions(m_constants.hsmsOptions(m_options.hsms));
    m_spool.setEnabled(m_constants.value(ecid::kEnableSpooling) != 0);
    m_spool.setLimits(m_constants.value(ecid::kMaxSpoolCount), m_constants.value(ecid::kOverWriteSpool) != 0);
}

void GemEquipment::constantsChanged(const std::vector<EquipmentConstants::Change> &changes, const std::string &who)
{
    std::vector<std::pair<std::uint32_t, std::string>> reasons;
    for (const EquipmentConstants::Change &change : changes) {
        const EquipmentConstantInfo &info = *EquipmentConstants::find(change.ecid);
        std::string text = std::string(info.name) + " (ECID " + std::to_string(change.ecid) + ") " +
                           EquipmentConstants::valueText(info, change.from) + " → " +
                           EquipmentConstants::valueText(info, change.to);
        spdlog::info("gem: {} set {}", who, text);
        m_backend.audit("gem.constant", text);
        reasons.emplace_back(change.ecid, text + ", by " + who);
    }
    // After the S2F16 that caused them has gone out.
    QMetaObject::invokeMethod(
        this,
        [this, reasons = std::move(reasons)] {
            for (const auto &[id, reason] : reasons) {
                m_changedEcid = id;
                sendEvent(kCeidConstantChanged, reason);
            }
            m_changedEcid = 0;
        },
        Qt::QueuedConnection);
}

GemEquipment::Reply GemEquipment::requestConstants(const SecsItem &body)
{
    const auto ids = ecidList(body);
    if (!ids) {
        return std::nullopt;
    }
    SecsItem values = SecsItem::list();
    for (const std::uint64_t id : *ids) {
        values.items.push_back(m_constants.item(id));
    }
    return values;
}

GemEquipment::Reply GemEquipment::constantNames(const SecsItem &body)
{
    const auto ids = ecidList(body);
    if (!ids) {
        return std::nullopt;
    }
    SecsItem names = SecsItem::list();
    for (const std::uint64_t id : *ids) {
        names.items.push_back(EquipmentConstants::nameEntry(id));
    }
    return names;
}

GemEquipment::Reply GemEquipment::sendConstants(const SecsItem &body)
{
    if (!body.isList()) {
        return std::nullopt;
    }
    std::vector<std::pair<std::uint64_t, SecsItem>> values;
    for (const SecsItem &pair : body.items) {
        if (!pair.isList() || pair.items.size() != 2 || !pair.items[0].asUnsigned()) {
            return std::nullopt;
        }
        values.emplace_back(*pair.items[0].asUnsigned(), pair.items[1]);
    }
    EquipmentConstants next = m_constants;
    EquipmentConstants::Outcome outcome = next.set(values);
    if (outcome.eac != EquipmentConstants::kEacOk) {
        spdlog::warn("gem: S2F15 refused (EAC {}): {}", outcome.eac, outcome.reason);
        return SecsItem::binary(outcome.eac);
    }
    if (outcome.changes.empty()) {
        return SecsItem::binary(EquipmentConstants::kEacOk);
    }
    const EquipmentConstants previous = m_constants;
    m_constants = next;
    try {
        saveState();
    } catch (const std::exception &e) {
        m_constants = previous;
        spdlog::error("gem: S2F15 refused (EAC {}): the constants cannot be kept: {}", EquipmentConstants::kEacBusy,
                      e.what());
        return SecsItem::binary(EquipmentConstants::kEacBusy);
    }
    applyConstants();
    constantsChanged(outcome.changes, "the host");
    return SecsItem::binary(EquipmentConstants::kEacOk);
}

GemEquipment::Reply GemEquipment::resetSpooling(const SecsItem &body)
{
    std::optional<SecsItem> answer = m_spool.resetStreams(body);
    if (answer && answer->items.at(0).bytes.at(0) == 0) {
        try {
            saveState();
        } catch (const std::exception &e) {
            spdlog::error("gem: the spooled streams hold until the program ends: {}", e.what());
        }
    }
    return answer;
}

GemEquipment::Reply GemEquipment::requestSpooled(const SecsItem &body)
{
    const auto rsdc = body.asUnsigned();
    if (!rsdc || (*rsdc != kRsdcTransmit && *rsdc != kRsdcPurge)) {
        return std::nullopt;
    }
    if (m_spool.size() == 0) {
        return SecsItem::binary(kRsdaNoData);
    }
    if (*rsdc == kRsdcPurge) {
        spdlog::info("gem: the host purged {} spooled message(s)", m_spool.purge());
        return SecsItem::binary(kRsdaOk);
    }
    // After the S6F24 has gone out.
    QMetaObject::invokeMethod(this, [this] { transmitSpool(); }, Qt::QueuedConnection);
    return SecsItem::binary(kRsdaOk);
}

void GemEquipment::transmitSpool()
{
    std::deque<SpooledMessage> messages = m_spool.takeAll();
    spdlog::info("gem: sending {} spooled message(s) to the host", messages.size());
    while (!messages.empty()) {
        SpooledMessage &message = messages.front();
        if (!m_status.isCommunicating ||
            !sendPrimaryBytes(message.stream, message.function, message.body, {})) {
            spdlog::warn("gem: the link closed while the spool was sent; {} message(s) stay spooled", messages.size());
            m_spool.putBack(std::move(messages));
            return;
        }
        ++m_sentReports;
        messages.pop_front();
    }
}

} // namespace waferscope::pipelines::gem
