#pragma once

/// HsmsOptions: the link's timers and limits (SEMI E37 §10.2), for the passive (equipment) side.
///   t3   reply timeout: how long the equipment waits for a reply to a primary it sent (GEM layer)
///   t6   control transaction timeout: a linktest.req the equipment sent must be answered within it
///   t7   not-selected timeout: a connection that sends no select.req within it is closed
///   t8   network intercharacter timeout: a message whose bytes stop arriving for it is dropped
///        and the connection closed
///   linktestInterval  how often the equipment sends linktest.req while selected; zero: never
///   maxMessageBytes   a data message longer than this (header + body) is skipped without storing
///        its body and answered S9F11
/// T5 (connect separation) applies to the active side only; the passive side accepts a new
/// connection at once.
/// Threads: a value. Allocates: nothing.

#include <chrono>
#include <cstddef>
#include <cstdint>

namespace waferscope::pipelines::gem {

struct HsmsOptions {
    std::chrono::milliseconds t3{45'000};
    std::chrono::milliseconds t6{5'000};
    std::chrono::milliseconds t7{10'000};
    std::chrono::milliseconds t8{5'000};
    std::chrono::milliseconds linktestInterval{0};
    std::size_t maxMessageBytes = 1 << 20;
    std::uint16_t deviceId = 0;
};

} // namespace waferscope::pipelines::gem
