// HSMS-SS passive server: select, linktest, separate, reject.req for each reason, the T6/T7/T8
// timers, bad lengths and oversized messages; a closed connection leaves the server listening.

#include <QTest>

#include <waferscope/pipelines/gem/hsms_passive_server.h>

#include "hsms_test_host.h"

using namespace waferscope::pipelines::gem;
using waferscope::pipelines::gem::testing::HsmsTestHost;
using waferscope::testing::waitUntil;
using namespace std::chrono_literals;

class HsmsPassiveServerTest : public QObject
{
    Q_OBJECT

    struct Rig {
        explicit Rig(HsmsOptions options = {})
            : server(options)
        {
            server.setMessageHandler([this](const HsmsMessage &m) { received.push_back(m); });
            server.setStateHandler([this](HsmsLinkState s, const QString &) { states.push_back(s); });
            server.listen(QHostAddress::LocalHost, 0);
        }
        HsmsPassiveServer server;
        std::vector<HsmsMessage> received;
        std::vector<HsmsLinkState> states;
    };

private Q_SLOTS:
    void listensOnLoopbackWithAnEphemeralPort()
    {
        Rig rig;
        QVERIFY(rig.server.port() != 0);
        QCOMPARE(rig.server.state(), HsmsLinkState::Listening);
    }

    void selectAnswersAndDeliversDataMessages()
    {
        Rig rig;
        HsmsTestHost host;
        QVERIFY(host.connectTo(rig.server.port()));
        QVERIFY(waitUntil([&] { return rig.server.state() == HsmsLinkState::Connected; }));
        QVERIFY(host.select(7));
        QCOMPARE(rig.server.state(), HsmsLinkState::Selected);
        host.send(HsmsMessage::data(0, 1, 1, true, 42, {0x01, 0x00}));
        QVERIFY(waitUntil([&] { return !rig.received.empty(); }));
        QCOMPARE(rig.received.front().stream(), 1);
        QCOMPARE(rig.received.front().function(), 1);
        QVERIFY(rig.received.front().wantsReply());
        QCOMPARE(rig.received.front().systemBytes, 42u);
        QCOMPARE(rig.received.front().body, (std::vector<std::uint8_t>{0x01, 0x00}));
        QVERIFY(rig.server.send(HsmsMessage::data(0, 1, 2, false, 42)));
        const auto reply = host.next();
        QVERIFY(reply);
        QCOMPARE(reply->function(), 2);
    }

    void linktestIsAnswered()
    {
        Rig rig;
        HsmsTestHost host;
        QVERIFY(host.connectTo(rig.server.port()));
        QVERIFY(host.select());
        host.send(HsmsMessage::control(HsmsSType::LinktestReq, 99));
        const auto reply = host.next();
        QVERIFY(reply);
        QCOMPARE(reply->sType, HsmsSType::LinktestRsp);
        QCOMPARE(reply->systemBytes, 99u);
    }

    void dataBeforeSelectIsRejectedAsNotSelected()
    {
        Rig rig;
        HsmsTestHost host;
        QVERIFY(host.connectTo(rig.server.port()));
        host.send(HsmsMessage::data(0, 1, 1, true, 5));
        const auto reply = host.next();
        QVERIFY(reply);
        QCOMPARE(reply->sType, HsmsSType::RejectReq);
        QCOMPARE(reply->byte3, std::uint8_t(4));
        QCOMPARE(reply->systemBytes, 5u);
        QVERIFY(rig.received.empty());
        QVERIFY(host.select()); // the connection stays usable
    }

    void undefinedSTypeIsRejectedWithReasonOne()
    {
        Rig rig;
        HsmsTestHost host;
        QVERIFY(host.connectTo(rig.server.port()));
        QVERIFY(host.select());
        HsmsMessage odd = HsmsMessage::control(static_cast<HsmsSType>(8), 11);
        host.send(odd);
        const auto reply = host.next();
        QVERIFY(reply);
        QCOMPARE(reply->sType, HsmsSType::RejectReq);
        QCOMPARE(reply->byte2, std::uint8_t(8));
        QCOMPARE(reply->byte3, std::uint8_t(1));
    }

    void nonZeroPTypeIsRejectedWithReasonTwo()
    {
        Rig rig;
        HsmsTestHost host;
        QVERIFY(host.connectTo(rig.server.port()));
        QVERIFY(host.select());
        HsmsMessage message = HsmsMessage::data(0, 1, 1, true, 12);
        message.pType = 3;
        host.send(message);
        const auto reply = host.next();
        QVERIFY(reply);
        QCOMPARE(reply->sType, HsmsSType::RejectReq);
        QCOMPARE(reply->byte2, std::uint8_t(3));
        QCOMPARE(reply->byte3, std::uint8_t(2));
        QVERIFY(rig.received.empty());
    }

    void secondConnectionCannotSelectWhileOneIsSelected()
    {
        Rig rig;
        HsmsTestHost first;
        HsmsTestHost second;
        QVERIFY(first.connectTo(rig.server.port()));
        QVERIFY(first.select());
        QVERIFY(second.connectTo(rig.server.port()));
        second.send(HsmsMessage::control(HsmsSType::SelectReq, 3));
        const auto reply = second.next();
        QVERIFY(reply);
        QCOMPARE(reply->sType, HsmsSType::SelectRsp);
        QCOMPARE(reply->byte3, std::uint8_t(1));
        QCOMPARE(rig.server.state(), HsmsLinkState::Selected);
    }

    void lengthShorterThanHeaderClosesOnlyThatConnection()
    {
        Rig rig;
        HsmsTestHost host;
        QVERIFY(host.connectTo(rig.server.port()));
        QVERIFY(host.select());
        host.sendRaw({0x00, 0x00, 0x00, 0x04, 1, 2, 3, 4});
        QVERIFY(host.waitClosed());
        QVERIFY(waitUntil([&] { return rig.server.state() == HsmsLinkState::Listening; }));
        QCOMPARE(rig.server.protocolCloses(), std::size_t(1));
        HsmsTestHost next;
        QVERIFY(next.connectTo(rig.server.port()));
        QVERIFY(next.select());
    }

    void separateClosesTheConnection()
    {
        Rig rig;
        HsmsTestHost host;
        QVERIFY(host.connectTo(rig.server.port()));
        QVERIFY(host.select());
        host.send(HsmsMessage::control(HsmsSType::SeparateReq, 2));
        QVERIFY(host.waitClosed());
        QVERIFY(waitUntil([&] { return rig.server.state() == HsmsLinkState::Listening; }));
        QCOMPARE(rig.server.protocolCloses(), std::size_t(0));
    }

    void t7ClosesAConnectionThatNeverSelects()
    {
        HsmsOptions options;
        options.t7 = 100ms;
        Rig rig(options);
        HsmsTestHost host;
        QVERIFY(host.connectTo(rig.server.port()));
        QVERIFY(host.waitClosed());
        QCOMPARE(rig.server.protocolCloses(), std::size_t(1));
    }

    void t8ClosesAConnectionWhoseMessageStalls()
    {
        HsmsOptions options;
        options.t8 = 100ms;
        Rig rig(options);
        HsmsTestHost host;
        QVERIFY(host.connectTo(rig.server.port()));
        QVERIFY(host.select());
        host.sendRaw({0x00, 0x00, 0x00, 0x20, 0x00}); // a 32-byte message of which one byte came
        QVERIFY(host.waitClosed());
        QCOMPARE(rig.server.protocolCloses(), std::size_t(1));
    }

    void t6ClosesWhenTheEquipmentsLinktestGoesUnanswered()
    {
        HsmsOptions options;
        options.linktestInterval = 20ms;
        options.t6 = 100ms;
        Rig rig(options);
        HsmsTestHost host;
        QVERIFY(host.connectTo(rig.server.port()));
        QVERIFY(host.select());
        const auto linktest = host.next();
        QVERIFY(linktest);
        QCOMPARE(linktest->sType, HsmsSType::LinktestReq);
        QVERIFY(host.waitClosed());
        QCOMPARE(rig.server.protocolCloses(), std::size_t(1));
    }

    void answeredLinktestKeepsTheLink()
    {
        HsmsOptions options;
        options.linktestInterval = 20ms;
        options.t6 = 2000ms;
        Rig rig(options);
        HsmsTestHost host;
        QVERIFY(host.connectTo(rig.server.port()));
        QVERIFY(host.select());
        for (int i = 0; i < 3; ++i) {
            const auto linktest = host.next();
            QVERIFY(linktest);
            QCOMPARE(linktest->sType, HsmsSType::LinktestReq);
            host.send(HsmsMessage::control(HsmsSType::LinktestRsp, linktest->systemBytes));
        }
        QVERIFY(!host.isClosed());
        QCOMPARE(rig.server.state(), HsmsLinkState::Selected);
    }

    void oversizedMessageIsSkippedAndTheNextOneArrives()
    {
        HsmsOptions options;
        options.maxMessageBytes = 100;
        Rig rig(options);
        HsmsTestHost host;
        QVERIFY(host.connectTo(rig.server.port()));
        QVERIFY(host.select());
        host.send(HsmsMessage::data(0, 7, 3, true, 20, std::vector<std::uint8_t>(5000, 0x41)));
        host.send(HsmsMessage::data(0, 1, 1, true, 21, {0x01, 0x00}));
        QVERIFY(waitUntil([&] { return rig.received.size() == 2; }));
        QVERIFY(rig.received[0].isBodyDropped);
        QVERIFY(rig.received[0].body.empty());
        QCOMPARE(rig.received[0].systemBytes, 20u);
        QCOMPARE(rig.received[1].systemBytes, 21u);
        QVERIFY(!rig.received[1].isBodyDropped);
    }

    void unexpectedResponseIsRejectedAsNoOpenTransaction()
    {
        Rig rig;
        HsmsTestHost host;
        QVERIFY(host.connectTo(rig.server.port()));
        QVERIFY(host.select());
        host.send(HsmsMessage::control(HsmsSType::LinktestRsp, 77));
        const auto reply = host.next();
        QVERIFY(reply);
        QCOMPARE(reply->sType, HsmsSType::RejectReq);
        QCOMPARE(reply->byte3, std::uint8_t(3));
    }
};

QTEST_GUILESS_MAIN(HsmsPassiveServerTest)
#include "hsms_passive_server_test.moc"
