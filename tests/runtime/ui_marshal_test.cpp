#include <QCoreApplication>
#include <QEventLoop>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include <waferscope/runtime/errors.h>
#include <waferscope/runtime/qt/ui_marshal.h>
#include <waferscope/runtime/qt/ui_marshal_driver.h>
#include <waferscope/runtime/stats_registry.h>
#include <waferscope/testing/allocation_counter.h>
#include <waferscope/testing/counted.h>
#include <waferscope/testing/watchdog.h>

using namespace std::chrono_literals;
using namespace waferscope::runtime;
using waferscope::runtime::qt::UiMarshal;
using waferscope::runtime::qt::UiMarshalDriver;
using waferscope::testing::AllocationScope;
using waferscope::testing::Counted;
using waferscope::testing::Watchdog;

namespace {

bool isOnUiThread()
{
    return QThread::currentThread() == QCoreApplication::instance()->thread();
}

} // namespace

class UiMarshalTest : public QObject
{
    Q_OBJECT

private slots:
    void itemsPublishedFromAnotherThreadArriveOnTheUiThreadInBatches()
    {
        std::vector<int> values;
        std::vector<std::size_t> batchSizes;
        bool isHandlerOnUiThread = true;
        UiMarshal<int> marshal("to-ui", 1024, OverflowPolicy::Block, [&](std::span<int> batch) {
            isHandlerOnUiThread = isHandlerOnUiThread && isOnUiThread();
            batchSizes.push_back(batch.size());
            values.insert(values.end(), batch.begin(), batch.end());
        });

        std::thread first([&] {
            for (int i = 0; i < 1000; ++i) {
                marshal.publish(i);
            }
        });
        first.join();
        QVERIFY(values.empty()); // nothing is delivered outside the UI thread's event loop
        QTRY_COMPARE(values.size(), 1000u);
        QCOMPARE(batchSizes, std::vector<std::size_t>{1000});
        QCOMPARE(marshal.posts(), 1u);

        std::thread second([&] {
            for (int i = 1000; i < 1500; ++i) {
                marshal.publish(i);
            }
        });
        second.join();
        QTRY_COMPARE(values.size(), 1500u);
        QCOMPARE(batchSizes, (std::vector<std::size_t>{1000, 500}));
        QCOMPARE(marshal.posts(), 2u);
        QCOMPARE(marshal.drains(), 2u);
        QVERIFY(isHandlerOnUiThread);
        for (int i = 0; i < 1500; ++i) {
            QCOMPARE(values[static_cast<std::size_t>(i)], i);
        }
    }

    void postsAreBoundedByTheFrameInterval()
    {
        // A producer publishes 10 items a millisecond for about a second while the UI thread's
        // event loop runs. Drains are at least an interval apart and each post leads to one drain,
        // so posts ≤ elapsed / interval + 2 whatever the machine's speed; one extra is margin.
        constexpr std::uint64_t kTotal = 10'000;
        constexpr std::uint64_t kItemsPerMillisecond = 10;
        constexpr auto kInterval = 16ms;
        const Watchdog watchdog("postsAreBoundedByTheFrameInterval", 120s);

        std::vector<std::uint64_t> received;
        received.reserve(kTotal);
        QEventLoop loop;
        UiMarshal<std::uint64_t> marshal(
            "rate", 4096, OverflowPolicy::Block,
            [&](std::span<std::uint64_t> batch) {
                received.insert(received.end(), batch.begin(), batch.end());
                if (received.size() == kTotal) {
                    loop.quit();
                }
            },
            nullptr, kInterval);

        const auto start = std::chrono::steady_clock::now();
        std::thread producer([&] {
            for (std::uint64_t i = 0; i < kTotal; ++i) {
                if (i % kItemsPerMillisecond == 0) {
                    std::this_thread::sleep_until(start + std::chrono::milliseconds(i / kItemsPerMillisecond));
                }
                marshal.publish(i);
            }
        });
        QTimer::singleShot(60s, &loop, [&loop] { loop.exit(1); });
        const int exitCode = loop.exec();
        const auto elapsed = std::chrono::steady_clock::now() - start;
        producer.join();
        QCOMPARE(exitCode, 0);

        const auto intervals = static_cast<std::uint64_t>(elapsed / kInterval);
        const std::uint64_t postBound = intervals + 3;
        qInfo("%llu items in %lld ms: %llu posts, %llu drains (bound %llu posts)",
              static_cast<unsigned long long>(kTotal),
              static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count()),
              static_cast<unsigned long long>(marshal.posts()), static_cast<unsigned long long>(marshal.drains()),
              static_cast<unsigned long long>(postBound));
        QVERIFY(marshal.posts() <= postBound);
        QVERIFY(marshal.drains() <= intervals + 2);
        QCOMPARE(received.size(), kTotal);
        for (std::uint64_t i = 0; i < kTotal; ++i) {
            QCOMPARE(received[i], i);
        }
        QCOMPARE(marshal.marshal().delivered(), kTotal);
        QCOMPARE(marshal.marshal().dropped(), 0u);
    }

    void blockPublishOnTheUiThreadThatFindsTheMarshalFullThrowsMisuse()
    {
        UiMarshal<int> marshal("ui-self", 2, OverflowPolicy::Block, [](std::span<int>) {});
        marshal.publish(1);
        marshal.publish(2);
        QVERIFY_THROWS_EXCEPTION(MisuseError, marshal.publish(3));
        QCOMPARE(marshal.marshal().pending(), 2);
    }

    void closeRefusesPublishesAndFlushDeliversWhatWasAccepted()
    {
        std::vector<int> values;
        UiMarshal<int> marshal("closing", 8, OverflowPolicy::DropNewest, [&](std::span<int> batch) {
            values.insert(values.end(), batch.begin(), batch.end());
        });
        marshal.publish(1);
        marshal.publish(2);
        marshal.close();
        QVERIFY_THROWS_EXCEPTION(ChannelClosed, marshal.publish(3));
        QVERIFY(!marshal.tryPublish(4));
        QCOMPARE(marshal.marshal().closedRejects(), 2u);

        marshal.flush();
        QCOMPARE(values, (std::vector<int>{1, 2}));
    }

    void pendingItemsAreDestroyedWithTheMarshalUndelivered()
    {
        Counted::reset();
        bool isHandlerCalled = false;
        {
            UiMarshal<Counted> marshal("discarded", 4, OverflowPolicy::DropNewest,
                                       [&](std::span<Counted>) { isHandlerCalled = true; });
            marshal.publish(Counted(1));
            QCOMPARE(Counted::alive.load(), 1);
        }
        QCOMPARE(Counted::alive.load(), 0);
        QCoreApplication::sendPostedEvents();
        QVERIFY(!isHandlerCalled);
    }

    void countersAreRegisteredAsAMarshal()
    {
        StatsRegistry stats;
        {
            UiMarshal<int> marshal("alarms-to-ui", 4, OverflowPolicy::DropNewest, [](std::span<int>) {}, &stats);
            marshal.publish(1);
            marshal.flush();
            const StatsEntry entry = stats.find("alarms-to-ui");
            QCOMPARE(entry.kind, std::string("marshal"));
            QCOMPARE(entry.value("published"), 1);
            QCOMPARE(entry.value("delivered"), 1);
            QCOMPARE(entry.value("batches"), 1);
        }
        QVERIFY(stats.snapshot().empty());
    }

    void publishingAllocatesNothingPerItem()
    {
        std::uint64_t received = 0;
        UiMarshal<int> marshal("alloc", 2048, OverflowPolicy::DropNewest,
                               [&](std::span<int> batch) { received += batch.size(); });
        marshal.publish(0); // the wake: this publish posts the batch's one queued call
        {
            const AllocationScope scope;
            for (int i = 1; i < 1000; ++i) {
                marshal.publish(i);
            }
            QCOMPARE(scope.thread(), 0u);
        }
        QCOMPARE(marshal.posts(), 1u);
        QTRY_COMPARE(received, 1000u);
    }

    void handlerIsRequired()
    {
        QVERIFY_THROWS_EXCEPTION(MisuseError,
                                 UiMarshal<int>("no-handler", 4, OverflowPolicy::Block, UiMarshal<int>::Handler{}));
    }

    void driverAbsorbsRequestsWhileAPostIsOutstanding()
    {
        int drains = 0;
        UiMarshalDriver driver([&] { ++drains; });
        QCOMPARE(driver.minimumInterval(), 16ms);
        constexpr int kRequesters = 4;
        std::vector<std::thread> requesters;
        requesters.reserve(kRequesters);
        for (int t = 0; t < kRequesters; ++t) {
            requesters.emplace_back([&driver] {
                for (int i = 0; i < 1000; ++i) {
                    driver.requestDrain();
                }
            });
        }
        for (std::thread &t : requesters) {
            t.join();
        }
        QCOMPARE(driver.posts(), 1u);
        QCOMPARE(drains, 0);
        QCoreApplication::sendPostedEvents();
        QCOMPARE(drains, 1);
        QCOMPARE(driver.drains(), 1u);
    }

    void driverRequestsWhileAPostIsOutstandingAllocateNothing()
    {
        UiMarshalDriver driver([] {});
        driver.requestDrain();
        const AllocationScope scope;
        for (int i = 0; i < 1000; ++i) {
            driver.requestDrain();
        }
        QCOMPARE(scope.thread(), 0u);
        QCOMPARE(driver.posts(), 1u);
    }

    void driverDefersARequestWithinTheIntervalUntilTheIntervalHasPassed()
    {
        constexpr auto kInterval = 100ms;
        std::vector<std::chrono::steady_clock::time_point> drainTimes;
        bool isCallbackOnUiThread = true;
        UiMarshalDriver driver(
            [&] {
                isCallbackOnUiThread = isCallbackOnUiThread && isOnUiThread();
                drainTimes.push_back(std::chrono::steady_clock::now());
            },
            kInterval);

        driver.requestDrain();
        QCoreApplication::sendPostedEvents();
        QCOMPARE(drainTimes.size(), 1u); // the first drain needs no timer

        std::thread requester([&driver] { driver.requestDrain(); });
        requester.join();
        QCoreApplication::sendPostedEvents();
        for (int i = 0; i < 10; ++i) {
            driver.requestDrain(); // absorbed: the deferred drain answers them
        }
        QCOMPARE(driver.posts(), 2u);
        QTRY_COMPARE(drainTimes.size(), 2u);
        QVERIFY(drainTimes[1] - drainTimes[0] >= kInterval);
        QVERIFY(isCallbackOnUiThread);
        QCOMPARE(driver.drains(), 2u);
    }

    void driverDrainsAtOnceWhenTheLastDrainIsAnIntervalInThePast()
    {
        int drains = 0;
        UiMarshalDriver driver([&] { ++drains; }, 0ms);
        for (int round = 1; round <= 3; ++round) {
            driver.requestDrain();
            QCoreApplication::sendPostedEvents(); // posted calls only: no timer can fire here
            QCOMPARE(drains, round);
        }
        QCOMPARE(driver.posts(), 3u);
    }

    void driverDrainNowOffItsThreadThrowsMisuse()
    {
        int drains = 0;
        UiMarshalDriver driver([&] { ++drains; });
        bool isMisuseThrown = false;
        std::thread other([&] {
            try {
                driver.drainNow();
            } catch (const MisuseError &) {
                isMisuseThrown = true;
            }
        });
        other.join();
        QVERIFY(isMisuseThrown);
        QCOMPARE(drains, 0);
    }
};

QTEST_GUILESS_MAIN(UiMarshalTest)
#include "ui_marshal_test.moc"
