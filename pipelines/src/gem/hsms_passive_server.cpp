#include <waferscope/pipelines/gem/hsms_passive_server.h>

#include <QTcpServer>
#include <QTcpSocket>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <stdexcept>

#include "hsms_connection.h"

namespace waferscope::pipelines::gem {

HsmsPassiveServer::HsmsPassiveServer(HsmsOptions options, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_server(new QTcpServer(this))
{
    connect(m_server, &QTcpServer::newConnection, this, &HsmsPassiveServer::onNewConnection);
}

HsmsPassiveServer::~HsmsPassiveServer()
{
    m_onState = nullptr;
    m_onMessage = nullptr;
    for (HsmsConnection *connection : std::vector<HsmsConnection *>(m_connections)) {
        connection->separate();
    }
}

void HsmsPassiveServer::listen(const QHostAddress &address, quint16 port)
{
    if (!m_server->listen(address, port)) {
        throw std::runtime_error("cannot listen on " + address.toString().toStdString() + ":" + std::to_string(port) +
                                 ": " + m_server->errorString().toStdString());
    }
    spdlog::info("gem: listening on {}:{}", address.toString().toStdString(), m_server->serverPort());
    updateState();
}

quint16 HsmsPassiveServer::port() const
{
    return m_server->serverPort();
}

void HsmsPassiveServer::setOptions(const HsmsOptions &options)
{
    m_options = options;
    for (HsmsConnection *connection : m_connections) {
        connection->applyOptions();
    }
}

bool HsmsPassiveServer::send(const HsmsMessage &message)
{
    if (m_selected == nullptr) {
        return false;
    }
    m_selected->send(message);
    return true;
}

void HsmsPassiveServer::separate()
{
    for (HsmsConnection *connection : std::vector<HsmsConnection *>(m_connections)) {
        connection->separate();
    }
}

void HsmsPassiveServer::onNewConnection()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        m_connections.push_back(new HsmsConnection(socket, m_options, *this));
    }
    updateState();
}

void HsmsPassiveServer::onSelected(HsmsConnection *connection)
{
    m_selected = connection;
    m_peer = connection->peer();
    spdlog::info("gem: {} selected", m_peer.toStdString());
    updateState();
}

void HsmsPassiveServer::onClosed(HsmsConnection *connection, bool isProtocolError)
{
    m_protocolCloses += isProtocolError ? 1 : 0;
    if (m_selected == connection) {
        m_selected = nullptr;
    }
    m_connections.erase(std::remove(m_connections.begin(), m_connections.end(), connection), m_connections.end());
    // Closed from inside its own handlers: delete it once they have returned.
    connection->deleteLater();
    updateState();
}

void HsmsPassiveServer::onData(HsmsConnection *connection, const HsmsMessage &message)
{
    if (connection == m_selected && m_onMessage) {
        m_onMessage(message);
    }
}

void HsmsPassiveServer::updateState()
{
    const HsmsLinkState state = m_selected != nullptr      ? HsmsLinkState::Selected
                                : !m_connections.empty()   ? HsmsLinkState::Connected
                                : m_server->isListening() ? HsmsLinkState::Listening
                                                          : HsmsLinkState::Off;
    if (state == m_state) {
        return;
    }
    m_state = state;
    if (m_onState) {
        m_onState(state, state == HsmsLinkState::Selected ? m_peer : QString());
    }
}

} // namespace waferscope::pipelines::gem
