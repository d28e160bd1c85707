#include <QTest>

#include <chrono>
#include <string>

#include <waferscope/hardware/sim/fault_kind.h>
#include <waferscope/hardware/sim/fault_spec.h>
#include <waferscope/hardware/sim/fault_spec_error.h>

using namespace std::chrono_literals;
using namespace waferscope::hardware::sim;

namespace {

struct Failure {
    std::string key;
    std::string problem;
};

Failure failureOf(std::string_view text)
{
    try {
        static_cast<void>(FaultSpec::parse(text));
    } catch (const FaultSpecError &e) {
        return {e.key(), e.problem()};
    }
    return {"(accepted)", {}};
}

bool contains(const std::string &text, std::string_view part)
{
    return text.find(part) != std::string::npos;
}

} // namespace

class FaultSpecTest : public QObject
{
    Q_OBJECT

private slots:
    void parsesTheExampleFromTheCommandLine()
    {
        const FaultSpec spec = FaultSpec::parse("vacuum-drop:start=10s,duration=5s,kpa=20");
        QCOMPARE(spec.kind, FaultKind::VacuumDrop);
        QVERIFY(spec.start == 10s);
        QVERIFY(spec.duration == 5s);
        QCOMPARE(spec.kpa, 20.0);
        QVERIFY(spec.end() == 15s);
    }

    void parsesEveryKindWithItsParameter()
    {
        QCOMPARE(FaultSpec::parse("heartbeat-stop:start=1s,duration=2s").kind, FaultKind::HeartbeatStop);
        QCOMPARE(FaultSpec::parse("camera-disconnect:start=1s,duration=2s").kind, FaultKind::CameraDisconnect);
        QCOMPARE(FaultSpec::parse("encoder-error:start=1s,duration=2s").kind, FaultKind::EncoderError);
        QCOMPARE(FaultSpec::parse("frame-loss:start=1s,duration=2s,fraction=0.25").fraction, 0.25);
        QVERIFY(FaultSpec::parse("frame-jitter:start=1s,duration=2s,max=15ms").maxDelay == 15ms);
        QCOMPARE(FaultSpec::parse("following-error:start=1s,duration=2s,um=12.5").followingErrorUm, 12.5);
        QCOMPARE(FaultSpec::parse("illumination-degrade:start=1s,duration=2s,factor=0.6").intensityFactor, 0.6);
    }

    void parametersHaveDefaults()
    {
        QCOMPARE(FaultSpec::parse("vacuum-drop:start=0s,duration=1s").kpa, 20.0);
        QCOMPARE(FaultSpec::parse("frame-loss:start=0s,duration=1s").fraction, 1.0);
        QVERIFY(FaultSpec::parse("frame-jitter:start=0s,duration=1s").maxDelay == 30ms);
        QCOMPARE(FaultSpec::parse("following-error:start=0s,duration=1s").followingErrorUm, 50.0);
        QCOMPARE(FaultSpec::parse("illumination-degrade:start=0s,duration=1s").intensityFactor, 0.5);
    }

    void timesTakeEveryUnitAndFractions()
    {
        QVERIFY(FaultSpec::parse("encoder-error:start=250ms,duration=1.5s").start == 250ms);
        QVERIFY(FaultSpec::parse("encoder-error:start=250ms,duration=1.5s").duration == 1500ms);
        QVERIFY(FaultSpec::parse("encoder-error:start=2min,duration=1h").start == 120s);
        QVERIFY(FaultSpec::parse("encoder-error:start=2min,duration=1h").duration == 3600s);
        QVERIFY(FaultSpec::parse("encoder-error:start=7us,duration=9ns").start == 7us);
        QVERIFY(FaultSpec::parse("encoder-error:start=7us,duration=9ns").duration == 9ns);
    }

    void keysMayComeInAnyOrder()
    {
        QVERIFY(FaultSpec::parse("vacuum-drop:kpa=30,duration=5s,start=10s") ==
                FaultSpec::parse("vacuum-drop:start=10s,duration=5s,kpa=30"));
    }

    void toStringReadsBackToAnEqualSpec()
    {
        for (const char *text : {"vacuum-drop:start=10s,duration=5s,kpa=20.5", "frame-jitter:start=1500ms,duration=2min,max=7ms",
                                 "heartbeat-stop:start=0s,duration=1h", "frame-loss:start=3us,duration=1s,fraction=0.125",
                                 "illumination-degrade:start=1s,duration=1s,factor=0.3",
                                 "following-error:start=1s,duration=1s,um=80", "camera-disconnect:start=9s,duration=3s",
                                 "encoder-error:start=1ns,duration=1s"}) {
            const FaultSpec spec = FaultSpec::parse(text);
            QCOMPARE(FaultSpec::parse(spec.toString()), spec);
        }
        QCOMPARE(FaultSpec::parse("vacuum-drop:start=10s,duration=5s,kpa=20").toString(),
                 std::string("vacuum-drop:start=10s,duration=5s,kpa=20"));
    }

    void isActiveFromStartUntilJustBeforeTheEnd()
    {
        const FaultSpec spec = FaultSpec::parse("encoder-error:start=10s,duration=5s");
        QVERIFY(!spec.isActiveAt(10s - 1ns));
        QVERIFY(spec.isActiveAt(10s));
        QVERIFY(spec.isActiveAt(15s - 1ns));
        QVERIFY(!spec.isActiveAt(15s));
    }

    void unknownKindIsNamedWithTheKnownKinds()
    {
        const Failure f = failureOf("vacum-drop:start=1s,duration=1s");
        QCOMPARE(f.key, std::string("kind"));
        QVERIFY(contains(f.problem, "unknown fault kind 'vacum-drop'"));
        for (const FaultKind kind : kAllFaultKinds) {
            QVERIFY(contains(f.problem, toText(kind)));
        }
    }

    void emptySpecSaysWhatIsExpected()
    {
        const Failure f = failureOf("");
        QCOMPARE(f.key, std::string("kind"));
        QVERIFY(contains(f.problem, "<kind>:start=<time>,duration=<time>"));
    }

    void kindWithoutTimingSaysHowToWriteIt()
    {
        const Failure f = failureOf("vacuum-drop");
        QCOMPARE(f.key, std::string("start"));
        QVERIFY(contains(f.problem, "vacuum-drop:start=<time>,duration=<time>"));
    }

    void missingStartOrDurationIsNamed()
    {
        QCOMPARE(failureOf("vacuum-drop:duration=5s").key, std::string("start"));
        QCOMPARE(failureOf("vacuum-drop:duration=5s").problem, std::string("is missing"));
        QCOMPARE(failureOf("vacuum-drop:start=5s").key, std::string("duration"));
    }

    void badTimeNamesTheKeyAndShowsTheUnits()
    {
        const Failure f = failureOf("vacuum-drop:start=10s,duration=5q");
        QCOMPARE(f.key, std::string("duration"));
        QVERIFY(contains(f.problem, "'5q' is not a time"));
        QVERIFY(contains(f.problem, "ns, us, ms, s, min or h"));
        QVERIFY(contains(failureOf("vacuum-drop:start=10,duration=5s").problem, "'10' is not a time"));
        QVERIFY(contains(failureOf("vacuum-drop:start=s,duration=5s").problem, "'s' is not a time"));
    }

    void negativeStartIsRejected()
    {
        const Failure f = failureOf("vacuum-drop:start=-1s,duration=5s");
        QCOMPARE(f.key, std::string("start"));
        QVERIFY(contains(f.problem, "negative"));
    }

    void zeroDurationIsRejected()
    {
        const Failure f = failureOf("vacuum-drop:start=1s,duration=0s");
        QCOMPARE(f.key, std::string("duration"));
        QCOMPARE(f.problem, std::string("must be longer than zero"));
    }

    void keyGivenTwiceIsRejected()
    {
        const Failure f = failureOf("vacuum-drop:start=1s,start=2s,duration=1s");
        QCOMPARE(f.key, std::string("start"));
        QCOMPARE(f.problem, std::string("is given twice"));
    }

    void parameterOfAnotherKindIsNamedWithTheKeysThisKindTakes()
    {
        const Failure f = failureOf("heartbeat-stop:start=1s,duration=1s,kpa=20");
        QCOMPARE(f.key, std::string("kpa"));
        QCOMPARE(f.problem, std::string("does not apply to heartbeat-stop (it takes start, duration)"));
    }

    void unknownKeyIsNamedWithTheKeysThisKindTakes()
    {
        const Failure f = failureOf("vacuum-drop:start=1s,duration=1s,pressure=20");
        QCOMPARE(f.key, std::string("pressure"));
        QCOMPARE(f.problem, std::string("is not a key of vacuum-drop (it takes start, duration, kpa)"));
    }

    void itemWithoutEqualsOrValueIsRejected()
    {
        QVERIFY(contains(failureOf("vacuum-drop:start=1s,duration").problem, "expected key=value"));
        QCOMPARE(failureOf("vacuum-drop:start=1s,duration=").problem, std::string("has no value"));
        QCOMPARE(failureOf("vacuum-drop:start=1s,duration=1s,").key, std::string("syntax"));
        QCOMPARE(failureOf("vacuum-drop:start=1s,,duration=1s").key, std::string("syntax"));
    }

    void parameterOutOfRangeSaysTheRange()
    {
        QVERIFY(contains(failureOf("vacuum-drop:start=1s,duration=1s,kpa=120").problem, "outside 0…101.3 kPa"));
        QVERIFY(contains(failureOf("vacuum-drop:start=1s,duration=1s,kpa=lots").problem, "'lots' is not a number"));
        QVERIFY(contains(failureOf("frame-loss:start=1s,duration=1s,fraction=0").problem, "outside (0, 1]"));
        QVERIFY(contains(failureOf("illumination-degrade:start=1s,duration=1s,factor=1").problem, "outside [0, 1)"));
        QVERIFY(contains(failureOf("following-error:start=1s,duration=1s,um=-3").problem, "outside (0, 10000]"));
        QCOMPARE(failureOf("frame-jitter:start=1s,duration=1s,max=0ms").problem, std::string("must be longer than zero"));
    }

    void whatQuotesTheSpecAndNamesTheKey()
    {
        try {
            static_cast<void>(FaultSpec::parse("vacuum-drop:start=10s,duration=5q"));
        } catch (const std::invalid_argument &e) {
            QVERIFY(std::string_view(e.what()).starts_with(
                "fault spec 'vacuum-drop:start=10s,duration=5q': duration: '5q' is not a time"));
            return;
        }
        QFAIL("accepted a bad duration");
    }

    void kindNamesReadBack()
    {
        for (const FaultKind kind : kAllFaultKinds) {
            QCOMPARE(parseFaultKind(toText(kind)), std::optional<FaultKind>(kind));
        }
        QVERIFY(!parseFaultKind("meteor-strike").has_value());
    }
};

QTEST_GUILESS_MAIN(FaultSpecTest)
#include "fault_spec_test.moc"
