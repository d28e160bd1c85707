#pragma once

/// HsmsPassiveServer: the equipment side of an HSMS-SS link (SEMI E37, E37.1). It listens on one
/// address and port and keeps at most one selected connection.
/// Control: answers select.req (status 0, or 1 "already active" while another connection is
/// selected), linktest.req, and separate.req (closes); deselect.req is not used in HSMS-SS and is
/// rejected. reject.req goes out for an undefined SType (reason 1), a PType other than 0
/// (reason 2), a response with no open transaction (reason 3) and a data message before select
/// (reason 4).
/// Closes a connection (never the server): a length under 10 bytes, T7 without select, T8 inside a
/// message, T6 on its own linktest.req, separate.req, or the peer closing. A data message over
/// maxMessageBytes has its bytes skipped (never stored) and arrives with isBodyDropped set.
/// Delivers: selected data messages to the message handler, link changes to the state handler.
/// Threads: create, call and destroy on one thread with a Qt event loop; handlers run there.
/// Allocates: per connection its socket and buffer, which holds only bytes that arrived.

#include <QHostAddress>
#include <QObject>
#include <QPointer>

#include <functional>
#include <memory>
#include <vector>

#include <waferscope/pipelines/gem/hsms_link_state.h>
#include <waferscope/pipelines/gem/hsms_message.h>
#include <waferscope/pipelines/gem/hsms_options.h>

QT_BEGIN_NAMESPACE
class QTcpServer;
QT_END_NAMESPACE

namespace waferscope::pipelines::gem {

class HsmsConnection;

class HsmsPassiveServer : public QObject
{
    Q_OBJECT

public:
    using MessageHandler = std::function<void(const HsmsMessage &)>;
    using StateHandler = std::function<void(HsmsLinkState, const QString &peer)>;

    explicit HsmsPassiveServer(HsmsOptions options, QObject *parent = nullptr);
    ~HsmsPassiveServer() override;

    void setMessageHandler(MessageHandler handler) { m_onMessage = std::move(handler); }
    void setStateHandler(StateHandler handler) { m_onState = std::move(handler); }

    /// Starts listening; throws std::runtime_error naming the address, port and the reason.
    void listen(const QHostAddress &address, quint16 port);
    [[nodiscard]] quint16 port() const;
    [[nodiscard]] HsmsLinkState state() const noexcept { return m_state; }

    /// New timers (T6, T7, T8, the linktest interval) for every connection, open ones included;
    /// the size limit and device id too.
    void setOptions(const HsmsOptions &options);
    [[nodiscard]] const HsmsOptions &options() const noexcept { return m_options; }

    /// Sends on the selected connection; false when none is selected.
    bool send(const HsmsMessage &message);
    /// Sends separate.req on every connection and closes them; the server keeps listening.
    void separate();
    /// Total connections closed for a protocol reason (bad length, timers), for tests and stats.
    [[nodiscard]] std::size_t protocolCloses() const noexcept { return m_protocolCloses; }

private:
    friend class HsmsConnection;
    void onNewConnection();
    void onSelected(HsmsConnection *connection);
    void onClosed(HsmsConnection *connection, bool isProtocolError);
    void onData(HsmsConnection *connection, const HsmsMessage &message);
    void updateState();

    HsmsOptions m_options;
    QTcpServer *m_server = nullptr;
    std::vector<HsmsConnection *> m_connections;
    HsmsConnection *m_selected = nullptr;
    HsmsLinkState m_state = HsmsLinkState::Off;
    QString m_peer;
    MessageHandler m_onMessage;
    StateHandler m_onState;
    std::size_t m_protocolCloses = 0;
};

} // namespace waferscope::pipelines::gem
