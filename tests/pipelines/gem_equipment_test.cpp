// GEM equipment model over a real loopback link with a fake backend: communications first, the
// control state model, remote commands only on-line remote, run events, equipment constants kept
// across restarts, process program download, terminal requests and spooling.

#include <QTemporaryDir>
#include <QTest>

#include <filesystem>
#include <fstream>
#include <sstream>

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
    void audit(std::string action, std::string detail) override { audits.push_back(action + ": " + detail); }
    std::vector<std::string> calls;
    std::vector<std::string> audits;
};

struct Rig {
    explicit Rig(std::optional<GemControlState> initial, std::filesystem::path stateFile = {},
                 std::filesystem::path recipes = WAFERSCOPE_RECIPES_DIR)
    {
        GemOptions options;
        options.port = 0;
        options.initialControl = initial;
        options.recipeFolder = std::move(recipes);
        options.stateFile = std::move(stateFile);
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
    /// Closes the host's connection and waits until the equipment knows it.
    bool leave()
    {
        static_cast<void>(transact(1, 1, SecsItem::list())); // takes the equipment's primaries still on their way
        host.socket().disconnectFromHost();
        return waitUntil([&] { return !equipment->status().isCommunicating; });
    }
    std::uint8_t setConstant(std::uint64_t ecid, SecsItem value)
    {
        const SecsItem body = SecsItem::list({SecsItem::list({SecsItem::u4(ecid), std::move(value)})});
        return transact(2, 15, body)->bytes.at(0);
    }
    SecsItem constant(std::uint64_t ecid) { return transact(2, 13, SecsItem::list({SecsItem::u4(ecid)}))->items.at(0); }
    std::uint64_t statusValue(std::uint64_t svid)
    {
        return *transact(1, 3, SecsItem::list({SecsItem::u4(svid)}))->items.at(0).asUnsigned();
    }
    /// Waits for `count` equipment primaries of `stream`/`function` (answering them), in order.
    std::vector<SecsItem> primaries(int stream, int function, std::size_t count)
    {
        std::vector<SecsItem> found;
        waitUntil([&] {
            static_cast<void>(transact(1, 1, SecsItem::list()));
            found.clear();
            for (const HsmsMessage &m : events) {
                if (m.stream() == stream && m.function() == function) {
                    found.push_back(SecsCodec::decode(m.body));
                }
            }
            return found.size() >= count;
        });
        return found;
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

std::string fileText(const std::filesystem::path &file)
{
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::uint64_t ceidOf(const SecsItem &event)
{
    return *event.items.at(1).asUnsigned();
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

    void constantsAreNamedCheckedSetAllOrNothingAndKeptAcrossRestarts()
    {
        QTemporaryDir dir;
        const std::filesystem::path state = std::filesystem::path(dir.path().toStdString()) / "gem" / "state.json";
        {
            Rig rig(GemControlState::OnlineRemote, state);
            QVERIFY(rig.open());
            // S2F29 of T3: ECID, name, min, max, default, units.
            const SecsItem t3 = rig.transact(2, 29, SecsItem::list({SecsItem::u4(ecid::kT3)}))->items.at(0);
            QCOMPARE(t3.toSml(), std::string("<L [6] <U4 1001> <A \"T3\"> <U4 1> <U4 120> <U4 45> <A \"s\">>"));
            QCOMPARE(rig.transact(2, 29, SecsItem::list())->items.size(), EquipmentConstants::definitions().size());
            // EAC 3 out of range, 3 the wrong kind, 1 no such constant: nothing changes.
            QCOMPARE(rig.setConstant(ecid::kT3, SecsItem::u4(121)), std::uint8_t(3));
            QCOMPARE(rig.setConstant(ecid::kT3, SecsItem::ascii("30")), std::uint8_t(3));
            const SecsItem partly = SecsItem::list({SecsItem::list({SecsItem::u4(ecid::kT3), SecsItem::u4(30)}),
                                                    SecsItem::list({SecsItem::u4(9999), SecsItem::u4(1)})});
            QCOMPARE(rig.transact(2, 15, partly)->bytes.at(0), std::uint8_t(1));
            QCOMPARE(rig.constant(ecid::kT3), SecsItem::u4(45));
            // EAC 0: set, audited, reported (CEID 30 naming the ECID), kept.
            QCOMPARE(rig.setConstant(ecid::kT3, SecsItem::u1(30)), std::uint8_t(0));
            QCOMPARE(rig.constant(ecid::kT3), SecsItem::u4(30));
            QCOMPARE(rig.backend.audits, std::vector<std::string>{"gem.constant: T3 (ECID 1001) 45 s → 30 s"});
            const std::vector<SecsItem> changed = rig.primaries(6, 11, 1);
            QCOMPARE(ceidOf(changed.at(0)), std::uint64_t{30});
            QCOMPARE(changed.at(0).items.at(2).items.at(0).items.at(1).items.at(1), SecsItem::u4(ecid::kT3));
            QVERIFY(std::filesystem::exists(state));
            // The same value again changes nothing and reports nothing.
            QCOMPARE(rig.setConstant(ecid::kT3, SecsItem::u4(30)), std::uint8_t(0));
            QCOMPARE(rig.backend.audits.size(), std::size_t{1});
        }
        Rig again(std::nullopt, state);
        QVERIFY(again.open());
        QCOMPARE(again.constant(ecid::kT3), SecsItem::u4(30));
    }

    void theLinktestIntervalConstantStartsTheEquipmentsLinktest()
    {
        Rig rig(GemControlState::OnlineLocal);
        QVERIFY(rig.open());
        QCOMPARE(rig.setConstant(ecid::kLinktestInterval, SecsItem::u4(1)), std::uint8_t(0));
        std::optional<HsmsMessage> linktest;
        QVERIFY(waitUntil([&] {
            linktest = rig.host.next(100);
            return linktest && linktest->sType == HsmsSType::LinktestReq;
        }));
        rig.host.send(HsmsMessage::control(HsmsSType::LinktestRsp, linktest->systemBytes));
        QCOMPARE(rig.setConstant(ecid::kLinktestInterval, SecsItem::u4(0)), std::uint8_t(0));
    }

    void theInitialControlOptionSetsTheKeptConstant()
    {
        QTemporaryDir dir;
        const std::filesystem::path state = std::filesystem::path(dir.path().toStdString()) / "state.json";
        {
            Rig rig(GemControlState::HostOffline, state);
            QCOMPARE(rig.equipment->status().control, GemControlState::HostOffline);
            QCOMPARE(rig.equipment->constants().value(ecid::kInitControlState), std::uint64_t{1});
        }
        {
            Rig rig(std::nullopt, state);
            QCOMPARE(rig.equipment->status().control, GemControlState::HostOffline);
            QVERIFY(rig.open());
            QCOMPARE(rig.transact(1, 17, SecsItem::list())->bytes, std::vector<std::uint8_t>{0});
            QCOMPARE(rig.equipment->status().control, GemControlState::OnlineRemote); // the host takes control
            // OffLineSubState 2 (attempt on-line) is not one this equipment starts in.
            QCOMPARE(rig.setConstant(ecid::kOffLineSubState, SecsItem::u1(2)), std::uint8_t(3));
            QCOMPARE(rig.setConstant(ecid::kInitControlState, SecsItem::u1(2)), std::uint8_t(0));
            QCOMPARE(rig.setConstant(ecid::kOnLineSubState, SecsItem::u1(4)), std::uint8_t(0));
        }
        Rig rig(std::nullopt, state);
        QCOMPARE(rig.equipment->status().control, GemControlState::OnlineLocal);
    }

    void aDownloadedRecipeIsValidatedStoredListedAndDeleted()
    {
        QTemporaryDir dir;
        const std::filesystem::path recipes = dir.path().toStdString();
        Rig rig(GemControlState::OnlineLocal, {}, recipes);
        QVERIFY(rig.open());
        const std::string good = fileText(std::filesystem::path(WAFERSCOPE_RECIPES_DIR) / "quick-200mm.json");
        auto send = [&](const std::string &ppid, SecsItem body) {
            return rig.transact(7, 3, SecsItem::list({SecsItem::ascii(ppid), std::move(body)}))->bytes.at(0);
        };
        auto inquire = [&](const std::string &ppid, std::uint64_t length) {
            return rig.transact(7, 1, SecsItem::list({SecsItem::ascii(ppid), SecsItem::u4(length)}))->bytes.at(0);
        };
        // S7F1: PPGNT 0 ok, 2 too long, 3 a name the rules refuse.
        QCOMPARE(inquire("new.json", good.size()), std::uint8_t(0));
        QCOMPARE(inquire("new.json", 10'000'000), std::uint8_t(2));
        QCOMPARE(inquire("../new.json", 10), std::uint8_t(3));
        // S7F3: ACKC7 1 for a name outside the folder, 5 for a body that is not a valid recipe.
        QCOMPARE(send("../escape.json", SecsItem::ascii(good)), std::uint8_t(1));
        QVERIFY(!std::filesystem::exists(recipes.parent_path() / "escape.json"));
        QCOMPARE(send("bad.json", SecsItem::ascii(R"({"schemaVersion": 1, "name": "x"})")), std::uint8_t(5));
        QVERIFY(rig.equipment->status().lastDownload.find("refused (ACKC7 5)") != std::string::npos);
        QVERIFY(rig.equipment->status().lastDownload.find("missing") != std::string::npos);
        QVERIFY(!std::filesystem::exists(recipes / "bad.json"));
        QCOMPARE(rig.transact(7, 19, SecsItem::list())->items.size(), std::size_t{0});
        // A good one, as binary: stored whole, listed, uploaded back.
        QCOMPARE(send("new.json", SecsItem::binary(std::vector<std::uint8_t>(good.begin(), good.end()))),
                 std::uint8_t(0));
        QCOMPARE(fileText(recipes / "new.json"), good);
        QCOMPARE(rig.transact(7, 19, SecsItem::list())->toSml(), std::string("<L [1] <A \"new.json\">>"));
        QCOMPARE(rig.transact(7, 5, SecsItem::ascii("new.json"))->items.at(1).text, good);
        QCOMPARE(rig.backend.audits.back(), "recipe.download: PPID new.json, " + std::to_string(good.size()) + " bytes");
        // S7F17: ACKC7 4 for one that does not exist (nothing deleted), then 0.
        const SecsItem both = SecsItem::list({SecsItem::ascii("new.json"), SecsItem::ascii("none.json")});
        QCOMPARE(rig.transact(7, 17, both)->bytes.at(0), std::uint8_t(4));
        QVERIFY(std::filesystem::exists(recipes / "new.json"));
        QCOMPARE(rig.transact(7, 17, SecsItem::list({SecsItem::ascii("new.json")}))->bytes.at(0), std::uint8_t(0));
        QVERIFY(!std::filesystem::exists(recipes / "new.json"));
    }

    void aTerminalRequestNeedsCommunicationsAndGetsTheHostsAnswer()
    {
        Rig rig(GemControlState::OnlineLocal);
        std::vector<std::string> outcomes;
        auto record = [&](const std::string &failure) { outcomes.push_back(failure.empty() ? "delivered" : failure); };
        rig.equipment->sendTerminalMessage("before", record);
        QCOMPARE(outcomes.size(), std::size_t{1});
        QVERIFY(outcomes.at(0).find("not communicating") != std::string::npos);
        QVERIFY(rig.open());
        for (const std::uint8_t ack : {std::uint8_t(0), std::uint8_t(2)}) {
            rig.equipment->sendTerminalMessage("wafer 3 needs a look", record);
            const auto request = rig.host.next();
            QVERIFY(request);
            QCOMPARE(request->stream(), 10);
            QCOMPARE(request->function(), 1);
            QVERIFY(request->wantsReply());
            QCOMPARE(SecsCodec::decode(request->body).items.at(1).text, std::string("wafer 3 needs a look"));
            rig.host.send(HsmsMessage::data(0, 10, 2, false, request->systemBytes,
                                            SecsCodec::encode(SecsItem::binary(ack))));
            QVERIFY(waitUntil([&] { return outcomes.size() == (ack == 0 ? 2U : 3U); }));
        }
        QCOMPARE(outcomes.at(1), std::string("delivered"));
        QVERIFY(outcomes.at(2).find("ACKC10 2") != std::string::npos);
        // The link closing ends a request still waiting for its answer.
        rig.equipment->sendTerminalMessage("unanswered", record);
        QVERIFY(rig.host.next());
        QVERIFY(rig.leave());
        QCOMPARE(outcomes.size(), std::size_t{4});
        QVERIFY(outcomes.at(3).find("link closed") != std::string::npos);
    }

    void eventsRaisedWhileTheHostIsAwayAreSpooledAndSentInOrderOnRequest()
    {
        Rig rig(GemControlState::OnlineRemote);
        QVERIFY(rig.open());
        QVERIFY(rig.leave());
        GemRunSnapshot run;
        run.runId = 4;
        for (const auto state : {waferscope::core::RunState::Checking, waferscope::core::RunState::Running,
                                 waferscope::core::RunState::Paused}) {
            run.state = state;
            rig.equipment->runChanged(run);
        }
        QCOMPARE(rig.equipment->spool().size(), std::size_t{3});
        QVERIFY(rig.open());
        QCOMPARE(rig.statusValue(15), std::uint64_t{3}); // SpoolCountActual
        // Purge needs data, transmit sends it after the S6F24, oldest first.
        QCOMPARE(rig.transact(6, 23, SecsItem::u1(0))->bytes.at(0), std::uint8_t(0));
        const std::vector<SecsItem> sent = rig.primaries(6, 11, 3);
        QCOMPARE(sent.size(), std::size_t{3});
        QCOMPARE(ceidOf(sent.at(0)), std::uint64_t{11});
        QCOMPARE(ceidOf(sent.at(1)), std::uint64_t{12});
        QCOMPARE(ceidOf(sent.at(2)), std::uint64_t{13});
        QCOMPARE(rig.statusValue(15), std::uint64_t{0});
        QCOMPARE(rig.transact(6, 23, SecsItem::u1(0))->bytes.at(0), std::uint8_t(2)); // nothing spooled
    }

    void aFullSpoolDropsItsOldestAndCountsIt()
    {
        Rig rig(GemControlState::OnlineRemote);
        QVERIFY(rig.open());
        QCOMPARE(rig.setConstant(ecid::kMaxSpoolCount, SecsItem::u4(2)), std::uint8_t(0));
        QVERIFY(rig.leave());
        GemRunSnapshot run;
        for (const auto state : {waferscope::core::RunState::Checking, waferscope::core::RunState::Running,
                                 waferscope::core::RunState::Completed}) {
            run.state = state;
            rig.equipment->runChanged(run);
        }
        QCOMPARE(rig.equipment->spool().size(), std::size_t{2});
        QCOMPARE(rig.equipment->spool().dropped(), std::uint64_t{1});
        QVERIFY(rig.open());
        QCOMPARE(rig.statusValue(17), std::uint64_t{1}); // SpoolCountDropped
        QCOMPARE(rig.transact(6, 23, SecsItem::u1(1))->bytes.at(0), std::uint8_t(0)); // purge
        QCOMPARE(rig.statusValue(15), std::uint64_t{0});
    }

    void theHostChoosesWhatIsSpooled()
    {
        Rig rig(GemControlState::OnlineRemote);
        QVERIFY(rig.open());
        auto reset = [&](std::vector<SecsItem> streams) { return *rig.transact(2, 43, SecsItem::list(std::move(streams))); };
        auto stream = [](std::uint64_t id, std::vector<SecsItem> functions) {
            return SecsItem::list({SecsItem::u1(id), SecsItem::list(std::move(functions))});
        };
        // Stream 1 may not be spooled, stream 7 is unknown, S6F12 is a secondary: RSPACK 1.
        const SecsItem refused = reset({stream(1, {}), stream(7, {}), stream(6, {SecsItem::u1(12)})});
        QCOMPARE(refused.toSml(), std::string("<L [2] <B 0x01> <L [3] <L [3] <U1 1> <B 0x01> <L [0]>> "
                                              "<L [3] <U1 7> <B 0x02> <L [0]>> <L [3] <U1 6> <B 0x04> <L [1] <U1 12>>>>>"));
        // Only alarms spooled: an event raised while away is not kept.
        QCOMPARE(reset({stream(5, {SecsItem::u1(1)})}).items.at(0).bytes.at(0), std::uint8_t(0));
        QVERIFY(rig.leave());
        GemRunSnapshot run;
        run.state = waferscope::core::RunState::Running;
        rig.equipment->runChanged(run);
        QCOMPARE(rig.equipment->spool().size(), std::size_t{0});
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
