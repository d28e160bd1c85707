#pragma once

/// GemEquipment: the GEM equipment model (SEMI E30) on an HSMS-SS link, with the messages of E5
/// docs/gem.md lists. It owns the passive server and answers the host:
///   communication: S1F13 establishes communications; until then every other primary gets SxF0;
///   control: equipment off-line → host off-line ⇄ on-line local | remote (S1F15, S1F17, the
///     operator's setControl()); off-line, only S1F13 and S1F17 are answered, others get SxF0;
///   status: S1F1, S1F3, S1F11, S2F17; alarms S5F3, S5F5, S5F7; S10F3;
///   equipment constants: S2F13, S2F15, S2F29 (EquipmentConstants); a change is kept in the state
///     file, applied to the link's timers at once, audited and reported (CEID 30);
///   process programs: S7F1, S7F3, S7F5, S7F17, S7F19 (ProcessProgramStore);
///   spooling: S2F43, S6F23 (GemSpool);
///   remote commands: S2F41 START, PAUSE, RESUME, ABORT, STOP, only on-line remote;
///   errors: S9F1 (device id), S9F3 (stream), S9F5 (function), S9F7 (data that does not decode or
///     does not fit the message), S9F9 (T3 on a primary it sent), S9F11 (message too long).
/// Sends: S6F11 at each run-state change (runChanged()), control-state change and equipment
/// constant change, S5F1 when an alarm is set or cleared (polled from the backend); S10F1 when
/// asked (sendTerminalMessage()). Reports and alarms go out while communicating and on-line, each
/// waiting for its reply for T3; raised on-line while not communicating they are spooled (when
/// their stream is spooled and spooling enabled); otherwise they are counted (unsentReports) and
/// dropped.
/// State: the equipment constants and the spooled streams are read from GemOptions::stateFile at
/// construction (a file that cannot be read is reported and the defaults kept) and written there
/// at each change.
/// Status: statusHandler gets a GemStatus at every change of link, communication or control state.
/// Threads: create, call and destroy on one thread with a Qt event loop (the GEM thread).
/// Allocates: per message its items and bytes.

#include <QObject>
#include <QTimer>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <waferscope/pipelines/gem/equipment_constants.h>
#include <waferscope/pipelines/gem/gem_backend.h>
#include <waferscope/pipelines/gem/gem_options.h>
#include <waferscope/pipelines/gem/gem_run_snapshot.h>
#include <waferscope/pipelines/gem/gem_spool.h>
#include <waferscope/pipelines/gem/gem_state_file.h>
#include <waferscope/pipelines/gem/gem_status.h>
#include <waferscope/pipelines/gem/hsms_message.h>
#include <waferscope/pipelines/gem/process_program_store.h>
#include <waferscope/pipelines/gem/secs_item.h>

namespace waferscope::pipelines::gem {

class HsmsPassiveServer;

class GemEquipment : public QObject
{
    Q_OBJECT

public:
    using StatusHandler = std::function<void(const GemStatus &)>;
    /// Called once with why a message was not delivered; empty: the host accepted it.
    using DeliveryHandler = std::function<void(const std::string &failure)>;

    /// Listens at once; throws std::runtime_error when it cannot (address and reason).
    GemEquipment(GemOptions options, GemBackend &backend, QObject *parent = nullptr);
    ~GemEquipment() override;

    void setStatusHandler(StatusHandler handler);
    [[nodiscard]] GemStatus status() const;
    [[nodiscard]] quint16 port() const;

    /// The operator's control: equipment off-line, host off-line (on-line requests allowed),
    /// local or remote. Reports the change to the host (S6F11) when it leaves or enters on-line.
    void setControl(GemControlState state);
    /// The run changed state; sends its event.
    void runChanged(const GemRunSnapshot &run);
    /// The lot a START asked for could not start; sends the LotStartRefused event.
    void lotRefused(const std::string &reason);

    /// Sends `text` to the host's terminal (S10F1, TID 0) and calls `done` with the outcome: the
    /// host's ACKC10 0, or why not — not communicating, off-line, ACKC10 1 or 2, S10F0, T3, the
    /// link closing. Never spooled.
    void sendTerminalMessage(const std::string &text, DeliveryHandler done);

    [[nodiscard]] const EquipmentConstants &constants() const noexcept { return m_constants; }
    [[nodiscard]] const GemSpool &spool() const noexcept { return m_spool; }

    /// Reports sent and not sent (not communicating, off-line, alarm disabled), for tests.
    [[nodiscard]] std::uint64_t sentReports() const noexcept { return m_sentReports; }
    [[nodiscard]] std::uint64_t unsentReports() const noexcept { return m_unsentReports; }
    [[nodiscard]] std::uint64_t replyTimeouts() const noexcept { return m_replyTimeouts; }

private:
    struct Transaction;
    using Reply = std::optional<SecsItem>;
    /// Gets the reply's body (nullopt for none), or a failure (empty on success).
    using ReplyHandler = std::function<void(const std::optional<SecsItem> &body, const std::string &failure)>;

    void onMessage(const HsmsMessage &message);
    void onReply(const HsmsMessage &message);
    void reply(const HsmsMessage &primary, int function, const std::optional<SecsItem> &body);
    void sendError(int function, const HsmsMessage &about);
    bool sendPrimary(int stream, int function, const SecsItem &body, ReplyHandler onReply = {});
    bool sendPrimaryBytes(int stream, int function, std::vector<std::uint8_t> body, ReplyHandler onReply);
    /// Sends a report or alarm while communicating, or spools it when its stream is spooled;
    /// true when it was sent or spooled, false when dropped.
    bool deliver(int stream, int function, const SecsItem &body);
    /// Ends every open transaction, telling its handler `reason`.
    void failOpenTransactions(const std::string &reason);
    void publishStatus();
    void pollAlarms();

    Reply dispatch(const HsmsMessage &message, const std::optional<SecsItem> &body);
    Reply establishCommunications();
    Reply statusValues(const SecsItem &body);
    Reply statusNames(const SecsItem &body);
    Reply requestOffline();
    Reply requestOnline();
    Reply remoteCommand(const SecsItem &body);
    Reply enableAlarms(const SecsItem &body);
    Reply listAlarms(const SecsItem &body, bool isEnabledOnly);
    Reply processPrograms();
    Reply processProgram(const SecsItem &body);
    Reply processProgramInquire(const SecsItem &body);
    Reply processProgramSend(const SecsItem &body);
    Reply deleteProcessPrograms(const SecsItem &body);
    Reply requestConstants(const SecsItem &body);
    Reply sendConstants(const SecsItem &body);
    Reply constantNames(const SecsItem &body);
    Reply resetSpooling(const SecsItem &body);
    Reply requestSpooled(const SecsItem &body);
    /// S6F23 transmit: sends every spooled message, in order, after the S6F24 went out.
    void transmitSpool();

    /// Reads the constants and the spooled streams from the state file (before the server exists).
    void loadState();
    /// Writes the constants and the spooled streams; throws std::runtime_error when it cannot.
    void saveState() const;
    /// Puts the constants' timers on the link and their limits on the spool.
    void applyConstants();
    /// Audits and reports (CEID 30) each change of an equipment constant.
    void constantsChanged(const std::vector<EquipmentConstants::Change> &changes, const std::string &who);
    Reply terminalMessage(const SecsItem &body);
    Reply defineReports(const SecsItem &body);
    Reply linkEventReports(const SecsItem &body);
    Reply enableEvents(const SecsItem &body);
    Reply eventReport(const SecsItem &body);
    Reply individualReport(const SecsItem &body);

    [[nodiscard]] SecsItem statusValue(std::uint64_t svid) const;
    /// A variable's value in a report: a status or data variable, or an equipment constant.
    [[nodiscard]] SecsItem variableValue(std::uint32_t vid, const std::string &reason) const;
    void sendEvent(std::uint32_t ceid, const std::string &reason);
    /// Sends while communicating, on-line or not (the event that reports going off-line).
    void sendEventAlways(std::uint32_t ceid, const std::string &reason);
    /// The S6F11 / S6F16 body of `ceid`: its linked reports with their values now.
    [[nodiscard]] SecsItem eventBody(std::uint32_t ceid, const std::string &reason);
    /// The values of report `rptid`, in its VID order.
    [[nodiscard]] SecsItem reportValues(std::uint32_t rptid, const std::string &reason) const;

    GemOptions m_options;
    GemBackend &m_backend;
    GemStateFile m_stateFile;
    EquipmentConstants m_constants;
    GemSpool m_spool;
    ProcessProgramStore m_programs;
    std::unique_ptr<HsmsPassiveServer> m_server;
    StatusHandler m_onStatus;
    GemStatus m_status;
    GemControlState m_onlineMode = GemControlState::OnlineRemote; ///< the local/remote switch
    GemRunSnapshot m_run;
    bool m_isStartPending = false;
    std::uint32_t m_nextSystemBytes = 1;
    std::uint32_t m_nextDataId = 1;
    std::map<std::uint32_t, std::unique_ptr<Transaction>> m_open;
    QTimer m_alarmPoll;
    std::map<std::string, std::uint32_t> m_alarmIds; ///< tag → ALID, in the backend's table order
    std::map<std::uint32_t, bool> m_alarmSet;        ///< ALID → set as last reported
    std::map<std::uint32_t, bool> m_alarmEnabled;    ///< ALID → S5F1 enabled
    std::map<std::uint32_t, std::vector<std::uint32_t>> m_reports;    ///< RPTID → VIDs (S2F33)
    std::map<std::uint32_t, std::vector<std::uint32_t>> m_eventLinks; ///< CEID → RPTIDs (S2F35)
    std::map<std::uint32_t, bool> m_eventEnabled;                     ///< CEID → reported (S2F37)
    std::uint32_t m_changedEcid = 0; ///< the ECIDChanged data variable of the event being sent
    std::uint64_t m_sentReports = 0;
    std::uint64_t m_unsentReports = 0;
    std::uint64_t m_replyTimeouts = 0;
};

} // namespace waferscope::pipelines::gem
