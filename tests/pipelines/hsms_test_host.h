#pragma once

// A minimal HSMS active side for tests: a QTcpSocket that sends raw bytes or messages and collects
// the messages the equipment sends, framed by their length.

#include <QTcpSocket>

#include <deque>
#include <optional>

#include <waferscope/pipelines/gem/hsms_message.h>
#include <waferscope/testing/wait_until.h>

namespace waferscope::pipelines::gem::testing {

class HsmsTestHost
{
public:
    bool connectTo(quint16 port)
    {
        m_socket.connectToHost(QHostAddress::LocalHost, port);
        QObject::connect(&m_socket, &QTcpSocket::readyRead, [this] { read(); });
        return waferscope::testing::waitUntil([this] { return m_socket.state() == QAbstractSocket::ConnectedState; });
    }

    void sendRaw(const std::vector<std::uint8_t> &bytes)
    {
        m_socket.write(reinterpret_cast<const char *>(bytes.data()), static_cast<qint64>(bytes.size()));
        m_socket.flush();
    }
    void send(const HsmsMessage &message) { sendRaw(message.toBytes()); }

    /// The next message the equipment sent, waiting for it; nullopt when none came in time.
    std::optional<HsmsMessage> next(int timeoutMs = 20'000)
    {
        if (!waferscope::testing::waitUntil([this] { return !m_received.empty() || isClosed(); }, timeoutMs) ||
            m_received.empty()) {
            return std::nullopt;
        }
        HsmsMessage m = std::move(m_received.front());
        m_received.pop_front();
        return m;
    }

    /// Selects and checks the select.rsp status.
    bool select(std::uint32_t systemBytes = 1)
    {
        send(HsmsMessage::control(HsmsSType::SelectReq, systemBytes));
        const auto reply = next();
        return reply && reply->sType == HsmsSType::SelectRsp && reply->byte3 == 0 && reply->systemBytes == systemBytes;
    }

    [[nodiscard]] bool isClosed() const { return m_socket.state() == QAbstractSocket::UnconnectedState; }
    bool waitClosed() { return waferscope::testing::waitUntil([this] { return isClosed(); }); }
    QTcpSocket &socket() { return m_socket; }

private:
    void read()
    {
        m_buffer.append(m_socket.readAll());
        for (;;) {
            if (m_buffer.size() < 14) {
                return;
            }
            const auto *p = reinterpret_cast<const std::uint8_t *>(m_buffer.constData());
            const std::uint32_t length =
                (std::uint32_t(p[0]) << 24) | (std::uint32_t(p[1]) << 16) | (std::uint32_t(p[2]) << 8) | p[3];
            if (static_cast<std::size_t>(m_buffer.size()) < 4 + std::size_t(length)) {
                return;
            }
            HsmsMessage m = HsmsMessage::fromHeader(p + 4);
            m.body.assign(p + 14, p + 4 + length);
            m_buffer.remove(0, 4 + length);
            m_received.push_back(std::move(m));
        }
    }

    QTcpSocket m_socket;
    QByteArray m_buffer;
    std::deque<HsmsMessage> m_received;
};

} // namespace waferscope::pipelines::gem::testing
