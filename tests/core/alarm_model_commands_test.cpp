#include <QTest>

#include <functional>
#include <string>
#include <vector>

#include <waferscope/core/alarms/alarm_command_error.h>
#include <waferscope/core/alarms/alarm_model.h>

#include "alarm_fixtures.h"

using waferscope::core::AlarmActor;
using waferscope::core::AlarmAudit;
using waferscope::core::AlarmCommandError;
using waferscope::core::AlarmDefinition;
using waferscope::core::AlarmEvent;
using waferscope::core::AlarmEventKind;
using waferscope::core::AlarmModel;
using waferscope::core::AlarmPriority;
using waferscope::core::AlarmState;
using waferscope::core::AlarmStatus;
using waferscope::core::RunId;
using namespace waferscope::testing::alarms;

namespace {

const std::string kVacuum = "vacuum.low";   // may be shelved for at most 2 h
const std::string kStage = "stage.limit";   // critical, latching, may not be shelved
const std::string kLamp = "illumination.drift";
const RunId kRun{5};
const AlarmTime kNow = at(1min);

AlarmModel makeModel()
{
    AlarmDefinition vacuum = definition(kVacuum, AlarmPriority::High);
    vacuum.maxShelveDuration = 2h;
    AlarmDefinition stage = definition(kStage, AlarmPriority::Critical);
    stage.isLatching = true;
    stage.maxShelveDuration = 0ms;
    return AlarmModel({vacuum, stage, definition(kLamp, AlarmPriority::Low)});
}

/// Runs `command` at kNow, which must be refused: returns the error, and checks that the model's
/// alarms, flood state and events are what they were.
AlarmCommandError refused(AlarmModel &model, const std::function<void()> &command)
{
    model.update(kNow);
    const std::vector<AlarmStatus> alarmsBefore = model.alarms();
    const auto floodBefore = model.flood();
    const std::vector<AlarmEvent> eventsBefore = model.takeEvents();
    try {
        command();
    } catch (const AlarmCommandError &error) {
        if (!(model.alarms() == alarmsBefore) || !(model.flood() == floodBefore) || !model.takeEvents().empty()) {
            QTest::qFail("a refused command changed the model", __FILE__, __LINE__);
        }
        return error;
    }
    QTest::qFail("the command was not refused", __FILE__, __LINE__);
    return AlarmCommandError("", "", "");
}

} // namespace

class AlarmModelCommandsTest : public QObject
{
    Q_OBJECT

private slots:
    // Audit.

    void acknowledgeRecordsWhoWhenAndTheComment()
    {
        AlarmModel model = makeModel();
        model.reportCondition(kVacuum, true, kRun, at(1s));
        (void)model.takeEvents();
        model.acknowledge(kVacuum, kTechnician, "checking the pump", at(5s));
        QCOMPARE(model.status(kVacuum)->acknowledgement,
                 std::optional(AlarmAudit{kTechnician, at(5s), "checking the pump"}));
        const AlarmEvent event = model.takeEvents().front();
        QCOMPARE(event.actor, std::optional(kTechnician));
        QCOMPARE(event.comment, std::string("checking the pump"));
        QVERIFY(event.at == at(5s));
        QCOMPARE(event.runId, kRun);
    }

    void aNewActivationForgetsThePreviousAcknowledgement()
    {
        AlarmModel model = makeModel();
        model.reportCondition(kVacuum, true, kRun, at(1s));
        model.acknowledge(kVacuum, kTechnician, "", at(2s));
        model.reportCondition(kVacuum, false, kRun, at(3s));
        QVERIFY(model.status(kVacuum)->acknowledgement.has_value());
        model.reportCondition(kVacuum, true, kRun, at(4s));
        QVERIFY(!model.status(kVacuum)->acknowledgement.has_value());
    }

    void shelveRecordsWhoWhenTheReasonAndUntilWhen()
    {
        AlarmModel model = makeModel();
        model.shelve(kVacuum, 90min, kTechnician, "pump swap", at(10s));
        const AlarmStatus status = *model.status(kVacuum);
        QCOMPARE(status.shelve, std::optional(AlarmAudit{kTechnician, at(10s), "pump swap"}));
        QCOMPARE(status.shelvedUntil, std::optional<AlarmTime>(at(10s) + 90min));
        const AlarmEvent event = model.takeEvents().front();
        QCOMPARE(event.kind, AlarmEventKind::Shelved);
        QCOMPARE(event.actor, std::optional(kTechnician));
        QCOMPARE(event.comment, std::string("pump swap"));
        QCOMPARE(event.shelvedUntil, std::optional<AlarmTime>(at(10s) + 90min));
    }

    void everyCommandAPersonGivesNamesThemInItsEvent()
    {
        AlarmModel model = makeModel();
        model.shelve(kVacuum, 1h, kTechnician, "pump swap", at(1s));
        model.unshelve(kVacuum, kEngineer, "pump back", at(2s));
        model.removeFromService(kLamp, kEngineer, "lamp replaced", at(3s));
        model.returnToService(kLamp, kTechnician, "lamp aligned", at(4s));
        model.reportCondition(kStage, true, kRun, at(5s));
        model.reportCondition(kStage, false, kRun, at(6s));
        model.acknowledge(kStage, kTechnician, "", at(7s));
        model.reset(kStage, kEngineer, "homed", at(8s));
        std::vector<AlarmEvent> events = model.takeEvents();
        std::erase_if(events, [](const AlarmEvent &e) {
            return e.kind == AlarmEventKind::Activated || e.kind == AlarmEventKind::ReturnedToNormal;
        });
        QCOMPARE(kinds(events), (std::vector{AlarmEventKind::Shelved, AlarmEventKind::Unshelved,
                                             AlarmEventKind::RemovedFromService, AlarmEventKind::ReturnedToService,
                                             AlarmEventKind::Acknowledged, AlarmEventKind::Reset}));
        const std::vector<AlarmActor> actors{kTechnician, kEngineer, kEngineer, kTechnician, kTechnician, kEngineer};
        for (std::size_t i = 0; i < events.size(); ++i) {
            QCOMPARE(events[i].actor, std::optional(actors[i]));
        }
        QCOMPARE(events[1].comment, std::string("pump back"));
        QCOMPARE(events[2].comment, std::string("lamp replaced"));
    }

    void removeFromServiceRecordsWhoWhenAndWhy()
    {
        AlarmModel model = makeModel();
        model.removeFromService(kLamp, kEngineer, "lamp replaced", at(3s));
        QCOMPARE(model.status(kLamp)->outOfService, std::optional(AlarmAudit{kEngineer, at(3s), "lamp replaced"}));
        model.returnToService(kLamp, kEngineer, "", at(4s));
        QVERIFY(!model.status(kLamp)->outOfService.has_value());
    }

    void suppressionIsByLogicAndNamesNoPerson()
    {
        AlarmModel model = makeModel();
        model.suppress(kStage, "machine in maintenance", at(1s));
        model.unsuppress(kStage, at(2s));
        const std::vector<AlarmEvent> events = model.takeEvents();
        QCOMPARE(kinds(events), (std::vector{AlarmEventKind::Suppressed, AlarmEventKind::Unsuppressed}));
        QVERIFY(!events[0].actor.has_value());
        QCOMPARE(events[0].comment, std::string("machine in maintenance"));
        QVERIFY(!events[1].actor.has_value());
    }

    // Shelving.

    void shelveRunsOutAtItsEndAndTheAlarmShowsItsTrackedStateAgain()
    {
        AlarmModel model = makeModel();
        model.reportCondition(kVacuum, true, kRun, at(0s));
        model.shelve(kVacuum, 2h, kTechnician, "pump swap", at(1s));
        (void)model.takeEvents();
        model.update(at(2h + 1s) - 1ms);
        QCOMPARE(model.status(kVacuum)->state, AlarmState::Shelved);
        model.update(at(3h));
        QCOMPARE(model.status(kVacuum)->state, AlarmState::Unacknowledged);
        QVERIFY(!model.status(kVacuum)->shelve.has_value());
        const AlarmEvent event = model.takeEvents().front();
        QCOMPARE(event.kind, AlarmEventKind::ShelveExpired);
        QVERIFY(event.at == at(2h + 1s));
        QCOMPARE(event.from, AlarmState::Shelved);
        QCOMPARE(event.to, AlarmState::Unacknowledged);
        QVERIFY(!event.actor.has_value());
    }

    void shelvingBeyondTheMaximumIsRefusedNamingBothDurations()
    {
        AlarmModel model = makeModel();
        const AlarmCommandError error =
            refused(model, [&] { model.shelve(kVacuum, 3h, kTechnician, "pump swap", kNow); });
        QCOMPARE(std::string(error.what()),
                 std::string("cannot shelve alarm 'vacuum.low': shelving for 3 h exceeds its maximum shelve "
                             "duration of 2 h"));
        QCOMPARE(error.command(), std::string("shelve"));
        QCOMPARE(error.tag(), kVacuum);
        model.shelve(kVacuum, 2h, kTechnician, "pump swap", kNow);
        QCOMPARE(model.status(kVacuum)->state, AlarmState::Shelved);
    }

    void alarmWithAZeroMaximumMayNotBeShelved()
    {
        AlarmModel model = makeModel();
        QCOMPARE(refused(model, [&] { model.shelve(kStage, 1min, kTechnician, "testing", kNow); }).reason(),
                 std::string("it may not be shelved"));
    }

    void shelveNeedsAPositiveDurationAndAReasonAndIsNotRepeated()
    {
        AlarmModel model = makeModel();
        QCOMPARE(refused(model, [&] { model.shelve(kVacuum, 0ms, kTechnician, "pump swap", kNow); }).reason(),
                 std::string("a shelve duration must be positive, not 0 ms"));
        QCOMPARE(refused(model, [&] { model.shelve(kVacuum, -90s, kTechnician, "pump swap", kNow); }).reason(),
                 std::string("a shelve duration must be positive, not -90 s"));
        QCOMPARE(refused(model, [&] { model.shelve(kVacuum, 1h, kTechnician, "", kNow); }).reason(),
                 std::string("shelving needs a reason"));
        model.shelve(kVacuum, 1h, kTechnician, "pump swap", kNow);
        QCOMPARE(refused(model, [&] { model.shelve(kVacuum, 1h, kTechnician, "longer", kNow); }).reason(),
                 std::string("it is already shelved; unshelve it first"));
    }

    // Refusals.

    void acknowledgingANormalOrAcknowledgedAlarmIsRefusedAndChangesNothing()
    {
        AlarmModel model = makeModel();
        const AlarmCommandError normal = refused(model, [&] { model.acknowledge(kVacuum, kTechnician, "", kNow); });
        QCOMPARE(std::string(normal.what()),
                 std::string("cannot acknowledge alarm 'vacuum.low': it is normal, so there is nothing to acknowledge"));

        model.reportCondition(kVacuum, true, kRun, kNow);
        model.acknowledge(kVacuum, kTechnician, "", kNow);
        QCOMPARE(refused(model, [&] { model.acknowledge(kVacuum, kEngineer, "", kNow); }).reason(),
                 std::string("it is already acknowledged"));
        QCOMPARE(model.status(kVacuum)->acknowledgement->actor, kTechnician);

        model.reportCondition(kStage, true, kRun, kNow);
        model.acknowledge(kStage, kTechnician, "", kNow);
        model.reportCondition(kStage, false, kRun, kNow);
        QCOMPARE(refused(model, [&] { model.acknowledge(kStage, kTechnician, "", kNow); }).reason(),
                 std::string("it is already acknowledged; reset it to clear the latch"));
    }

    void commandsOnAnUnknownAlarmAreRefusedNamingIt()
    {
        AlarmModel model = makeModel();
        const std::vector<std::function<void()>> commands{
            [&] { model.reportCondition("no.such", true, kRun, kNow); },
            [&] { model.acknowledge("no.such", kTechnician, "", kNow); },
            [&] { model.reset("no.such", kTechnician, "", kNow); },
            [&] { model.shelve("no.such", 1h, kTechnician, "why", kNow); },
            [&] { model.unshelve("no.such", kTechnician, "", kNow); },
            [&] { model.suppress("no.such", "why", kNow); },
            [&] { model.unsuppress("no.such", kNow); },
            [&] { model.removeFromService("no.such", kTechnician, "why", kNow); },
            [&] { model.returnToService("no.such", kTechnician, "", kNow); },
        };
        for (const auto &command : commands) {
            const AlarmCommandError error = refused(model, command);
            QCOMPARE(error.tag(), std::string("no.such"));
            QCOMPARE(error.reason(), std::string("no alarm with this tag is defined"));
        }
    }

    void commandsWithoutAUserOrRoleAreRefused()
    {
        AlarmModel model = makeModel();
        model.reportCondition(kVacuum, true, kRun, kNow);
        const AlarmCommandError noUser =
            refused(model, [&] { model.acknowledge(kVacuum, AlarmActor{"", "technician"}, "", kNow); });
        QCOMPARE(std::string(noUser.what()), std::string("cannot acknowledge alarm 'vacuum.low': the command names no user"));
        QCOMPARE(refused(model, [&] { model.shelve(kVacuum, 1h, AlarmActor{"alice", ""}, "pump swap", kNow); }).reason(),
                 std::string("the command names no role for user 'alice'"));
        QCOMPARE(refused(model, [&] { model.removeFromService(kVacuum, AlarmActor{}, "broken", kNow); }).reason(),
                 std::string("the command names no user"));
    }

    void undoingAStateTheAlarmIsNotInIsRefused()
    {
        AlarmModel model = makeModel();
        QCOMPARE(refused(model, [&] { model.unshelve(kVacuum, kTechnician, "", kNow); }).reason(),
                 std::string("it is not shelved"));
        QCOMPARE(refused(model, [&] { model.unsuppress(kVacuum, kNow); }).reason(), std::string("it is not suppressed"));
        QCOMPARE(refused(model, [&] { model.returnToService(kVacuum, kTechnician, "", kNow); }).reason(),
                 std::string("it is not out of service"));
    }

    void suppressAndRemoveFromServiceNeedAReasonAndAreNotRepeated()
    {
        AlarmModel model = makeModel();
        QCOMPARE(refused(model, [&] { model.suppress(kStage, "", kNow); }).reason(),
                 std::string("suppressing needs a reason"));
        QCOMPARE(refused(model, [&] { model.removeFromService(kStage, kTechnician, "", kNow); }).reason(),
                 std::string("removing it from service needs a reason"));
        model.suppress(kStage, "maintenance", kNow);
        model.removeFromService(kStage, kTechnician, "switch replaced", kNow);
        QCOMPARE(refused(model, [&] { model.suppress(kStage, "again", kNow); }).reason(),
                 std::string("it is already suppressed (maintenance)"));
        QCOMPARE(refused(model, [&] { model.removeFromService(kStage, kTechnician, "again", kNow); }).reason(),
                 std::string("it is already out of service"));
    }

    void aRefusedCommandStillBringsTheModelUpToNow()
    {
        AlarmDefinition delayed = definition(kVacuum);
        delayed.onDelay = 5s;
        AlarmModel model({delayed});
        model.reportCondition(kVacuum, true, kRun, at(0s));
        try {
            model.acknowledge(kVacuum, AlarmActor{}, "", at(10s));
            QFAIL("an actor without a name was accepted");
        } catch (const AlarmCommandError &) {
        }
        QVERIFY(model.now() == at(10s));
        QCOMPARE(model.status(kVacuum)->state, AlarmState::Unacknowledged);
        QCOMPARE(kinds(model.takeEvents()), std::vector{AlarmEventKind::Activated});
    }

    // Acknowledge all.

    void acknowledgeAllAcknowledgesTheListedAlarmsThatAwaitIt()
    {
        AlarmModel model({definition("a.active"), definition("b.returned"), definition("c.acked"),
                          definition("d.normal"), definition("e.shelved"), definition("f.unlisted")});
        for (const char *tag : {"a.active", "b.returned", "c.acked", "e.shelved", "f.unlisted"}) {
            model.reportCondition(tag, true, kRun, at(1s));
        }
        model.reportCondition("b.returned", false, kRun, at(2s));
        model.acknowledge("c.acked", kEngineer, "", at(2s));
        model.shelve("e.shelved", 1h, kEngineer, "testing", at(2s));
        (void)model.takeEvents();

        const std::vector<std::string> shownList{"a.active", "b.returned", "c.acked", "d.normal", "e.shelved",
                                                 "a.active"};
        QCOMPARE(model.acknowledgeAll(shownList, kTechnician, "shift handover", at(3s)), std::size_t{2});
        QCOMPARE(model.status("a.active")->state, AlarmState::Acknowledged);
        QCOMPARE(model.status("b.returned")->state, AlarmState::Normal);
        QCOMPARE(model.status("c.acked")->acknowledgement->actor, kEngineer);
        QCOMPARE(model.status("e.shelved")->trackedState, AlarmState::Unacknowledged);
        QCOMPARE(model.status("f.unlisted")->state, AlarmState::Unacknowledged);
        const std::vector<AlarmEvent> events = model.takeEvents();
        QCOMPARE(events.size(), std::size_t{2});
        for (const AlarmEvent &event : events) {
            QCOMPARE(event.kind, AlarmEventKind::Acknowledged);
            QCOMPARE(event.actor, std::optional(kTechnician));
            QCOMPARE(event.comment, std::string("shift handover"));
        }
    }

    void acknowledgeAllWithAnUnknownTagAcknowledgesNone()
    {
        AlarmModel model = makeModel();
        model.reportCondition(kVacuum, true, kRun, kNow);
        const std::vector<std::string> shownList{kVacuum, "no.such"};
        const AlarmCommandError error =
            refused(model, [&] { (void)model.acknowledgeAll(shownList, kTechnician, "", kNow); });
        QCOMPARE(error.tag(), std::string("no.such"));
        QCOMPARE(error.reason(),
                 std::string("no alarm with this tag is defined; none of the listed alarms was acknowledged"));
    }

    void acknowledgeAllWithoutAUserAcknowledgesNone()
    {
        AlarmModel model = makeModel();
        model.reportCondition(kVacuum, true, kRun, kNow);
        const std::vector<std::string> shownList{kVacuum};
        const AlarmCommandError error =
            refused(model, [&] { (void)model.acknowledgeAll(shownList, AlarmActor{}, "", kNow); });
        QCOMPARE(std::string(error.what()), std::string("cannot acknowledge all listed alarms: the command names no user"));
    }
};

QTEST_GUILESS_MAIN(AlarmModelCommandsTest)
#include "alarm_model_commands_test.moc"
