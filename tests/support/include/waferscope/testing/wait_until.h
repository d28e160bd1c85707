#pragma once

/// waitUntil: runs the event loop until `predicate` holds or `timeoutMs` has passed; true when it
/// held. For tests whose condition comes from another thread or a timer.

#include <QElapsedTimer>
#include <QTest>

namespace waferscope::testing {

template<typename Predicate>
bool waitUntil(Predicate predicate, int timeoutMs = 20'000)
{
    QElapsedTimer timer;
    timer.start();
    while (!predicate()) {
        if (timer.elapsed() > timeoutMs) {
            return false;
        }
        QTest::qWait(10);
    }
    return true;
}

} // namespace waferscope::testing
