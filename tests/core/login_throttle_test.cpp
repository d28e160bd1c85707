#include <QTest>

#include <waferscope/core/users/login_throttle.h>

using namespace std::chrono_literals;
using waferscope::core::LoginThrottle;

class LoginThrottleTest : public QObject
{
    Q_OBJECT

private slots:
    void fiveWrongTriesAreFreeAndTheSixthLocksTheName()
    {
        LoginThrottle throttle;
        const auto t0 = LoginThrottle::Clock::time_point{} + 1h;
        for (int i = 0; i < 4; ++i) {
            QCOMPARE(throttle.failed("ann", t0), LoginThrottle::Clock::duration::zero());
            QCOMPARE(throttle.lockedFor("ann", t0), LoginThrottle::Clock::duration::zero());
        }
        QCOMPARE(throttle.failed("ann", t0), LoginThrottle::Clock::duration(30s));
        QCOMPARE(throttle.lockedFor("ann", t0 + 10s), LoginThrottle::Clock::duration(20s));
        QCOMPARE(throttle.lockedFor("ann", t0 + 30s), LoginThrottle::Clock::duration::zero());
        QCOMPARE(throttle.failures("ann"), 5);
    }

    void eachWrongTryAfterTheLockDoublesTheDelayUpToTheMaximum()
    {
        LoginThrottle throttle({.freeTries = 1, .firstDelay = 30s, .maxDelay = 100s});
        const auto t0 = LoginThrottle::Clock::time_point{} + 1h;
        QCOMPARE(throttle.failed("bob", t0), LoginThrottle::Clock::duration(30s));
        QCOMPARE(throttle.failed("bob", t0 + 30s), LoginThrottle::Clock::duration(60s));
        QCOMPARE(throttle.failed("bob", t0 + 90s), LoginThrottle::Clock::duration(100s));
        QCOMPARE(throttle.failed("bob", t0 + 190s), LoginThrottle::Clock::duration(100s));
    }

    void aRightPasswordStartsTheCountOverAndOtherNamesAreNotTouched()
    {
        LoginThrottle throttle({.freeTries = 2, .firstDelay = 30s, .maxDelay = 900s});
        const auto t0 = LoginThrottle::Clock::time_point{} + 1h;
        static_cast<void>(throttle.failed("cid", t0));
        throttle.succeeded("cid");
        QCOMPARE(throttle.failures("cid"), 0);
        static_cast<void>(throttle.failed("cid", t0));
        QCOMPARE(throttle.lockedFor("cid", t0), LoginThrottle::Clock::duration::zero());
        static_cast<void>(throttle.failed("dan", t0));
        static_cast<void>(throttle.failed("dan", t0));
        QVERIFY(throttle.lockedFor("dan", t0) > LoginThrottle::Clock::duration::zero());
        QCOMPARE(throttle.lockedFor("cid", t0), LoginThrottle::Clock::duration::zero());
    }
};

QTEST_GUILESS_MAIN(LoginThrottleTest)
#include "login_throttle_test.moc"
