#pragma once

/// GemEquipment: the GEM equipment model (SEMI E30) on an HSMS-SS link, with the messages of E5
/// docs/gem.md lists. It owns the passive server and answers the host:
///   communication: S1F13 establishes communications; until then every other primary gets SxF0;
///   control: equipment off-line → host off-line ⇄ on-line local | remote (S1F15, S1F17, the
///     operator's setControl()); off-line, only S1F13 and S1F17 are answered, others get SxF0;
///   status: S1F1, S1F3, S1F11, S2F17; alarms S5F3, S5F5, S5F7; recipes S7F19, S7F5; S10F3;
///   remote commands: S2F41 START, PAUSE, RESUME, ABORT, STOP, only on-line remote;
///   errors: S9F1 (device id), S9F3 (stream), S9F5 (function), S9F7 (data that does not decode or
///     does not fit the message), S9F9 (T3 on a primary it sent), S9F11 (message too long).
/// Sends: S6F11 at each run-state change (runChanged()) and control-state change, S5F1 when an
/// alarm is set or cleared (polled from the backend); both only while communicating and on-line,
/// and each waits for its reply for T3. Nothing is spooled: what cannot be sent is counted
/// (unsentReports) and dropped.
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

#include <waferscope/pipelines/gem/gem_backend.h>
#include <waferscope/pipelines/gem/gem_options.h>
#include <waferscope/pipelines/gem/gem_run_snapshot.h>
#include <waferscope/pipelines/gem/gem_status.h>
#include <waferscope/pipelines/gem/hsms_message.h>
#include <waferscope/pipelines/gem/secs_item.h>

namespace waferscope::pipelines::gem {

class HsmsPassiveServer;

class GemEquipment : public QObject
{
    Q_OBJECT

public:
    using StatusHandler = std::function<void(const GemStatus &)>;

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

    /// Reports sent and not sent (not communicating, off-line, alarm disabled), for tests.
    [[nodiscard]] std::uint64_t sentReports() const noexcept { return m_sentReports; }
    [[nodiscard]] std::uint64_t unsentReports() const noexcept { return m_unsentReports; }
    [[nodiscard]] std::uint64_t replyTimeouts() const noexcept { return m_replyTimeouts; }

private:
    struct Transaction;
    using Reply = std::optional<SecsItem>;

    void onMessage(const HsmsMessage &message);
    void onReply(const HsmsMessage &message);
    void reply(const HsmsMessage &primary, int function, const std::optional<SecsItem> &body);
    void sendError(int function, const HsmsMessage &about);
    bool sendPrimary(int stream, int function, const SecsItem &body);
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
    Reply terminalMessage(const SecsItem &body);
    Reply defineReports(const SecsItem &body);
    Reply linkEventReports(const SecsItem &body);
    Reply enableEvents(const SecsItem &body);
    Reply eventReport(const SecsItem &body);
    Reply individualReport(const SecsItem &body);

    [[nodiscard]] SecsItem statusValue(std::uint64_t svid) const;
    void sendEvent(std::uint32_t ceid, const std::string &reason);
    /// Sends while communicating, on-line or not (the event that reports going off-line).
    void sendEventAlways(std::uint32_t ceid, const std::string &reason);
    /// The S6F11 / S6F16 body of `ceid`: its linked reports with their values now.
    [[nodiscard]] SecsItem eventBody(std::uint32_t ceid, const std::string &reason);
    /// The values of report `rptid`, in its VID order.
    [[nodiscard]] SecsItem reportValues(std::uint32_t rptid, const std::string &reason) const;
    [[nodiscard]] std::optional<std::filesystem::path> recipeFile(const std::string &ppid) const;

    GemOptions m_options;
    GemBackend &m_backend;
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
    std::uint64_t m_sentReports = 0;
    std::uint64_t m_unsentReports = 0;
    std::uint64_t m_replyTimeouts = 0;
};

} // namespace waferscope::pipelines::gem
