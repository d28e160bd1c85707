#include <waferscope/pipelines/gem/gem_equipment.h>

#include <QDateTime>
#include <QHostAddress>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <limits>
#include <fstream>
#include <sstream>

#include <waferscope/core/recipes/recipe_parser.h>
#include <waferscope/core/wafer_id.h>
#include <waferscope/pipelines/gem/hsms_passive_server.h>
#include <waferscope/pipelines/gem/secs_codec.h>
#include <waferscope/pipelines/gem/secs_decode_error.h>

#include "gem_event_ids.h"

namespace waferscope::pipelines::gem {

namespace {

// Status variables (S1F3, S1F11) and the event-only data variable.
enum Svid : std::uint32_t {
    kClock = 1,
    kControlState = 2,
    kCommunicationState = 3,
    kProcessState = 4,
    kProcessStateName = 5,
    kRunId = 6,
    kLotId = 7,
    kPpExecName = 8,
    kWaferIndex = 9,
    kWaferCount = 10,
    kDefectsDetected = 11,
    kAlarmsSet = 12,
    kModelName = 13,
    kSoftwareRevision = 14,
    kSpoolCountActual = 15,
    kSpoolCountTotal = 16,
    kSpoolCountDropped = 17,
    kEventReason = 100,
    kChangedEcid = 101,
};

struct SvInfo {
    std::uint32_t id;
    const char *name;
    const char *units;
};

constexpr SvInfo kStatusVariables[] = {
    {kClock, "Clock", ""},
    {kControlState, "ControlState", ""},
    {kCommunicationState, "CommunicationState", ""},
    {kProcessState, "ProcessState", ""},
    {kProcessStateName, "ProcessStateName", ""},
    {kRunId, "RunId", ""},
    {kLotId, "LotId", ""},
    {kPpExecName, "PPExecName", ""},
    {kWaferIndex, "WaferIndex", ""},
    {kWaferCount, "WaferCount", ""},
    {kDefectsDetected, "DefectsDetected", "defects"},
    {kAlarmsSet, "AlarmsSet", ""},
    {kModelName, "MDLN", ""},
    {kSoftwareRevision, "SOFTREV", ""},
    {kSpoolCountActual, "SpoolCountActual", "messages"},
    {kSpoolCountTotal, "SpoolCountTotal", "messages"},
    {kSpoolCountDropped, "SpoolCountDropped", "messages"},
};

// Collection events and their reports.
constexpr std::uint32_t kRunReport = 1;
constexpr std::uint32_t kControlReport = 2;
constexpr std::uint32_t kConstantReport = 3;
constexpr std::uint32_t kRunVariables[] = {kClock,   kRunId,      kProcessState, kProcessStateName, kLotId,
                                           kPpExecName, kWaferIndex, kWaferCount,  kDefectsDetected,  kEventReason};
constexpr std::uint32_t kControlVariables[] = {kClock, kControlState, kEventReason};
constexpr std::uint32_t kConstantVariables[] = {kClock, kChangedEcid, kEventReason};
using detail::kCeidConstantChanged;
using detail::kCeidLotStartRefused;
/// Every collection event: control state 1–4, run state 11–16, lot start refused 20, equipment
/// constant changed 30.
constexpr std::uint32_t kCollectionEvents[] = {1, 2, 3, 4, 11, 12, 13, 14, 15, 16, kCeidLotStartRefused,
                                               kCeidConstantChanged};

/// The report an event has until the host links its own (S2F35).
std::uint32_t defaultReport(std::uint32_t ceid)
{
    if (ceid == kCeidConstantChanged) {
        return kConstantReport;
    }
    return ceid < 10 ? kControlReport : kRunReport;
}
// Limits of the dynamic reports a host may define (S2F33): beyond them DRACK 1.
constexpr std::size_t kMaxReports = 100;
constexpr std::size_t kMaxVariablesPerReport = 50;
// Acknowledges of S2F34 (DRACK), S2F36 (LRACK), S2F38 (ERACK), E5.
constexpr std::uint8_t kDrackNoSpace = 1;
constexpr std::uint8_t kDrackRptidDefined = 3;
constexpr std::uint8_t kDrackNoSuchVid = 4;
constexpr std::uint8_t kLrackNoSpace = 1;
constexpr std::uint8_t kLrackCeidLinked = 3;
constexpr std::uint8_t kLrackNoSuchCeid = 4;
constexpr std::uint8_t kLrackNoSuchRptid = 5;
constexpr std::uint8_t kErackNoSuchCeid = 1;

bool isCollectionEvent(std::uint64_t ceid)
{
    return std::find(std::begin(kCollectionEvents), std::end(kCollectionEvents), ceid) != std::end(kCollectionEvents);
}

/// A variable a report may name: a status variable, a data variable (the event's reason, the
/// ECID changed) or an equipment constant.
bool isVariable(std::uint64_t vid)
{
    if (vid == kEventReason || vid == kChangedEcid || EquipmentConstants::find(vid) != nullptr) {
        return true;
    }
    return std::any_of(std::begin(kStatusVariables), std::end(kStatusVariables),
                       [vid](const SvInfo &sv) { return sv.id == vid; });
}

std::optional<std::vector<std::uint64_t>> idList(const SecsItem &body);

/// The entries of an S2F33 / S2F35 body — L[2] {<DATAID> L[n] {L[2] {<ID> L[m] {<ID>…}}}} — as
/// (id, ids) pairs; nullopt when the body does not have that structure.
std::optional<std::vector<std::pair<std::uint32_t, std::vector<std::uint32_t>>>> idTable(const SecsItem &body)
{
    if (!body.isList() || body.items.size() != 2 || !body.items[0].asUnsigned() || !body.items[1].isList()) {
        return std::nullopt;
    }
    std::vector<std::pair<std::uint32_t, std::vector<std::uint32_t>>> table;
    for (const SecsItem &entry : body.items[1].items) {
        if (!entry.isList() || entry.items.size() != 2 || !entry.items[0].asUnsigned()) {
            return std::nullopt;
        }
        const auto ids = idList(entry.items[1]);
        if (!ids) {
            return std::nullopt;
        }
        std::vector<std::uint32_t> narrow;
        for (const std::uint64_t id : *ids) {
            if (id > std::numeric_limits<std::uint32_t>::max()) {
                return std::nullopt;
            }
            narrow.push_back(static_cast<std::uint32_t>(id));
        }
        const std::uint64_t id = *entry.items[0].asUnsigned();
        if (id > std::numeric_limits<std::uint32_t>::max()) {
            return std::nullopt;
        }
        table.emplace_back(static_cast<std::uint32_t>(id), std::move(narrow));
    }
    return table;
}

std::uint32_t controlEvent(GemControlState state)
{
    switch (state) {
    case GemControlState::EquipmentOffline: return 1;
    case GemControlState::HostOffline: return 2;
    case GemControlState::OnlineLocal: return 3;
    case GemControlState::OnlineRemote: return 4;
    case GemControlState::AttemptOnline: break;
    }
    return 0;
}

std::uint32_t runEvent(core::RunState state)
{
    return state == core::RunState::Idle ? 0 : 10 + static_cast<std::uint32_t>(state);
}

// Remote command acknowledges (HCACK) and parameter acknowledges (CPACK), E5 S2F42.
constexpr std::uint8_t kHcackOk = 0;
constexpr std::uint8_t kHcackInvalidCommand = 1;
constexpr std::uint8_t kHcackCannotNow = 2;
constexpr std::uint8_t kHcackParameterError = 3;
constexpr std::uint8_t kHcackWillSignal = 4;
constexpr std::uint8_t kHcackAlreadyDone = 5;
constexpr std::uint8_t kCpackNoSuchName = 1;
constexpr std::uint8_t kCpackIllegalValue = 2;
constexpr std::uint8_t kCpackIllegalFormat = 3;

std::string clockText()
{
    const QDateTime now = QDateTime::currentDateTime();
    return (now.toString(QStringLiteral("yyyyMMddhhmmss")) +
            QString::number(now.time().msec() / 10).rightJustified(2, QLatin1Char('0')))
        .toStdString();
}

/// ALCD's category (bits 1–7): by the alarm's priority.
std::uint8_t alarmCategory(core::AlarmPriority priority)
{
    switch (priority) {
    case core::AlarmPriority::Critical: return 5; // irrecoverable error
    case core::AlarmPriority::High: return 4;     // parameter control error
    case core::AlarmPriority::Medium: return 6;   // equipment status warning
    case core::AlarmPriority::Low: return 7;      // attention flag
    }
    return 7;
}

bool isAlarmSet(const core::AlarmStatus &status)
{
    return core::isActive(status.trackedState) || status.trackedState == core::AlarmState::Latched;
}

/// The ids a request lists (S1F3, S1F11, S5F5): a list of integers; nullopt when it is not one.
std::optional<std::vector<std::uint64_t>> idList(const SecsItem &body)
{
    std::vector<std::uint64_t> ids;
    if (body.isList()) {
        for (const SecsItem &item : body.items) {
            const auto id = item.asUnsigned();
            if (!id) {
                return std::nullopt;
            }
            ids.push_back(*id);
        }
        return ids;
    }
    // S5F5/S5F7 may carry the ALIDs as one integer array (zero-length: all).
    if (isUnsigned(body.format)) {
        return body.uints;
    }
    return std::nullopt;
}

} // namespace

struct GemEquipment::Transaction {
    HsmsMessage primary;
    QTimer t3;
    ReplyHandler onReply; ///< may be empty
};

std::string_view toText(GemControlState state) noexcept
{
    switch (state) {
    case GemControlState::EquipmentOffline: return "equipment-offline";
    case GemControlState::AttemptOnline: return "attempt-online";
    case GemControlState::HostOffline: return "host-offline";
    case GemControlState::OnlineLocal: return "local";
    case GemControlState::OnlineRemote: return "remote";
    }
    return "?";
}

std::optional<GemControlState> parseGemControlState(std::string_view text) noexcept
{
    for (const auto state : {GemControlState::EquipmentOffline, GemControlState::HostOffline,
                             GemControlState::OnlineLocal, GemControlState::OnlineRemote}) {
        if (toText(state) == text) {
            return state;
        }
    }
    return std::nullopt;
}

GemEquipment::GemEquipment(GemOptions options, GemBackend &backend, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_backend(backend)
    , m_stateFile(m_options.stateFile)
    , m_programs(m_options.recipeFolder)
{
    loadState();
    m_server = std::make_unique<HsmsPassiveServer>(m_constants.hsmsOptions(m_options.hsms));
    applyConstants();
    m_status.control = m_constants.initialControl();
    m_onlineMode = m_constants.onlineSubstate();
    // The reports until a host defines its own (S2F33): the run report on run events, the
    // control report on control events, the constant report on constant changes; every event
    // enabled.
    m_reports[kRunReport].assign(std::begin(kRunVariables), std::end(kRunVariables));
    m_reports[kControlReport].assign(std::begin(kControlVariables), std::end(kControlVariables));
    m_reports[kConstantReport].assign(std::begin(kConstantVariables), std::end(kConstantVariables));
    for (const std::uint32_t ceid : kCollectionEvents) {
        m_eventLinks[ceid] = {defaultReport(ceid)};
        m_eventEnabled[ceid] = true;
    }
    m_status.address = m_options.address;
    m_server->setMessageHandler([this](const HsmsMessage &m) { onMessage(m); });
    m_server->setStateHandler([this](HsmsLinkState state, const QString &peer) {
        m_status.link = state;
        m_status.host = peer.toStdString();
        if (state != HsmsLinkState::Selected) {
            m_status.isCommunicating = false;
            failOpenTransactions("the link closed before the host answered");
        }
        publishStatus();
    });
    QHostAddress address;
    if (!address.setAddress(QString::fromStdString(m_options.address))) {
        throw std::runtime_error("--gem-address: '" + m_options.address + "' is not an IP address");
    }
    m_server->listen(address, m_options.port);
    m_status.port = m_server->port();
    m_status.link = m_server->state();
    connect(&m_alarmPoll, &QTimer::timeout, this, &GemEquipment::pollAlarms);
    m_alarmPoll.start(m_options.alarmPoll);
    pollAlarms();
}

GemEquipment::~GemEquipment()
{
    m_onStatus = nullptr;
    failOpenTransactions("the GEM equipment stopped before the host answered");
    m_server.reset();
}

void GemEquipment::setStatusHandler(StatusHandler handler)
{
    m_onStatus = std::move(handler);
    publishStatus();
}

GemStatus GemEquipment::status() const
{
    return m_status;
}

quint16 GemEquipment::port() const
{
    return m_server->port();
}

void GemEquipment::publishStatus()
{
    if (m_onStatus) {
        m_onStatus(m_status);
    }
}

void GemEquipment::setControl(GemControlState state)
{
    if (state == GemControlState::AttemptOnline || state == m_status.control) {
        return;
    }
    const bool wasOnline = isOnline(m_status.control);
    if (isOnline(state)) {
        m_onlineMode = state;
    }
    m_status.control = state;
    spdlog::info("gem: control state {}", toText(state));
    publishStatus();
    // An event goes out while on-line, and for the step that leaves on-line.
    if (isOnline(state) || wasOnline) {
        sendEventAlways(controlEvent(state), "changed by the operator");
    }
}

void GemEquipment::runChanged(const GemRunSnapshot &run)
{
    m_run = run;
    if (run.state != core::RunState::Idle) {
        m_isStartPending = false;
    }
    sendEvent(runEvent(run.state), run.reason);
}

void GemEquipment::lotRefused(const std::string &reason)
{
    m_isStartPending = false;
    sendEvent(kCeidLotStartRefused, reason);
}

// --- receiving -------------------------------------------------------------------------------------

void GemEquipment::onMessage(const HsmsMessage &message)
{
    if (message.sessionId != m_options.hsms.deviceId) {
        sendError(1, message);
        return;
    }
    if (message.isBodyDropped) {
        sendError(11, message);
        return;
    }
    if (message.function() % 2 == 0) {
        onReply(message);
        return;
    }
    std::optional<SecsItem> body;
    if (!message.body.empty()) {
        try {
            body = SecsCodec::decode(message.body);
        } catch (const SecsDecodeError &e) {
            spdlog::warn("gem: S{}F{}: {}", message.stream(), message.function(), e.what());
            sendError(7, message);
            return;
        }
    }
    const Reply answer = dispatch(message, body);
    if (!answer.has_value()) {
        return; // dispatch sent what was due (an error, an abort) itself
    }
    reply(message, message.function() + 1, answer);
}

void GemEquipment::onReply(const HsmsMessage &message)
{
    const auto open = m_open.find(message.systemBytes);
    if (open == m_open.end()) {
        spdlog::warn("gem: S{}F{} answers no open transaction (system bytes {:#x})", message.stream(),
                     message.function(), message.systemBytes);
        return;
    }
    const std::unique_ptr<Transaction> transaction = std::move(open->second);
    m_open.erase(open);
    if (message.function() == 0) {
        spdlog::warn("gem: the host aborted S{}F{}", message.stream(), transaction->primary.function());
        if (transaction->onReply) {
            transaction->onReply(std::nullopt, "the host aborted it (S" + std::to_string(message.stream()) + "F0)");
        }
        return;
    }
    if (!transaction->onReply) {
        return;
    }
    try {
        const std::optional<SecsItem> body =
            message.body.empty() ? std::nullopt : std::optional<SecsItem>(SecsCodec::decode(message.body));
        transaction->onReply(body, {});
    } catch (const SecsDecodeError &e) {
        transaction->onReply(std::nullopt, std::string("the host's reply does not decode: ") + e.what());
    }
}

void GemEquipment::failOpenTransactions(const std::string &reason)
{
    std::map<std::uint32_t, std::unique_ptr<Transaction>> open = std::move(m_open);
    m_open.clear();
    for (auto &[systemBytes, transaction] : open) {
        if (transaction->onReply) {
            transaction->onReply(std::nullopt, reason);
        }
    }
}

void GemEquipment::reply(const HsmsMessage &primary, int function, const std::optional<SecsItem> &body)
{
    if (!primary.wantsReply()) {
        return;
    }
    std::vector<std::uint8_t> bytes;
    if (body) {
        bytes = SecsCodec::encode(*body);
    }
    m_server->send(HsmsMessage::data(m_options.hsms.deviceId, primary.stream(), function, false, primary.systemBytes,
                                     std::move(bytes)));
}

void GemEquipment::sendError(int function, const HsmsMessage &about)
{
    spdlog::warn("gem: S9F{} for S{}F{} (system bytes {:#x})", function, about.stream(), about.function(),
                 about.systemBytes);
    const auto header = about.headerBytes();
    m_server->send(HsmsMessage::data(m_options.hsms.deviceId, 9, function, false, m_nextSystemBytes++,
                                     SecsCodec::encode(SecsItem::binary(header))));
}

bool GemEquipment::sendPrimary(int stream, int function, const SecsItem &body, ReplyHandler onReply)
{
    return sendPrimaryBytes(stream, function, SecsCodec::encode(body), std::move(onReply));
}

bool GemEquipment::sendPrimaryBytes(int stream, int function, std::vector<std::uint8_t> body, ReplyHandler onReply)
{
    const std::uint32_t systemBytes = m_nextSystemBytes++;
    HsmsMessage message =
        HsmsMessage::data(m_options.hsms.deviceId, stream, function, true, systemBytes, std::move(body));
    if (!m_server->send(message)) {
        return false;
    }
    message.body.clear();
    auto transaction = std::make_unique<Transaction>();
    transaction->primary = message;
    transaction->onReply = std::move(onReply);
    transaction->t3.setSingleShot(true);
    connect(&transaction->t3, &QTimer::timeout, this, [this, systemBytes] {
        const auto open = m_open.find(systemBytes);
        if (open == m_open.end()) {
            return;
        }
        ++m_replyTimeouts;
        const std::unique_ptr<Transaction> expired = std::move(open->second);
        m_open.erase(open);
        sendError(9, expired->primary);
        if (expired->onReply) {
            expired->onReply(std::nullopt, "no reply within T3 (" +
                                               std::to_string(m_constants.value(ecid::kT3)) + " s)");
        }
    });
    transaction->t3.start(m_constants.hsmsOptions(m_options.hsms).t3);
    m_open[systemBytes] = std::move(transaction);
    return true;
}

GemEquipment::Reply GemEquipment::dispatch(const HsmsMessage &message, const std::optional<SecsItem> &body)
{
    const int s = message.stream();
    const int f = message.function();
    static const std::map<int, std::vector<int>> kAccepted = {
        {1, {1, 3, 11, 13, 15, 17}}, {2, {13, 15, 17, 29, 33, 35, 37, 41, 43}}, {5, {3, 5, 7}},
        {6, {15, 19, 23}},          {7, {1, 3, 5, 17, 19}},                   {10, {3}}};
    const auto stream = kAccepted.find(s);
    if (stream == kAccepted.end()) {
        sendError(3, message);
        return std::nullopt;
    }
    if (std::find(stream->second.begin(), stream->second.end(), f) == stream->second.end()) {
        sendError(5, message);
        return std::nullopt;
    }
    const bool isOpening = s == 1 && f == 13;
    if (!m_status.isCommunicating && !isOpening) {
        reply(message, 0, std::nullopt);
        return std::nullopt;
    }
    if (!isOnline(m_status.control) && !isOpening && !(s == 1 && f == 17)) {
        reply(message, 0, std::nullopt);
        return std::nullopt;
    }
    const SecsItem empty = SecsItem::list();
    const SecsItem &b = body ? *body : empty;
    Reply answer;
    auto malformed = [&] {
        sendError(7, message);
        return Reply{};
    };
    switch (s * 100 + f) {
    case 101:
        return SecsItem::list({SecsItem::ascii(m_options.modelName), SecsItem::ascii(m_options.softwareRevision)});
    case 103:
        answer = statusValues(b);
        break;
    case 111:
        answer = statusNames(b);
        break;
    case 113:
        return establishCommunications();
    case 115:
        return requestOffline();
    case 117:
        return requestOnline();
    case 217:
        return SecsItem::ascii(clockText());
    case 241:
        answer = remoteCommand(b);
        break;
    case 503:
        answer = enableAlarms(b);
        break;
    case 505:
        answer = listAlarms(b, false);
        break;
    case 507:
        answer = listAlarms(b, true);
        break;
    case 719:
        return processPrograms();
    case 701:
        answer = processProgramInquire(b);
        break;
    case 703:
        answer = processProgramSend(b);
        break;
    case 705:
        answer = processProgram(b);
        break;
    case 717:
        answer = deleteProcessPrograms(b);
        break;
    case 213:
        answer = requestConstants(b);
        break;
    case 215:
        answer = sendConstants(b);
        break;
    case 229:
        answer = constantNames(b);
        break;
    case 243:
        answer = resetSpooling(b);
        break;
    case 623:
        answer = requestSpooled(b);
        break;
    case 1003:
        answer = terminalMessage(b);
        break;
    case 233:
        answer = defineReports(b);
        break;
    case 235:
        answer = linkEventReports(b);
        break;
    case 237:
        answer = enableEvents(b);
        break;
    case 615:
        answer = eventReport(b);
        break;
    case 619:
        answer = individualReport(b);
        break;
    default:
        break;
    }
    if (!answer) {
        return malformed();
    }
    return answer;
}

// --- stream 1 ------------------------------------------------------------------------------------

GemEquipment::Reply GemEquipment::establishCommunications()
{
    if (!m_status.isCommunicating) {
        m_status.isCommunicating = true;
        spdlog::info("gem: communications established with {}", m_status.host);
        publishStatus();
    }
    return SecsItem::list({SecsItem::binary(0), SecsItem::list({SecsItem::ascii(m_options.modelName),
                                                                 SecsItem::ascii(m_options.softwareRevision)})});
}

SecsItem GemEquipment::statusValue(std::uint64_t svid) const
{
    switch (svid) {
    case kClock: return SecsItem::ascii(clockText());
    case kControlState: return SecsItem::u1(static_cast<std::uint8_t>(m_status.control));
    case kCommunicationState: return SecsItem::u1(m_status.isCommunicating ? 2 : 1);
    case kProcessState: return SecsItem::u1(static_cast<std::uint8_t>(m_run.state));
    case kProcessStateName: return SecsItem::ascii(core::toText(m_run.state));
    case kRunId: return SecsItem::u8(m_run.runId);
    case kLotId: return SecsItem::ascii(m_run.lotId);
    case kPpExecName: return SecsItem::ascii(m_run.ppid);
    case kWaferIndex: return SecsItem::u4(m_run.waferIndex);
    case kWaferCount: return SecsItem::u4(m_run.waferCount);
    case kDefectsDetected: return SecsItem::u8(m_run.defects);
    case kAlarmsSet: {
        std::vector<std::uint64_t> set;
        for (const auto &[alid, isSet] : m_alarmSet) {
            if (isSet) {
                set.push_back(alid);
            }
        }
        return SecsItem::unsignedInts(SecsFormat::U4, std::move(set));
    }
    case kModelName: return SecsItem::ascii(m_options.modelName);
    case kSoftwareRevision: return SecsItem::ascii(m_options.softwareRevision);
    case kSpoolCountActual: return SecsItem::u4(m_spool.size());
    case kSpoolCountTotal: return SecsItem::u4(m_spool.total());
    case kSpoolCountDropped: return SecsItem::u4(m_spool.dropped());
    default: return SecsItem::list(); // unknown SVID: a zero-length item
    }
}

GemEquipment::Reply GemEquipment::statusValues(const SecsItem &body)
{
    const auto ids = idList(body);
    if (!ids || !body.isList()) {
        return std::nullopt;
    }
    SecsItem values = SecsItem::list();
    if (ids->empty()) {
        for (const SvInfo &sv : kStatusVariables) {
            values.items.push_back(statusValue(sv.id));
        }
    }
    for (const std::uint64_t id : *ids) {
        values.items.push_back(statusValue(id));
    }
    return values;
}

GemEquipment::Reply GemEquipment::statusNames(const SecsItem &body)
{
    const auto ids = idList(body);
    if (!ids || !body.isList()) {
        return std::nullopt;
    }
    auto entry = [](std::uint64_t id) {
        for (const SvInfo &sv : kStatusVariables) {
            if (sv.id == id) {
                return SecsItem::list({SecsItem::u4(id), SecsItem::ascii(sv.name), SecsItem::ascii(sv.units)});
            }
        }
        return SecsItem::list({SecsItem::u4(id & 0xFFFFFFFFu), SecsItem::ascii(""), SecsItem::ascii("")});
    };
    SecsItem names = SecsItem::list();
    if (ids->empty()) {
        for (const SvInfo &sv : kStatusVariables) {
            names.items.push_back(entry(sv.id));
        }
    }
    for (const std::uint64_t id : *ids) {
        names.items.push_back(entry(id));
    }
    return names;
}

GemEquipment::Reply GemEquipment::requestOffline()
{
    if (isOnline(m_status.control)) {
        m_status.control = GemControlState::HostOffline;
        spdlog::info("gem: the host took the equipment off-line");
        publishStatus();
        sendEventAlways(controlEvent(GemControlState::HostOffline), "off-line by the host");
    }
    return SecsItem::binary(0);
}

GemEquipment::Reply GemEquipment::requestOnline()
{
    switch (m_status.control) {
    case GemControlState::HostOffline:
        m_status.control = m_onlineMode;
        spdlog::info("gem: the host brought the equipment on-line ({})", toText(m_onlineMode));
        publishStatus();
        sendEvent(controlEvent(m_onlineMode), "on-line by the host");
        return SecsItem::binary(0);
    case GemControlState::OnlineLocal:
    case GemControlState::OnlineRemote:
        return SecsItem::binary(2);
    default:
        return SecsItem::binary(1);
    }
}

// --- stream 2: remote commands ------------------------------------------------------------------

GemEquipment::Reply GemEquipment::remoteCommand(const SecsItem &body)
{
    if (!body.isList() || body.items.size() != 2 || body.items[0].format != SecsFormat::Ascii ||
        !body.items[1].isList()) {
        return std::nullopt;
    }
    const std::string &rcmd = body.items[0].text;
    std::map<std::string, const SecsItem *> parameters;
    std::vector<std::string> order;
    for (const SecsItem &pair : body.items[1].items) {
        if (!pair.isList() || pair.items.size() != 2 || pair.items[0].format != SecsFormat::Ascii) {
            return std::nullopt;
        }
        parameters[pair.items[0].text] = &pair.items[1];
        order.push_back(pair.items[0].text);
    }
    SecsItem problems = SecsItem::list();
    auto problem = [&](const std::string &name, std::uint8_t cpack) {
        problems.items.push_back(SecsItem::list({SecsItem::ascii(name), SecsItem::binary(cpack)}));
    };
    auto answer = [&](std::uint8_t hcack) {
        if (hcack != kHcackOk && hcack != kHcackWillSignal) {
            spdlog::warn("gem: remote command {} refused (HCACK {})", rcmd, hcack);
        }
        return SecsItem::list({SecsItem::binary(hcack), std::move(problems)});
    };

    static const std::map<std::string, std::vector<std::string>> kCommands = {
        {"START", {"LOTID", "PPID", "WAFERS"}}, {"PAUSE", {}}, {"RESUME", {}}, {"ABORT", {}}, {"STOP", {}}};
    const auto command = kCommands.find(rcmd);
    if (command == kCommands.end()) {
        return answer(kHcackInvalidCommand);
    }
    for (const std::string &name : order) {
        if (std::find(command->second.begin(), command->second.end(), name) == command->second.end()) {
            problem(name, kCpackNoSuchName);
        }
    }
    if (m_status.control != GemControlState::OnlineRemote) {
        return answer(kHcackCannotNow);
    }
    const bool isActive = m_run.state != core::RunState::Idle && !core::isFinal(m_run.state);

    if (rcmd == "START") {
        GemLotStart lot;
        for (const std::string &name : command->second) {
            if (parameters.find(name) == parameters.end()) {
                problem(name, kCpackIllegalValue);
            }
        }
        if (const auto p = parameters.find("LOTID"); p != parameters.end()) {
            if (p->second->format != SecsFormat::Ascii) {
                problem("LOTID", kCpackIllegalFormat);
            } else {
                lot.lotId = p->second->text;
                try {
                    static_cast<void>(core::WaferId(lot.lotId + "-01"));
                } catch (const std::exception &) {
                    problem("LOTID", kCpackIllegalValue);
                }
            }
        }
        if (const auto p = parameters.find("PPID"); p != parameters.end()) {
            if (p->second->format != SecsFormat::Ascii) {
                problem("PPID", kCpackIllegalFormat);
            } else if (const auto file = m_programs.file(p->second->text); !file) {
                problem("PPID", kCpackIllegalValue);
            } else {
                lot.ppid = p->second->text;
                try {
                    std::ifstream in(*file, std::ios::binary);
                    std::ostringstream text;
                    text << in.rdbuf();
                    lot.recipeJson = text.str();
                    lot.recipe = core::RecipeParser::parse(lot.recipeJson, file->string());
                } catch (const std::exception &e) {
                    spdlog::warn("gem: START PPID {}: {}", lot.ppid, e.what());
                    problem("PPID", kCpackIllegalValue);
                }
            }
        }
        if (const auto p = parameters.find("WAFERS"); p != parameters.end()) {
            const auto wafers = p->second->asSigned();
            if (!wafers) {
                problem("WAFERS", kCpackIllegalFormat);
            } else if (*wafers < 1 || *wafers > 25) {
                problem("WAFERS", kCpackIllegalValue);
            } else {
                lot.wafers = static_cast<int>(*wafers);
            }
        }
        if (!problems.items.empty()) {
            return answer(kHcackParameterError);
        }
        if (isActive || m_isStartPending) {
            return answer(kHcackCannotNow);
        }
        m_isStartPending = true;
        spdlog::info("gem: the host starts lot {} ({} wafer(s), {})", lot.lotId, lot.wafers, lot.ppid);
        m_backend.startLot(std::move(lot));
        return answer(kHcackWillSignal);
    }
    if (!problems.items.empty()) {
        return answer(kHcackParameterError);
    }
    if (!isActive) {
        return answer(kHcackCannotNow);
    }
    if (rcmd == "PAUSE") {
        if (m_run.state == core::RunState::Paused) {
            return answer(kHcackAlreadyDone);
        }
        m_backend.pause();
    } else if (rcmd == "RESUME") {
        if (m_run.state != core::RunState::Paused) {
            return answer(kHcackAlreadyDone);
        }
        m_backend.resume();
    } else if (rcmd == "ABORT") {
        m_backend.abort();
    } else {
        m_backend.stop();
    }
    return answer(kHcackWillSignal);
}

// --- stream 5: alarms ------------------------------------------------------------------------------

void GemEquipment::pollAlarms()
{
    const std::vector<core::AlarmStatus> alarms = m_backend.alarms();
    for (const core::AlarmStatus &status : alarms) {
        auto [id, isNew] = m_alarmIds.try_emplace(status.definition.tag, static_cast<std::uint32_t>(m_alarmIds.size() + 1));
        const std::uint32_t alid = id->second;
        if (isNew) {
            m_alarmEnabled[alid] = true;
        }
        const bool isSet = isAlarmSet(status);
        const auto known = m_alarmSet.find(alid);
        if (known != m_alarmSet.end() && known->second == isSet) {
            continue;
        }
        const bool isChange = known != m_alarmSet.end() || isSet;
        m_alarmSet[alid] = isSet;
        if (!isChange) {
            continue;
        }
        const std::uint8_t alcd =
            static_cast<std::uint8_t>((isSet ? 0x80 : 0x00) | alarmCategory(status.definition.priority));
        const SecsItem report = SecsItem::list({SecsItem::binary(alcd), SecsItem::u4(alid),
                                                SecsItem::ascii(status.definition.message.substr(0, 120))});
        if (!isOnline(m_status.control) || !m_alarmEnabled[alid] || !deliver(5, 1, report)) {
            ++m_unsentReports;
        }
    }
}

GemEquipment::Reply GemEquipment::enableAlarms(const SecsItem &body)
{
    if (!body.isList() || body.items.size() != 2 || body.items[0].format != SecsFormat::Binary ||
        body.items[0].bytes.size() != 1) {
        return std::nullopt;
    }
    const bool enable = (body.items[0].bytes[0] & 0x80) != 0;
    const SecsItem &alid = body.items[1];
    if (alid.size() == 0) {
        for (auto &[id, enabled] : m_alarmEnabled) {
            enabled = enable;
        }
        return SecsItem::binary(0);
    }
    const auto id = alid.asUnsigned();
    if (!id) {
        return std::nullopt;
    }
    const auto known = m_alarmEnabled.find(static_cast<std::uint32_t>(*id));
    if (known == m_alarmEnabled.end()) {
        return SecsItem::binary(1); // ACKC5 1: no such alarm
    }
    known->second = enable;
    return SecsItem::binary(0);
}

GemEquipment::Reply GemEquipment::listAlarms(const SecsItem &body, bool isEnabledOnly)
{
    std::vector<std::uint64_t> wanted;
    if (!isEnabledOnly && !(body.isList() && body.items.empty())) {
        const auto ids = idList(body);
        if (!ids) {
            return std::nullopt;
        }
        wanted = *ids;
    }
    std::map<std::uint32_t, const core::AlarmStatus *> byId;
    const std::vector<core::AlarmStatus> alarms = m_backend.alarms();
    for (const core::AlarmStatus &status : alarms) {
        if (const auto id = m_alarmIds.find(status.definition.tag); id != m_alarmIds.end()) {
            byId[id->second] = &status;
        }
    }
    auto entry = [&](std::uint32_t alid) {
        const auto found = byId.find(alid);
        if (found == byId.end()) {
            return SecsItem::list({SecsItem::binary(std::vector<std::uint8_t>{}), SecsItem::u4(alid), SecsItem::ascii("")});
        }
        const core::AlarmStatus &status = *found->second;
        const auto alcd = static_cast<std::uint8_t>((isAlarmSet(status) ? 0x80 : 0) |
                                                    alarmCategory(status.definition.priority));
        return SecsItem::list({SecsItem::binary(alcd), SecsItem::u4(alid),
                               SecsItem::ascii(status.definition.message.substr(0, 120))});
    };
    SecsItem list = SecsItem::list();
    if (wanted.empty()) {
        for (const auto &[alid, status] : byId) {
            if (!isEnabledOnly || m_alarmEnabled[alid]) {
                list.items.push_back(entry(alid));
            }
        }
    }
    for (const std::uint64_t alid : wanted) {
        list.items.push_back(entry(static_cast<std::uint32_t>(alid & 0xFFFFFFFFu)));
    }
    return list;
}

// --- stream 6: events ----------------------------------------------------------------------------

void GemEquipment::sendEvent(std::uint32_t ceid, const std::string &reason)
{
    if (ceid == 0) {
        return;
    }
    if (!isOnline(m_status.control)) {
        ++m_unsentReports;
        return;
    }
    sendEventAlways(ceid, reason);
}

void GemEquipment::sendEventAlways(std::uint32_t ceid, const std::string &reason)
{
    const auto enabled = m_eventEnabled.find(ceid);
    if (enabled == m_eventEnabled.end() || !enabled->second || !deliver(6, 11, eventBody(ceid, reason))) {
        ++m_unsentReports;
    }
}

bool GemEquipment::deliver(int stream, int function, const SecsItem &body)
{
    if (m_status.isCommunicating && sendPrimary(stream, function, body)) {
        ++m_sentReports;
        return true;
    }
    if (!m_spool.isSpooled(stream, function)) {
        return false;
    }
    m_spool.push({stream, function, SecsCodec::encode(body)});
    return true;
}

SecsItem GemEquipment::reportValues(std::uint32_t rptid, const std::string &reason) const
{
    SecsItem values = SecsItem::list();
    const auto report = m_reports.find(rptid);
    if (report == m_reports.end()) {
        return values;
    }
    for (const std::uint32_t vid : report->second) {
        values.items.push_back(variableValue(vid, reason));
    }
    return values;
}

SecsItem GemEquipment::variableValue(std::uint32_t vid, const std::string &reason) const
{
    if (vid == kEventReason) {
        return SecsItem::ascii(reason);
    }
    if (vid == kChangedEcid) {
        return SecsItem::u4(m_changedEcid);
    }
    if (EquipmentConstants::find(vid) != nullptr) {
        return m_constants.item(vid);
    }
    return statusValue(vid);
}

SecsItem GemEquipment::eventBody(std::uint32_t ceid, const std::string &reason)
{
    SecsItem reports = SecsItem::list();
    if (const auto links = m_eventLinks.find(ceid); links != m_eventLinks.end()) {
        for (const std::uint32_t rptid : links->second) {
            reports.items.push_back(SecsItem::list({SecsItem::u4(rptid), reportValues(rptid, reason)}));
        }
    }
    return SecsItem::list({SecsItem::u4(m_nextDataId++), SecsItem::u4(ceid), std::move(reports)});
}

GemEquipment::Reply GemEquipment::defineReports(const SecsItem &body)
{
    const auto table = idTable(body);
    if (!table) {
        return std::nullopt;
    }
    if (table->empty()) { // no report listed: every report and every link goes
        m_reports.clear();
        for (auto &[ceid, links] : m_eventLinks) {
            links.clear();
        }
        spdlog::info("gem: the host deleted every report");
        return SecsItem::binary(0);
    }
    // All or nothing: the first problem is the answer and nothing changes.
    std::size_t count = m_reports.size();
    for (const auto &[rptid, vids] : *table) {
        if (vids.empty()) {
            count -= m_reports.count(rptid);
            continue;
        }
        if (m_reports.count(rptid) != 0) {
            return SecsItem::binary(kDrackRptidDefined);
        }
        if (vids.size() > kMaxVariablesPerReport || ++count > kMaxReports) {
            return SecsItem::binary(kDrackNoSpace);
        }
        if (!std::all_of(vids.begin(), vids.end(), isVariable)) {
            return SecsItem::binary(kDrackNoSuchVid);
        }
    }
    for (const auto &[rptid, vids] : *table) {
        if (vids.empty()) {
            m_reports.erase(rptid);
            for (auto &[ceid, links] : m_eventLinks) {
                std::erase(links, rptid);
            }
        } else {
            m_reports[rptid] = vids;
        }
    }
    spdlog::info("gem: the host defined {} report(s); {} defined now", table->size(), m_reports.size());
    return SecsItem::binary(0);
}

GemEquipment::Reply GemEquipment::linkEventReports(const SecsItem &body)
{
    const auto table = idTable(body);
    if (!table) {
        return std::nullopt;
    }
    for (const auto &[ceid, rptids] : *table) {
        if (!isCollectionEvent(ceid)) {
            return SecsItem::binary(kLrackNoSuchCeid);
        }
        if (!rptids.empty() && !m_eventLinks[ceid].empty()) {
            return SecsItem::binary(kLrackCeidLinked);
        }
        if (rptids.size() > kMaxReports) {
            return SecsItem::binary(kLrackNoSpace);
        }
        for (const std::uint32_t rptid : rptids) {
            if (m_reports.count(rptid) == 0) {
                return SecsItem::binary(kLrackNoSuchRptid);
            }
        }
    }
    for (const auto &[ceid, rptids] : *table) {
        m_eventLinks[ceid] = rptids; // none: the event's links go
    }
    return SecsItem::binary(0);
}

GemEquipment::Reply GemEquipment::enableEvents(const SecsItem &body)
{
    if (!body.isList() || body.items.size() != 2 || body.items[0].format != SecsFormat::Boolean ||
        body.items[0].bytes.size() != 1) {
        return std::nullopt;
    }
    const bool isEnabled = body.items[0].bytes[0] != 0;
    const auto ceids = idList(body.items[1]);
    if (!ceids) {
        return std::nullopt;
    }
    if (!std::all_of(ceids->begin(), ceids->end(), isCollectionEvent)) {
        return SecsItem::binary(kErackNoSuchCeid);
    }
    if (ceids->empty()) {
        for (const std::uint32_t ceid : kCollectionEvents) {
            m_eventEnabled[ceid] = isEnabled;
        }
    }
    for (const std::uint64_t ceid : *ceids) {
        m_eventEnabled[static_cast<std::uint32_t>(ceid)] = isEnabled;
    }
    return SecsItem::binary(0);
}

GemEquipment::Reply GemEquipment::eventReport(const SecsItem &body)
{
    const auto ceid = body.asUnsigned();
    if (!ceid || *ceid > std::numeric_limits<std::uint32_t>::max()) {
        return std::nullopt;
    }
    return eventBody(static_cast<std::uint32_t>(*ceid), "requested by the host");
}

GemEquipment::Reply GemEquipment::individualReport(const SecsItem &body)
{
    const auto rptid = body.asUnsigned();
    if (!rptid || *rptid > std::numeric_limits<std::uint32_t>::max()) {
        return std::nullopt;
    }
    return reportValues(static_cast<std::uint32_t>(*rptid), "requested by the host");
}

// --- stream 7: process programs ------------------------------------------------------------------

GemEquipment::Reply GemEquipment::processPrograms()
{
    SecsItem list = SecsItem::list();
    for (const std::string &name : m_programs.list()) {
        list.items.push_back(SecsItem::ascii(name));
    }
    return list;
}

GemEquipment::Reply GemEquipment::processProgram(const SecsItem &body)
{
    if (body.format != SecsFormat::Ascii) {
        return std::nullopt;
    }
    const auto text = m_programs.read(body.text);
    if (!text) {
        return SecsItem::list(); // unknown PPID: a zero-length list
    }
    return SecsItem::list({SecsItem::ascii(body.text), SecsItem::ascii(*text)});
}

// --- stream 10: terminal services ----------------------------------------------------------------

GemEquipment::Reply GemEquipment::terminalMessage(const SecsItem &body)
{
    if (!body.isList() || body.items.size() != 2 || body.items[1].format != SecsFormat::Ascii) {
        return std::nullopt;
    }
    m_status.terminalMessage = body.items[1].text.substr(0, 1000);
    spdlog::info("gem: terminal message from the host: {}", m_status.terminalMessage);
    publishStatus();
    return SecsItem::binary(0);
}

} // namespace waferscope::pipelines::gem
