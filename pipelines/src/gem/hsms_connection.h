#pragma once

// HsmsConnection: one accepted TCP connection of the passive server — framing, the T6/T7/T8 timers
// and the control messages. Private to the server (see hsms_passive_server.h for the contract).
// States: not selected → selected → closed; closed is final and the server deletes it later.

#include <QByteArray>
#include <QObject>
#include <QTimer>

#include <cstdint>
#include <optional>

#include <waferscope/pipelines/gem/hsms_message.h>
#include <waferscope/pipelines/gem/hsms_options.h>

QT_BEGIN_NAMESPACE
class QTcpSocket;
QT_END_NAMESPACE

namespace waferscope::pipelines::gem {

class HsmsPassiveServer;

class HsmsConnection : public QObject
{
    Q_OBJECT

public:
    HsmsConnection(QTcpSocket *socket, const HsmsOptions &options, HsmsPassiveServer &server);
    ~HsmsConnection() override;

    void send(const HsmsMessage &message);
    /// Closes the connection once; `isProtocolError` counts it as closed for a protocol reason.
    void close(const QString &reason, bool isProtocolError);
    void separate();
    /// Takes the server's options again (its timers changed): the timers' intervals, and the
    /// linktest started or stopped.
    void applyOptions();
    [[nodiscard]] bool isSelected() const noexcept { return m_isSelected; }
    [[nodiscard]] bool isClosed() const noexcept { return m_isClosed; }
    [[nodiscard]] QString peer() const;

private:
    void onReadyRead();
    /// Precondition: m_buffer starts at a message's length field.
    bool takeMessages();
    void handle(const HsmsMessage &message);
    void reject(const HsmsMessage &message, std::uint8_t reason);
    void sendLinktest();

    QTcpSocket *m_socket;
    const HsmsOptions &m_options;
    HsmsPassiveServer &m_server;
    QByteArray m_buffer;
    /// A too-long message being skipped: bytes of it still to drop.
    std::uint64_t m_skipping = 0;
    QTimer m_t7;
    QTimer m_t8;
    QTimer m_t6;
    QTimer m_linktest;
    std::optional<std::uint32_t> m_linktestOpen;
    std::uint32_t m_nextSystemBytes = 0x8000'0000u;
    bool m_isSelected = false;
    bool m_isClosed = false;
};

} // namespace waferscope::pipelines::gem
