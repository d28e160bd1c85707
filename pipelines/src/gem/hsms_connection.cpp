#include "hsms_connection.h"

#include <QTcpSocket>

#include <spdlog/spdlog.h>

#include <waferscope/pipelines/gem/hsms_passive_server.h>

namespace waferscope::pipelines::gem {

namespace {

constexpr std::uint8_t kRejectSTypeNotSupported = 1;
constexpr std::uint8_t kRejectPTypeNotSupported = 2;
constexpr std::uint8_t kRejectTransactionNotOpen = 3;
constexpr std::uint8_t kRejectNotSelected = 4;
constexpr std::uint8_t kSelectOk = 0;
constexpr std::uint8_t kSelectAlreadyActive = 1;
/// Bytes read from the socket at once: bounds the buffer's growth per read.
constexpr qint64 kReadChunk = 64 * 1024;

std::uint32_t lengthAt(const QByteArray &buffer)
{
    const auto *p = reinterpret_cast<const std::uint8_t *>(buffer.constData());
    return (std::uint32_t(p[0]) << 24) | (std::uint32_t(p[1]) << 16) | (std::uint32_t(p[2]) << 8) | p[3];
}

} // namespace

HsmsConnection::HsmsConnection(QTcpSocket *socket, const HsmsOptions &options, HsmsPassiveServer &server)
    : QObject(&server)
    , m_socket(socket)
    , m_options(options)
    , m_server(server)
{
    m_socket->setParent(this);
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    for (QTimer *timer : {&m_t7, &m_t8, &m_t6}) {
        timer->setSingleShot(true);
    }
    applyOptions();
    connect(&m_t7, &QTimer::timeout, this, [this] { close(QStringLiteral("T7: no select.req"), true); });
    connect(&m_t8, &QTimer::timeout, this,
            [this] { close(QStringLiteral("T8: a message stopped arriving part-way"), true); });
    connect(&m_t6, &QTimer::timeout, this, [this] { close(QStringLiteral("T6: linktest.req unanswered"), true); });
    connect(&m_linktest, &QTimer::timeout, this, &HsmsConnection::sendLinktest);
    connect(m_socket, &QTcpSocket::readyRead, this, &HsmsConnection::onReadyRead);
    connect(m_socket, &QTcpSocket::disconnected, this,
            [this] { close(QStringLiteral("the host closed the connection"), false); });
    connect(m_socket, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError error) {
        if (error != QAbstractSocket::RemoteHostClosedError) {
            close(QStringLiteral("socket error: ") + m_socket->errorString(), false);
        }
    });
    m_t7.start();
    spdlog::info("gem: connection from {}", peer().toStdString());
}

HsmsConnection::~HsmsConnection() = default;

void HsmsConnection::applyOptions()
{
    // setInterval() restarts a running timer: a changed T7 or T8 counts afresh from now.
    m_t7.setInterval(m_options.t7);
    m_t8.setInterval(m_options.t8);
    m_t6.setInterval(m_options.t6);
    m_linktest.setInterval(m_options.linktestInterval);
    if (m_options.linktestInterval.count() <= 0) {
        m_linktest.stop();
    } else if (m_isSelected && !m_isClosed && !m_linktest.isActive()) {
        m_linktest.start();
    }
}

QString HsmsConnection::peer() const
{
    return m_socket->peerAddress().toString() + QLatin1Char(':') + QString::number(m_socket->peerPort());
}

void HsmsConnection::send(const HsmsMessage &message)
{
    if (m_isClosed) {
        return;
    }
    const std::vector<std::uint8_t> bytes = message.toBytes();
    m_socket->write(reinterpret_cast<const char *>(bytes.data()), static_cast<qint64>(bytes.size()));
}

void HsmsConnection::close(const QString &reason, bool isProtocolError)
{
    if (m_isClosed) {
        return;
    }
    m_isClosed = true;
    m_isSelected = false;
    for (QTimer *timer : {&m_t7, &m_t8, &m_t6, &m_linktest}) {
        timer->stop();
    }
    spdlog::log(isProtocolError ? spdlog::level::warn : spdlog::level::info, "gem: connection {} closed: {}",
                peer().toStdString(), reason.toStdString());
    m_socket->disconnect(this);
    m_socket->close();
    m_server.onClosed(this, isProtocolError);
}

void HsmsConnection::separate()
{
    if (m_isClosed) {
        return;
    }
    send(HsmsMessage::control(HsmsSType::SeparateReq, m_nextSystemBytes++));
    m_socket->flush();
    close(QStringLiteral("separated by the equipment"), false);
}

void HsmsConnection::onReadyRead()
{
    // Bounded: each pass takes at most one chunk, and a socket holds a finite number of bytes.
    while (!m_isClosed && m_socket->bytesAvailable() > 0) {
        if (m_skipping > 0) {
            const qint64 drop = std::min<qint64>(static_cast<qint64>(m_skipping), kReadChunk);
            const QByteArray dropped = m_socket->read(drop);
            m_skipping -= static_cast<std::uint64_t>(dropped.size());
        } else {
            m_buffer.append(m_socket->read(kReadChunk));
            if (!takeMessages()) {
                return;
            }
        }
        if (m_skipping == 0 && m_buffer.isEmpty()) {
            m_t8.stop();
        } else {
            m_t8.start();
        }
    }
}

bool HsmsConnection::takeMessages()
{
    constexpr std::size_t kPrefix = 4 + HsmsMessage::kHeaderSize;
    for (;;) {
        if (static_cast<std::size_t>(m_buffer.size()) < 4) {
            return true;
        }
        const std::uint32_t length = lengthAt(m_buffer);
        if (length < HsmsMessage::kHeaderSize) {
            close(QStringLiteral("message length %1 is shorter than the 10-byte header").arg(length), true);
            return false;
        }
        if (static_cast<std::size_t>(m_buffer.size()) < kPrefix) {
            return true;
        }
        const auto *bytes = reinterpret_cast<const std::uint8_t *>(m_buffer.constData());
        HsmsMessage message = HsmsMessage::fromHeader(bytes + 4);
        if (length > m_options.maxMessageBytes) {
            // Too long to keep: drop what is buffered of it and skip the rest as it arrives.
            const std::uint64_t whole = 4 + std::uint64_t(length);
            const std::uint64_t buffered = std::min<std::uint64_t>(whole, static_cast<std::uint64_t>(m_buffer.size()));
            m_buffer.remove(0, static_cast<qsizetype>(buffered));
            m_skipping = whole - buffered;
            message.isBodyDropped = true;
            spdlog::warn("gem: {}-byte message from {} is over the {}-byte limit; skipped", length,
                         peer().toStdString(), m_options.maxMessageBytes);
            handle(message);
            if (m_isClosed || m_skipping > 0) {
                return !m_isClosed;
            }
            continue;
        }
        if (static_cast<std::size_t>(m_buffer.size()) < 4 + std::size_t(length)) {
            return true;
        }
        message.body.assign(bytes + kPrefix, bytes + 4 + length);
        m_buffer.remove(0, static_cast<qsizetype>(4 + length));
        handle(message);
        if (m_isClosed) {
            return false;
        }
    }
}

void HsmsConnection::reject(const HsmsMessage &message, std::uint8_t reason)
{
    const std::uint8_t byte2 =
        reason == kRejectPTypeNotSupported ? message.pType : static_cast<std::uint8_t>(message.sType);
    HsmsMessage rejection = HsmsMessage::control(HsmsSType::RejectReq, message.systemBytes, byte2, reason);
    rejection.sessionId = message.sessionId;
    send(rejection);
    spdlog::warn("gem: rejected {} from {} (reason {})", toText(message.sType), peer().toStdString(), reason);
}

void HsmsConnection::handle(const HsmsMessage &message)
{
    if (!isDefined(message.sType)) {
        reject(message, kRejectSTypeNotSupported);
        return;
    }
    if (message.pType != 0) {
        reject(message, kRejectPTypeNotSupported);
        return;
    }
    switch (message.sType) {
    case HsmsSType::Data:
        if (!m_isSelected) {
            reject(message, kRejectNotSelected);
            return;
        }
        m_server.onData(this, message);
        return;
    case HsmsSType::SelectReq: {
        const bool isFree = m_server.m_selected == nullptr || m_server.m_selected == this;
        HsmsMessage response = HsmsMessage::control(HsmsSType::SelectRsp, message.systemBytes, 0,
                                                    isFree ? kSelectOk : kSelectAlreadyActive);
        response.sessionId = message.sessionId;
        send(response);
        if (isFree && !m_isSelected) {
            m_isSelected = true;
            m_t7.stop();
            if (m_options.linktestInterval.count() > 0) {
                m_linktest.start();
            }
            m_server.onSelected(this);
        }
        return;
    }
    case HsmsSType::LinktestReq:
        send(HsmsMessage::control(HsmsSType::LinktestRsp, message.systemBytes));
        return;
    case HsmsSType::LinktestRsp:
        if (m_linktestOpen == message.systemBytes) {
            m_linktestOpen.reset();
            m_t6.stop();
        } else {
            reject(message, kRejectTransactionNotOpen);
        }
        return;
    case HsmsSType::SeparateReq:
        close(QStringLiteral("separate.req from the host"), false);
        return;
    case HsmsSType::RejectReq:
        spdlog::warn("gem: the host rejected a message (system bytes {:#x}, reason {})", message.systemBytes,
                     message.byte3);
        return;
    case HsmsSType::DeselectReq: // not used in HSMS-SS
        reject(message, kRejectSTypeNotSupported);
        return;
    case HsmsSType::SelectRsp:
    case HsmsSType::DeselectRsp:
        reject(message, kRejectTransactionNotOpen);
        return;
    }
}

void HsmsConnection::sendLinktest()
{
    if (m_linktestOpen || !m_isSelected) {
        return;
    }
    m_linktestOpen = m_nextSystemBytes++;
    send(HsmsMessage::control(HsmsSType::LinktestReq, *m_linktestOpen));
    m_t6.start();
}

} // namespace waferscope::pipelines::gem
