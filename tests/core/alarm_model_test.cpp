#include <QTest>

#include <string>
#include <vector>

#include <waferscope/core/alarms/alarm_command_error.h>
#include <waferscope/core/alarms/alarm_model.h>
#include <waferscope/core/validation_error.h>

#include "alarm_fixtures.h"

using waferscope::core::AlarmCommandError;
using waferscope::core::AlarmDefinition;
using waferscope::core::AlarmEvent;
using waferscope::core::AlarmEventKind;
using waferscope::core::AlarmFloodPolicy;
using waferscope::core::AlarmModel;
using waferscope::core::AlarmPriority;
using waferscope::core::AlarmState;
using waferscope::core::AlarmStatus;
using waferscope::core::RunId;
using waferscope::core::ValidationError;
using namespace waferscope::testing::alarms;

namespace {

const std::string kVacuum = "vacuum.low";       // high, not latching
const std::string kStage = "stage.limit";       // critical, latching
const std::string kLamp = "illumination.drift"; // low, not latching
const RunId kRun{7};

AlarmModel makeModel()
{
    AlarmDefinition stage = definition(kStage, AlarmPriority::Critical);
    stage.isLatching = true;
    return AlarmModel({definition(kVacuum, AlarmPriority::High), stage, definition(kLamp, AlarmPriority::Low)});
}

AlarmState shown(const AlarmModel &model, const std::string &tag)
{
    return model.status(tag)->state;
}

AlarmState tracked(const AlarmModel &model, const std::string &tag)
{
    return model.status(tag)->trackedState;
}

/// The one event the model made since the last take; fails the test on any other number.
AlarmEvent onlyEvent(AlarmModel &model)
{
    std::vector<AlarmEvent> events = model.takeEvents();
    if (events.size() != 1) {
        QTest::qFail(("expected one event, got " + std::to_string(events.size())).c_str(), __FILE__, __LINE__);
        return {};
    }
    return events.front();
}

/// The reason `command` is refused with; fails the test when it is not refused.
template<typename Command>
std::string refusal(Command command)
{
    try {
        command();
    } catch (const AlarmCommandError &error) {
        return error.reason();
    }
    QTest::qFail("the command was not refused", __FILE__, __LINE__);
    return {};
}

} // namespace

class AlarmModelTest : public QObject
{
    Q_OBJECT

private slots:
    void startsWithEveryAlarmNormalInDefinitionOrder()
    {
        const AlarmModel model = makeModel();
        const std::vector<AlarmStatus> alarms = model.alarms();
        QCOMPARE(alarms.size(), std::size_t{3});
        QCOMPARE(alarms[0].definition.tag, kVacuum);
        QCOMPARE(alarms[1].definition.tag, kStage);
        QCOMPARE(alarms[2].definition.tag, kLamp);
        for (const AlarmStatus &status : alarms) {
            QCOMPARE(status.state, AlarmState::Normal);
            QVERIFY(!status.isUnacknowledged);
        }
        QCOMPARE(model.count(AlarmState::Normal), std::size_t{3});
        QVERIFY(!model.banner().has_value());
        QVERIFY(!model.flood().isFlooding);
    }

    // Tracked states, one transition a slot.

    void normalActivatesToUnacknowledged()
    {
        AlarmModel model = makeModel();
        model.reportCondition(kVacuum, true, kRun, at(1s));
        QCOMPARE(shown(model, kVacuum), AlarmState::Unacknowledged);
        QVERIFY(model.status(kVacuum)->isUnacknowledged);
        QCOMPARE(model.status(kVacuum)->activatedAt, std::optional<AlarmTime>(at(1s)));
        const AlarmEvent event = onlyEvent(model);
        QCOMPARE(event.kind, AlarmEventKind::Activated);
        QCOMPARE(event.tag, kVacuum);
        QCOMPARE(event.priority, AlarmPriority::High);
        QCOMPARE(event.from, AlarmState::Normal);
        QCOMPARE(event.to, AlarmState::Unacknowledged);
        QVERIFY(event.at == at(1s));
        QCOMPARE(event.runId, kRun);
        QVERIFY(!event.actor.has_value());
    }

    void unacknowledgedAcknowledgesToAcknowledged()
    {
        AlarmModel model = makeModel();
        model.reportCondition(kVacuum, true, kRun, at(1s));
        (void)model.takeEvents();
        model.acknowledge(kVacuum, kTechnician, "checking the pump", at(2s));
        QCOMPARE(shown(model, kVacuum), AlarmState::Acknowledged);
        QVERIFY(!model.status(kVacuum)->isUnacknowledged);
        const AlarmEvent event = onlyEvent(model);
        QCOMPARE(event.kind, AlarmEventKind::Acknowledged);
        QCOMPARE(event.from, AlarmState::Unacknowledged);
        QCOMPARE(event.to, AlarmState::Acknowledged);
    }

    void acknowledgedReturnsToNormal()
    {
        AlarmModel model = makeModel();
        model.reportCondition(kVacuum, true, kRun, at(1s));
        model.acknowledge(kVacuum, kTechnician, "", at(2s));
        (void)model.takeEvents();
        model.reportCondition(kVacuum, false, kRun, at(3s));
        QCOMPARE(shown(model, kVacuum), AlarmState::Normal);
        const AlarmEvent event = onlyEvent(model);
        QCOMPARE(event.kind, AlarmEventKind::ReturnedToNormal);
        QCOMPARE(event.from, AlarmState::Acknowledged);
        QCOMPARE(event.to, AlarmState::Normal);
    }

    void unacknowledgedReturnsToReturnedUnacknowledged()
    {
        AlarmModel model = makeModel();
        model.reportCondition(kVacuum, true, kRun, at(1s));
        (void)model.takeEvents();
        model.reportCondition(kVacuum, false, kRun, at(3s));
        QCOMPARE(shown(model, kVacuum), AlarmState::ReturnedUnacknowledged);
        QVERIFY(model.status(kVacuum)->isUnacknowledged);
        const AlarmEvent event = onlyEvent(model);
        QCOMPARE(event.kind, AlarmEventKind::ReturnedToNormal);
        QCOMPARE(event.from, AlarmState::Unacknowledged);
        QCOMPARE(event.to, AlarmState::ReturnedUnacknowledged);
    }

    void returnedUnacknowledgedAcknowledgesToNormal()
    {
        AlarmModel model = makeModel();
        model.reportCondition(kVacuum, true, kRun, at(1s));
        model.reportCondition(kVacuum, false, kRun, at(3s));
        (void)model.takeEvents();
        model.acknowledge(kVacuum, kTechnician, "", at(4s));
        QCOMPARE(shown(model, kVacuum), AlarmState::Normal);
        const AlarmEvent event = onlyEvent(model);
        QCOMPARE(event.kind, AlarmEventKind::Acknowledged);
        QCOMPARE(event.from, AlarmState::ReturnedUnacknowledged);
        QCOMPARE(event.to, AlarmState::Normal);
    }

    void returnedUnacknowledgedActivatesToUnacknowledged()
    {
        AlarmModel model = makeModel();
        model.reportCondition(kVacuum, true, kRun, at(1s));
        model.reportCondition(kVacuum, false, kRun, at(3s));
        (void)model.takeEvents();
        model.reportCondition(kVacuum, true, kRun, at(5s));
        QCOMPARE(shown(model, kVacuum), AlarmState::Unacknowledged);
        QCOMPARE(model.status(kVacuum)->activatedAt, std::optional<AlarmTime>(at(5s)));
        const AlarmEvent event = onlyEvent(model);
        QCOMPARE(event.kind, AlarmEventKind::Activated);
        QCOMPARE(event.from, AlarmState::ReturnedUnacknowledged);
        QCOMPARE(event.to, AlarmState::Unacknowledged);
    }

    // Latching.

    void latchingUnacknowledgedReturnsToLatchedAndUnacknowledged()
    {
        AlarmModel model = makeModel();
        model.reportCondition(kStage, true, kRun, at(1s));
        (void)model.takeEvents();
        model.reportCondition(kStage, false, kRun, at(2s));
        QCOMPARE(shown(model, kStage), AlarmState::Latched);
        QVERIFY(model.status(kStage)->isUnacknowledged);
        const AlarmEvent event = onlyEvent(model);
        QCOMPARE(event.kind, AlarmEventKind::ReturnedToNormal);
        QCOMPARE(event.from, AlarmState::Unacknowledged);
        QCOMPARE(event.to, AlarmState::Latched);
    }

    void acknowledgingALatchedAlarmKeepsItLatchedUntilReset()
    {
        AlarmModel model = makeModel();
        model.reportCondition(kStage, true, kRun, at(1s));
        model.reportCondition(kStage, false, kRun, at(2s));
        (void)model.takeEvents();

        model.acknowledge(kStage, kTechnician, "limit switch cleared", at(3s));
        QCOMPARE(shown(model, kStage), AlarmState::Latched);
        QVERIFY(!model.status(kStage)->isUnacknowledged);
        const AlarmEvent acknowledged = onlyEvent(model);
        QCOMPARE(acknowledged.kind, AlarmEventKind::Acknowledged);
        QCOMPARE(acknowledged.from, AlarmState::Latched);
        QCOMPARE(acknowledged.to, AlarmState::Latched);

        model.update(at(1h));
        QCOMPARE(shown(model, kStage), AlarmState::Latched);

        model.reset(kStage, kTechnician, "stage homed", at(1h));
        QCOMPARE(shown(model, kStage), AlarmState::Normal);
        const AlarmEvent reset = onlyEvent(model);
        QCOMPARE(reset.kind, AlarmEventKind::Reset);
        QCOMPARE(reset.from, AlarmState::Latched);
        QCOMPARE(reset.to, AlarmState::Normal);
        QCOMPARE(reset.actor, std::optional(kTechnician));
        QCOMPARE(reset.comment, std::string("stage homed"));
    }

    void latchingAcknowledgedReturnsToLatchedAndAcknowledged()
    {
        AlarmModel model = makeModel();
        model.reportCondition(kStage, true, kRun, at(1s));
        model.acknowledge(kStage, kTechnician, "", at(2s));
        (void)model.takeEvents();
        model.reportCondition(kStage, false, kRun, at(3s));
        QCOMPARE(shown(model, kStage), AlarmState::Latched);
        QVERIFY(!model.status(kStage)->isUnacknowledged);
        const AlarmEvent event = onlyEvent(model);
        QCOMPARE(event.from, AlarmState::Acknowledged);
        QCOMPARE(event.to, AlarmState::Latched);

        model.reset(kStage, kTechnician, "", at(4s));
        QCOMPARE(shown(model, kStage), AlarmState::Normal);
    }

    void latchedActivatesToUnacknowledged()
    {
        AlarmModel model = makeModel();
        model.reportCondition(kStage, true, kRun, at(1s));
        model.acknowledge(kStage, kTechnician, "", at(2s));
        model.reportCondition(kStage, false, kRun, at(3s));
        (void)model.takeEvents();
        model.reportCondition(kStage, true, kRun, at(4s));
        QCOMPARE(shown(model, kStage), AlarmState::Unacknowledged);
        QVERIFY(model.status(kStage)->isUnacknowledged);
        const AlarmEvent event = onlyEvent(model);
        QCOMPARE(event.kind, AlarmEventKind::Activated);
        QCOMPARE(event.from, AlarmState::Latched);
        QCOMPARE(event.to, AlarmState::Unacknowledged);
    }

    void resetIsRefusedWhileActiveBeforeAcknowledgeAndForAlarmsThatDoNotLatch()
    {
        AlarmModel model = makeModel();
        QCOMPARE(refusal([&] { model.reset(kStage, kTechnician, "", at(0s)); }), std::string("it is not latched"));
        model.reportCondition(kStage, true, kRun, at(1s));
        QCOMPARE(refusal([&] { model.reset(kStage, kTechnician, "", at(1s)); }),
                 std::string("its condition is still active; it can be reset only after it returns to normal"));
        model.reportCondition(kStage, false, kRun, at(2s));
        QCOMPARE(refusal([&] { model.reset(kStage, kTechnician, "", at(2s)); }),
                 std::string("it is not acknowledged yet; acknowledge it before resetting it"));
        QCOMPARE(shown(model, kStage), AlarmState::Latched);

        model.reportCondition(kVacuum, true, kRun, at(3s));
        model.reportCondition(kVacuum, false, kRun, at(4s));
        QCOMPARE(refusal([&] { model.reset(kVacuum, kTechnician, "", at(4s)); }),
                 std::string("it does not latch, so there is nothing to reset"));
        QCOMPARE(shown(model, kVacuum), AlarmState::ReturnedUnacknowledged);
    }

    // Shown states.

    void shownStateIsOutOfServiceOverSuppressedOverShelvedOverTracked()
    {
        AlarmModel model = makeModel();
        model.reportCondition(kVacuum, true, kRun, at(1s));
        model.shelve(kVacuum, 1h, kTechnician, "pump swap", at(2s));
        QCOMPARE(shown(model, kVacuum), AlarmState::Shelved);
        model.suppress(kVacuum, "maintenance", at(3s));
        QCOMPARE(shown(model, kVacuum), AlarmState::Suppressed);
        model.removeFromService(kVacuum, kTechnician, "sensor broken", at(4s));
        QCOMPARE(shown(model, kVacuum), AlarmState::OutOfService);

        model.unsuppress(kVacuum, at(5s));
        QCOMPARE(shown(model, kVacuum), AlarmState::OutOfService);
        model.returnToService(kVacuum, kTechnician, "sensor replaced", at(6s));
        QCOMPARE(shown(model, kVacuum), AlarmState::Shelved);
        model.unshelve(kVacuum, kTechnician, "", at(7s));
        QCOMPARE(shown(model, kVacuum), AlarmState::Unacknowledged);
        QCOMPARE(tracked(model, kVacuum), AlarmState::Unacknowledged);

        const std::vector<AlarmEvent> events = model.takeEvents();
        QCOMPARE(kinds(events), (std::vector{AlarmEventKind::Activated, AlarmEventKind::Shelved,
                                             AlarmEventKind::Suppressed, AlarmEventKind::RemovedFromService,
                                             AlarmEventKind::Unsuppressed, AlarmEventKind::ReturnedToService,
                                             AlarmEventKind::Unshelved}));
        QCOMPARE(events[1].from, AlarmState::Unacknowledged);
        QCOMPARE(events[1].to, AlarmState::Shelved);
        QCOMPARE(events[4].from, AlarmState::OutOfService);
        QCOMPARE(events[4].to, AlarmState::OutOfService);
        QCOMPARE(events[6].from, AlarmState::Shelved);
        QCOMPARE(events[6].to, AlarmState::Unacknowledged);
        for (const AlarmEvent &event : events) {
            QCOMPARE(event.trackedTo, AlarmState::Unacknowledged);
        }
    }

    void shelvedAlarmTracksItsConditionWithoutAnnunciating()
    {
        AlarmModel model = makeModel();
        model.shelve(kVacuum, 1h, kTechnician, "pump swap", at(0s));
        (void)model.takeEvents();

        model.reportCondition(kVacuum, true, kRun, at(1s));
        const AlarmStatus status = *model.status(kVacuum);
        QCOMPARE(status.state, AlarmState::Shelved);
        QCOMPARE(status.trackedState, AlarmState::Unacknowledged);
        QVERIFY(!status.isAnnunciated());
        QVERIFY(!model.banner().has_value());
        QCOMPARE(model.count(AlarmState::Unacknowledged), std::size_t{0});
        const AlarmEvent event = onlyEvent(model);
        QCOMPARE(event.kind, AlarmEventKind::Activated);
        QCOMPARE(event.from, AlarmState::Shelved);
        QCOMPARE(event.to, AlarmState::Shelved);
        QCOMPARE(event.trackedFrom, AlarmState::Normal);
        QCOMPARE(event.trackedTo, AlarmState::Unacknowledged);

        model.reportCondition(kVacuum, false, kRun, at(2s));
        QCOMPARE(tracked(model, kVacuum), AlarmState::ReturnedUnacknowledged);
        model.reportCondition(kVacuum, true, kRun, at(3s));
        QCOMPARE(tracked(model, kVacuum), AlarmState::Unacknowledged);

        model.unshelve(kVacuum, kTechnician, "", at(4s));
        QCOMPARE(shown(model, kVacuum), AlarmState::Unacknowledged);
        QVERIFY(model.status(kVacuum)->isAnnunciated());
        QCOMPARE(model.banner()->definition.tag, kVacuum);
    }

    void suppressedAlarmTracksItsConditionWithoutAnnunciating()
    {
        AlarmModel model = makeModel();
        model.suppress(kStage, "machine in maintenance", at(0s));
        model.reportCondition(kStage, true, kRun, at(1s));
        const AlarmStatus status = *model.status(kStage);
        QCOMPARE(status.state, AlarmState::Suppressed);
        QCOMPARE(status.trackedState, AlarmState::Unacknowledged);
        QCOMPARE(status.suppressedSince, std::optional<AlarmTime>(at(0s)));
        QCOMPARE(status.suppressionReason, std::string("machine in maintenance"));
        QVERIFY(!status.isAnnunciated());
        QVERIFY(!model.banner().has_value());

        model.reportCondition(kStage, false, kRun, at(2s));
        QCOMPARE(tracked(model, kStage), AlarmState::Latched);

        model.unsuppress(kStage, at(3s));
        QCOMPARE(shown(model, kStage), AlarmState::Latched);
        QVERIFY(model.status(kStage)->isAnnunciated());
        QVERIFY(model.status(kStage)->suppressionReason.empty());
    }

    void outOfServiceAlarmTracksItsConditionWithoutAnnunciating()
    {
        AlarmModel model = makeModel();
        model.removeFromService(kVacuum, kTechnician, "gauge under repair", at(0s));
        model.reportCondition(kVacuum, true, kRun, at(1s));
        const AlarmStatus status = *model.status(kVacuum);
        QCOMPARE(status.state, AlarmState::OutOfService);
        QCOMPARE(status.trackedState, AlarmState::Unacknowledged);
        QVERIFY(!status.isAnnunciated());
        QVERIFY(!model.banner().has_value());
        QCOMPARE(model.count(AlarmState::OutOfService), std::size_t{1});

        model.returnToService(kVacuum, kTechnician, "gauge replaced", at(2s));
        QCOMPARE(shown(model, kVacuum), AlarmState::Unacknowledged);
        QCOMPARE(model.banner()->definition.tag, kVacuum);
    }

    void hiddenAlarmCannotBeAcknowledgedOrReset()
    {
        AlarmModel model = makeModel();
        model.reportCondition(kVacuum, true, kRun, at(1s));
        model.shelve(kVacuum, 1h, kTechnician, "pump swap", at(1s));
        QCOMPARE(refusal([&] { model.acknowledge(kVacuum, kTechnician, "", at(1s)); }),
                 std::string("it is shelved, so it is not shown; only a shown alarm can be acknowledged"));

        model.reportCondition(kStage, true, kRun, at(1s));
        model.reportCondition(kStage, false, kRun, at(1s));
        model.suppress(kStage, "maintenance", at(1s));
        QCOMPARE(refusal([&] { model.acknowledge(kStage, kTechnician, "", at(1s)); }),
                 std::string("it is suppressed, so it is not shown; only a shown alarm can be acknowledged"));
        model.unsuppress(kStage, at(1s));
        model.acknowledge(kStage, kTechnician, "", at(1s));
        model.removeFromService(kStage, kTechnician, "limit switch replaced", at(1s));
        QCOMPARE(refusal([&] { model.reset(kStage, kTechnician, "", at(1s)); }),
                 std::string("it is out of service, so it is not shown; only a shown alarm can be reset"));

        QCOMPARE(tracked(model, kVacuum), AlarmState::Unacknowledged);
        QCOMPARE(tracked(model, kStage), AlarmState::Latched);
    }

    // Events.

    void everyChangeIsAnEventNumberedInOrderUntilTaken()
    {
        AlarmModel model = makeModel();
        model.reportCondition(kVacuum, true, kRun, at(1s));
        model.acknowledge(kVacuum, kTechnician, "", at(2s));
        model.reportCondition(kVacuum, false, kRun, at(3s));
        const std::vector<AlarmEvent> first = model.takeEvents();
        QCOMPARE(kinds(first), (std::vector{AlarmEventKind::Activated, AlarmEventKind::Acknowledged,
                                            AlarmEventKind::ReturnedToNormal}));
        for (std::size_t i = 0; i < first.size(); ++i) {
            QCOMPARE(first[i].sequence, std::uint64_t{i + 1});
        }
        QVERIFY(model.takeEvents().empty());

        model.reportCondition(kLamp, true, kRun, at(4s));
        const std::vector<AlarmEvent> second = model.takeEvents();
        QCOMPARE(second.size(), std::size_t{1});
        QCOMPARE(second.front().sequence, std::uint64_t{4});
    }

    void repeatingTheSameConditionMakesNoEvent()
    {
        AlarmModel model = makeModel();
        model.reportCondition(kVacuum, true, kRun, at(1s));
        (void)model.takeEvents();
        model.reportCondition(kVacuum, true, kRun, at(2s));
        model.update(at(3s));
        QVERIFY(model.takeEvents().empty());
    }

    void eventsCarryTheRunOfTheActivationUntilTheAlarmIsNormalAgain()
    {
        AlarmModel model = makeModel();
        model.reportCondition(kVacuum, true, kRun, at(1s));
        QCOMPARE(model.status(kVacuum)->runId, kRun);
        // A condition that ends is reported outside the run: the events still belong to it.
        model.reportCondition(kVacuum, false, RunId(), at(2s));
        model.acknowledge(kVacuum, kTechnician, "", at(3s));
        model.shelve(kVacuum, 1h, kTechnician, "pump swap", at(4s));
        const std::vector<AlarmEvent> events = model.takeEvents();
        QCOMPARE(kinds(events), (std::vector{AlarmEventKind::Activated, AlarmEventKind::ReturnedToNormal,
                                             AlarmEventKind::Acknowledged, AlarmEventKind::Shelved}));
        QCOMPARE(events[0].runId, kRun);
        QCOMPARE(events[1].runId, kRun);
        QCOMPARE(events[2].runId, kRun);
        QVERIFY(!events[3].runId.isValid());
        QVERIFY(!model.status(kVacuum)->runId.isValid());
        QVERIFY(!model.status(kVacuum)->activatedAt.has_value());
    }

    void activationTakesTheRunOfTheLatestActiveReport()
    {
        AlarmDefinition slow = definition(kVacuum);
        slow.onDelay = 5s;
        AlarmModel model({slow});
        model.reportCondition(kVacuum, true, RunId(1), at(0s));
        model.reportCondition(kVacuum, true, RunId(2), at(3s));
        model.update(at(5s));
        QCOMPARE(onlyEvent(model).runId, RunId(2));
    }

    void anActivationOutsideAnyRunCarriesNoRun()
    {
        AlarmModel model = makeModel();
        model.reportCondition(kVacuum, true, RunId(), at(1s));
        QVERIFY(!onlyEvent(model).runId.isValid());
        QCOMPARE(shown(model, kVacuum), AlarmState::Unacknowledged);
    }

    // Queries.

    void bannerShowsTheMostUrgentUnacknowledgedAlarm()
    {
        AlarmModel model = makeModel();
        model.reportCondition(kLamp, true, kRun, at(1s));
        QCOMPARE(model.banner()->definition.tag, kLamp);
        model.reportCondition(kVacuum, true, kRun, at(2s));
        QCOMPARE(model.banner()->definition.tag, kVacuum);
        model.reportCondition(kStage, true, kRun, at(3s));
        QCOMPARE(model.banner()->definition.tag, kStage);
        model.acknowledge(kStage, kTechnician, "", at(4s));
        QCOMPARE(model.banner()->definition.tag, kVacuum);
    }

    void bannerPrefersTheAlarmThatHasWaitedLongestThenTheOneDefinedFirst()
    {
        AlarmModel model({definition("a.first", AlarmPriority::High), definition("b.second", AlarmPriority::High),
                          definition("c.third", AlarmPriority::High)});
        model.reportCondition("c.third", true, kRun, at(1s));
        model.reportCondition("b.second", true, kRun, at(2s));
        QCOMPARE(model.banner()->definition.tag, std::string("c.third"));
        model.acknowledge("c.third", kTechnician, "", at(3s));
        model.reportCondition("a.first", true, kRun, at(2s)); // counts as 3 s, the latest time given
        QCOMPARE(model.banner()->definition.tag, std::string("b.second"));

        AlarmModel tied({definition("a.first", AlarmPriority::High), definition("b.second", AlarmPriority::High)});
        tied.reportCondition("b.second", true, kRun, at(1s));
        tied.reportCondition("a.first", true, kRun, at(1s));
        QCOMPARE(tied.banner()->definition.tag, std::string("a.first"));
    }

    void bannerSkipsAcknowledgedReturnedLatchedAndHiddenAlarms()
    {
        AlarmModel model = makeModel();
        model.reportCondition(kVacuum, true, kRun, at(1s));
        model.reportCondition(kVacuum, false, kRun, at(2s)); // returned, unacknowledged
        model.reportCondition(kStage, true, kRun, at(3s));
        model.reportCondition(kStage, false, kRun, at(4s)); // latched, unacknowledged
        model.reportCondition(kLamp, true, kRun, at(5s));
        model.acknowledge(kLamp, kTechnician, "", at(6s));
        QVERIFY(!model.banner().has_value());
    }

    void countTalliesAlarmsByShownState()
    {
        AlarmModel model = makeModel();
        model.reportCondition(kVacuum, true, kRun, at(1s));
        model.reportCondition(kLamp, true, kRun, at(1s));
        model.suppress(kLamp, "lamp warming up", at(1s));
        QCOMPARE(model.count(AlarmState::Unacknowledged), std::size_t{1});
        QCOMPARE(model.count(AlarmState::Suppressed), std::size_t{1});
        QCOMPARE(model.count(AlarmState::Normal), std::size_t{1});
        QCOMPARE(model.count(AlarmState::Acknowledged), std::size_t{0});
    }

    void statusOfAnUnknownTagIsNothing()
    {
        const AlarmModel model = makeModel();
        QVERIFY(!model.status("no.such").has_value());
    }

    void snapshotsAndEventsStayAsTheyWereWhenTheModelChangesOrGoes()
    {
        std::optional<AlarmModel> model = makeModel();
        model->reportCondition(kVacuum, true, kRun, at(1s));
        const AlarmStatus before = *model->status(kVacuum);
        const std::vector<AlarmEvent> events = model->takeEvents();
        model->acknowledge(kVacuum, kTechnician, "", at(2s));
        model.reset();
        QCOMPARE(before.state, AlarmState::Unacknowledged);
        QVERIFY(!before.acknowledgement.has_value());
        QCOMPARE(events.front().tag, kVacuum);
    }

    void aMovedModelKeepsItsAlarmsAndEvents()
    {
        AlarmModel model = makeModel();
        model.reportCondition(kVacuum, true, kRun, at(1s));
        AlarmModel moved = std::move(model);
        QCOMPARE(shown(moved, kVacuum), AlarmState::Unacknowledged);
        QCOMPARE(moved.takeEvents().size(), std::size_t{1});
    }

    void constructionNamesEveryInvalidDefinitionDuplicateTagAndPolicyField()
    {
        AlarmDefinition noSource = definition("vacuum.low");
        noSource.source.clear();
        AlarmDefinition noTag = definition("x");
        noTag.tag.clear();
        try {
            AlarmModel model({noSource, definition("stage.limit"), definition("stage.limit"), noTag},
                             AlarmFloodPolicy{0, 10min});
        } catch (const ValidationError &error) {
            QCOMPARE(error.subject(), std::string("alarm model"));
            QCOMPARE(error.problemWith("alarm 'vacuum.low' source"), std::string_view("is empty"));
            QCOMPARE(error.problemWith("alarm 'stage.limit'"),
                     std::string_view("is defined twice, as alarm #2 and alarm #3"));
            QCOMPARE(error.problemWith("alarm #4 tag"), std::string_view("is empty"));
            QCOMPARE(error.problemWith("flood policy threshold"), std::string_view("is 0, so a flood could never end"));
            QCOMPARE(error.issues().size(), std::size_t{4});
            return;
        }
        QFAIL("the model accepted invalid definitions");
    }
};

QTEST_GUILESS_MAIN(AlarmModelTest)
#include "alarm_model_test.moc"
