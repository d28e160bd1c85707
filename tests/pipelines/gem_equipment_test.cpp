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

    void theDefaultReportsServeUntilTheHostDefinesItsOwn()
    {
        Rig rig(GemControlState::OnlineRemote);
        QVERIFY(rig.open());
        // S6F15: the run event's default report, RPTID 1 with its ten variables.
        const SecsItem report = *rig.transact(6, 15, SecsItem::u4(12));
        QCOMPARE(report.items.at(1).asUnsigned(), std::optional<std::uint64_t>(12));
        const SecsItem &reports = report.items.at(2);
        QCOMPARE(reports.items.size(), std::size_t{1});
        QCOMPARE(reports.items.at(0).items.at(0).asUnsigned(), std::optional<std::uint64_t>(1));
        QCOMPARE(reports.items.at(0).items.at(1).items.size(), std::size_t{10});
        // S6F19 of the control report: Clock, ControlState (5: on-line remote), EventReason.
        const SecsItem values = *rig.transact(6, 19, SecsItem::u4(2));
        QCOMPARE(values.items.size(), std::size_t{3});
        QCOMPARE(values.items.at(1).asUnsigned(), std::optional<std::uint64_t>(5));
        // An unknown report has no values.
        QCOMPARE(rig.transact(6, 19, SecsItem::u4(77))->items.size(), std::size_t{0});
    }

    void aHostDefinesLinksAndEnablesItsOwnReports()
    {
        Rig rig(GemControlState::OnlineRemote);
        QVERIFY(rig.open());
        auto define = [&](std::uint64_t rptid, std::vector<std::uint64_t> vids) {
            SecsItem list = SecsItem::list();
            for (const std::uint64_t vid : vids) {
                list.items.push_back(SecsItem::u4(vid));
            }
            const SecsItem body = SecsItem::list(
                {SecsItem::u4(1), SecsItem::list({SecsItem::list({SecsItem::u4(rptid), std::move(list)})})});
            return rig.transact(2, 33, body)->bytes.at(0);
        };
        auto link = [&](std::uint64_t ceid, std::vector<std::uint64_t> rptids) {
            SecsItem list = SecsItem::list();
            for (const std::uint64_t rptid : rptids) {
                list.items.push_back(SecsItem::u4(rptid));
            }
            const SecsItem body = SecsItem::list(
                {SecsItem::u4(2), SecsItem::list({SecsItem::list({SecsItem::u4(ceid), std::move(list)})})});
            return rig.transact(2, 35, body)->bytes.at(0);
        };
        auto enable = [&](bool isEnabled, std::vector<std::uint64_t> ceids) {
            SecsItem list = SecsItem::list();
            for (const std::uint64_t ceid : ceids) {
                list.items.push_back(SecsItem::u4(ceid));
            }
            return rig.transact(2, 37, SecsItem::list({SecsItem::boolean(isEnabled), std::move(list)}))->bytes.at(0);
        };
        // DRACK: 0 defined, 3 the RPTID is taken, 4 a VID that does not exist (nothing defined).
        QCOMPARE(define(7, {5, 11}), std::uint8_t(0));
        QCOMPARE(define(7, {5}), std::uint8_t(3));
        QCOMPARE(define(8, {5, 999}), std::uint8_t(4));
        // LRACK: 3 the event has links (the default report), 4 no such event, 5 no such report.
        QCOMPARE(link(12, {7}), std::uint8_t(3));
        QCOMPARE(link(99, {7}), std::uint8_t(4));
        QCOMPARE(link(12, {}), std::uint8_t(0)); // unlinked
        QCOMPARE(link(12, {8}), std::uint8_t(5));
        QCOMPARE(link(12, {7}), std::uint8_t(0));
        // ERACK: 1 for an event that does not exist, nothing changed.
        QCOMPARE(enable(false, {13, 99}), std::uint8_t(1));
        QCOMPARE(enable(false, {14}), std::uint8_t(0));

        GemRunSnapshot run;
        run.runId = 9;
        run.defects = 42;
        run.state = waferscope::core::RunState::Running;
        rig.equipment->runChanged(run); // CEID 12: the host's report 7
        run.state = waferscope::core::RunState::Completed;
        rig.equipment->runChanged(run); // CEID 14: disabled, not sent
        run.state = waferscope::core::RunState::Paused;
        rig.equipment->runChanged(run); // CEID 13: still the default report 1
        QVERIFY(waitUntil([&] {
            static_cast<void>(rig.transact(1, 1, SecsItem::list()));
            return rig.events.size() >= 2;
        }));
        QCOMPARE(rig.events.size(), std::size_t{2});
        const SecsItem running = SecsCodec::decode(rig.events.at(0).body);
        QCOMPARE(running.items.at(1).asUnsigned(), std::optional<std::uint64_t>(12));
        const SecsItem &runningReport = running.items.at(2).items.at(0);
        QCOMPARE(runningReport.items.at(0).asUnsigned(), std::optional<std::uint64_t>(7));
        QCOMPARE(runningReport.items.at(1).items.at(0).text, std::string("running"));
        QCOMPARE(runningReport.items.at(1).items.at(1).asUnsigned(), std::optional<std::uint64_t>(42));
        const SecsItem paused = SecsCodec::decode(rig.events.at(1).body);
        QCOMPARE(paused.items.at(1).asUnsigned(), std::optional<std::uint64_t>(13));
        QCOMPARE(paused.items.at(2).items.at(0).items.at(0).asUnsigned(), std::optional<std::uint64_t>(1));
        QCOMPARE(rig.equipment->unsentReports(), std::uint64_t{1});

        // Deleting report 7 unlinks it; deleting every report leaves events with no reports.
        QCOMPARE(define(7, {}), std::uint8_t(0));
        QCOMPARE(rig.transact(6, 15, SecsItem::u4(12))->items.at(2).items.size(), std::size_t{0});
        const SecsItem deleteAll = SecsItem::list({SecsItem::u4(3), SecsItem::list()});
        QCOMPARE(rig.transact(2, 33, deleteAll)->bytes.at(0), std::uint8_t(0));
        QCOMPARE(rig.transact(6, 15, SecsItem::u4(13))->items.at(2).items.size(), std::size_t{0});
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
