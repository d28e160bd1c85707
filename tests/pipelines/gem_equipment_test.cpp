// GEM equipment model over a real loopback link with a fake backend: communications first, the
// control state model, remote commands only on-line remote, and run events.

#include <QTest>

#include <waferscope/pipelines/gem/gem_equipment.h>
#include <waferscope/pipelines/gem/secs_codec.h>

#include "hsms_test_host.h"

using namespace waferscope::pipelines::gem;
using waferscope::pipelines::gem::testing::HsmsTestHost;
using waferscope::testing::waitUntil;

namespace {

class FakeBackend : public GemBackend
{
public:
    void startLot(GemLotStart lot) override { calls.push_back("start " + lot.lotId + " " + std::to_string(lot.wafers)); }
    void pause() override { calls.push_back("pause"); }
    void resume() override { calls.push_back("resume"); }
    void abort() override { calls.push_back("abort"); }
    void stop() override { calls.push_back("stop"); }
    [[nodiscard]] std::vector<waferscope::core::AlarmStatus> alarms() const override { return {}; }
    std::vector<std::string> calls;
};

struct Rig {
    explicit Rig(GemControlState initial)
    {
        GemOptions options;
        options.port = 0;
        options.initialControl = initial;
        options.recipeFolder = WAFERSCOPE_RECIPES_DIR;
        equipment = std::make_unique<GemEquipment>(options, backend);
    }
    std::optional<SecsItem> transact(int stream, int function, const SecsItem &body, int *replyFunction = nullptr)
    {
        const std::uint32_t system = next++;
        host.send(HsmsMessage::data(0, stream, function, true, system, SecsCodec::encode(body)));
        for (int i = 0; i < 20; ++i) {
            const auto m = host.next();
            if (!m) {
                return std::nullopt;
            }
            if (m->systemBytes == system && m->stream() == stream) {
                if (replyFunction != nullptr) {
                    *replyFunction = m->function();
                }
                return m->body.empty() ? SecsItem::list() : SecsCodec::decode(m->body);
            }
            events.push_back(*m);
            if (m->wantsReply()) {
                host.send(HsmsMessage::data(0, m->stream(), m->function() + 1, false, m->systemBytes,
                                            SecsCodec::encode(SecsItem::binary(0))));
            }
        }
        return std::nullopt;
    }
    SecsItem command(const std::string &rcmd, std::vector<SecsItem> parameters = {})
    {
        return *transact(2, 41, SecsItem::list({SecsItem::ascii(rcmd), SecsItem::list(std::move(parameters))}));
    }
    static SecsItem parameter(const std::string &name, SecsItem value)
    {
        return SecsItem::list({SecsItem::ascii(name), std::move(value)});
    }
    bool open()
    {
        return host.connectTo(equipment->port()) && host.select() &&
               transact(1, 13, SecsItem::list()).has_value();
    }
    FakeBackend backend;
    std::unique_ptr<GemEquipment> equipment;
    HsmsTestHost host;
    std::uint32_t next = 100;
    std::vector<HsmsMessage> events;
};

std::uint8_t hcack(const SecsItem &reply)
{
    return reply.items.at(0).bytes.at(0);
}

} // namespace

class GemEquipmentTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void remoteCommandsAreRefusedOnlineLocal()
    {
        Rig rig(GemControlState::OnlineLocal);
        QVERIFY(rig.open());
        QCOMPARE(hcack(rig.command("PAUSE")), std::uint8_t(2));
        QVERIFY(rig.backend.calls.empty());
    }

    void operatorSwitchToRemoteAllowsCommandsAndIsReported()
    {
        Rig rig(GemControlState::OnlineLocal);
        QVERIFY(rig.open());
        rig.equipment->setControl(GemControlState::OnlineRemote);
        const auto event = rig.host.next();
        QVERIFY(event);
        QCOMPARE(event->stream(), 6);
        QCOMPARE(SecsCodec::decode(event->body).items.at(1).asUnsigned(), std::optional<std::uint64_t>(4));
        const SecsItem reply = rig.command("START", {Rig::parameter("LOTID", SecsItem::ascii("L7")),
                                                     Rig::parameter("PPID", SecsItem::ascii("quick-200mm.json")),
                                                     Rig::parameter("WAFERS", SecsItem::u2(3))});
        QCOMPARE(hcack(reply), std::uint8_t(4));
        QCOMPARE(rig.backend.calls, std::vector<std::string>{"start L7 3"});
    }

    void startNamesEveryBadParameter()
    {
        Rig rig(GemControlState::OnlineRemote);
        QVERIFY(rig.open());
        const SecsItem reply = rig.command("START", {Rig::parameter("LOTID", SecsItem::u1(5)),
                                                     Rig::parameter("PPID", SecsItem::ascii("nope.json")),
                                                     Rig::parameter("WAFERS", SecsItem::u1(26)),
                                                     Rig::parameter("COLOUR", SecsItem::ascii("red"))});
        QCOMPARE(hcack(reply), std::uint8_t(3));
        QCOMPARE(reply.items.at(1).toSml(),
                 std::string("<L [4] <L [2] <A \"COLOUR\"> <B 0x01>> <L [2] <A \"LOTID\"> <B 0x03>> "
                             "<L [2] <A \"PPID\"> <B 0x02>> <L [2] <A \"WAFERS\"> <B 0x02>>>"));
        QVERIFY(rig.backend.calls.empty());
    }

    void runCommandsFollowTheRunState()
    {
        Rig rig(GemControlState::OnlineRemote);
        QVERIFY(rig.open());
        GemRunSnapshot run;
        run.runId = 9;
        run.state = waferscope::core::RunState::Running;
        rig.equipment->runChanged(run);
        QCOMPARE(hcack(rig.command("RESUME")), std::uint8_t(5));
        QCOMPARE(hcack(rig.command("PAUSE")), std::uint8_t(4));
        run.state = waferscope::core::RunState::Paused;
        rig.equipment->runChanged(run);
        QCOMPARE(hcack(rig.command("PAUSE")), std::uint8_t(5));
        QCOMPARE(hcack(rig.command("RESUME")), std::uint8_t(4));
        QCOMPARE(hcack(rig.command("STOP")), std::uint8_t(4));
        QCOMPARE(hcack(rig.command("ABORT")), std::uint8_t(4));
        QCOMPARE(rig.backend.calls, (std::vector<std::string>{"pause", "resume", "stop", "abort"}));
        run.state = waferscope::core::RunState::Aborted;
        rig.equipment->runChanged(run);
        QCOMPARE(hcack(rig.command("ABORT")), std::uint8_t(2));
        // Run events arrived as S6F11 with CEID 10 + state: running 12, paused 13, aborted 15.
        QVERIFY(waitUntil([&] {
            static_cast<void>(rig.transact(1, 1, SecsItem::list()));
            return rig.events.size() >= 3;
        }));
        std::vector<std::uint64_t> ceids;
        for (const auto &event : rig.events) {
            ceids.push_back(*SecsCodec::decode(event.body).items.at(1).asUnsigned());
        }
        QCOMPARE(ceids, (std::vector<std::uint64_t>{12, 13, 15}));
    }

    void hostOfflineAnswersOnlyOnlineRequests()
    {
        Rig rig(GemControlState::OnlineRemote);
        QVERIFY(rig.open());
        QCOMPARE(rig.transact(1, 15, SecsItem::list())->bytes, std::vector<std::uint8_t>{0});
        int function = -1;
        static_cast<void>(rig.transact(1, 1, SecsItem::list(), &function));
        QCOMPARE(function, 0);
        QCOMPARE(rig.equipment->status().control, GemControlState::HostOffline);
        QCOMPARE(rig.transact(1, 17, SecsItem::list())->bytes, std::vector<std::uint8_t>{0});
        QCOMPARE(rig.equipment->status().control, GemControlState::OnlineRemote);
    }

    void equipmentOfflineRefusesOnlineRequests()
    {
        Rig rig(GemControlState::OnlineLocal);
        QVERIFY(rig.open());
        rig.equipment->setControl(GemControlState::EquipmentOffline);
        QCOMPARE(rig.transact(1, 17, SecsItem::list())->bytes, std::vector<std::uint8_t>{1});
        QCOMPARE(rig.equipment->status().control, GemControlState::EquipmentOffline);
    }

    void losingTheLinkEndsCommunications()
    {
        Rig rig(GemControlState::OnlineLocal);
        QVERIFY(rig.open());
        QVERIFY(rig.equipment->status().isCommunicating);
        rig.host.socket().disconnectFromHost();
        QVERIFY(waitUntil([&] { return !rig.equipment->status().isCommunicating; }));
        QCOMPARE(rig.equipment->status().link, HsmsLinkState::Listening);
    }
};

QTEST_GUILESS_MAIN(GemEquipmentTest)
#include "gem_equipment_test.moc"
