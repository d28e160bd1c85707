#pragma once

/// AlarmModel: the machine's alarms and their states after ISA-18.2 / IEC 62682. The alarm monitor
/// reports raw conditions, technicians give commands, and the UI and persistence read its state
/// and drain its events.
///
/// Tracked states — what an alarm goes through by itself. "activate" is its condition staying
/// active for the on-delay, "return" is it staying inactive for the off-delay:
///
///                 ┌──────────────────── acknowledge ─────────────────────┐
///                 ▼                                                      │
///            ┌────────┐ activate  ┌────────────────┐  return   ┌────────┴───────────────┐
///            │ Normal │──────────▶│ Unacknowledged │──────────▶│ ReturnedUnacknowledged │
///            └────────┘           └────────────────┘◀──────────└────────────────────────┘
///              ▲    ▲              acknowledge │       activate
///              │    │   return   ┌─────────────▼┐
///              │    └────────────│ Acknowledged │
///              │                 └──────────────┘
///              │ reset (acknowledged)
///            ┌─┴───────┐
///            │ Latched │   entered instead of ReturnedUnacknowledged or Normal by a latching alarm
///            └─────────┘
///
/// Latching (isLatching): the alarm stays until acknowledged AND reset after its return:
///   Unacknowledged ─return─▶ Latched, unacknowledged ─acknowledge─▶ Latched, acknowledged
///   Acknowledged   ─return─▶ Latched, acknowledged   ─reset─▶ Normal
///   Latched        ─activate─▶ Unacknowledged
/// reset() is refused while the alarm is active, before it is acknowledged, and for an alarm that
/// does not latch.
///
/// Shown states: OutOfService while removed from service, else Suppressed while suppressed, else
/// Shelved while shelved, else the tracked state. The three stack independently:
///   any ─shelve(for at most maxShelveDuration)─▶ Shelved ─unshelve, or the duration runs out─▶ back
///   any ─suppress(reason), by logic─▶ Suppressed ─unsuppress─▶ back
///   any ─removeFromService(reason)─▶ OutOfService ─returnToService─▶ back
/// Hidden: under any of them the tracked state goes on changing, each change an event, but the
/// alarm is not annunciated: banner() skips it, it cannot be acknowledged or reset, and its
/// activations do not count toward a flood.
///
/// Chattering: an alarm that activates more than its chatterCount times within its chatterWindow
/// is chattering and held active: returns are held back and further activations are absorbed
/// (no new Activated event) until no activation has come for a whole chatterWindow. Then chattering
/// ends and, if the condition is inactive by then, the alarm returns.
/// Flood: more than policy.threshold shown activations within policy.window put the model in flood
/// (FloodBegan); fewer than policy.threshold take it out (FloodEnded). A window holds the
/// activations of the last `window`, an activation exactly `window` old no longer counting.
///
/// Time: every call that can change state takes `now` and first brings the model up to it; a
/// `now` earlier than one already given counts as that later one. Delays, chattering, shelve
/// expiry and flood windows take effect at the moment they fall due, in time order (alarms due at
/// the same moment in definition order), even when the call that passes that moment comes later.
/// Run: a condition is reported with the run it belongs to (no run is allowed); an activation
/// takes the run of the latest report of its active condition.
/// Commands: a refused command throws AlarmCommandError naming the alarm and why, and changes
/// nothing beyond bringing the model up to `now`. A command a person gives needs an actor with a
/// user name and a role; acknowledge and shelve record who, when and the comment in the status,
/// and the event of every command a person gives names them.
/// Events: every change of a shown or tracked state, every command, chattering and flood make one
/// AlarmEvent; the model keeps them, numbered, until takeEvents() hands them out.
/// Queries: answer as of the latest time the model was given.
/// Threads: not thread-safe and has no threads of its own: the owner makes one call at a time,
/// from any thread. Snapshots and events it hands out are plain values, safe to pass on.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <waferscope/core/alarms/alarm_actor.h>
#include <waferscope/core/alarms/alarm_definition.h>
#include <waferscope/core/alarms/alarm_event.h>
#include <waferscope/core/alarms/alarm_flood.h>
#include <waferscope/core/alarms/alarm_flood_policy.h>
#include <waferscope/core/alarms/alarm_state.h>
#include <waferscope/core/alarms/alarm_status.h>
#include <waferscope/core/alarms/alarm_time.h>
#include <waferscope/core/run_id.h>

namespace waferscope::core {

namespace detail {
class AlarmTracker;
} // namespace detail

class AlarmModel
{
public:
    /// Throws ValidationError (subject "alarm model") naming every invalid definition, every tag
    /// defined twice and every invalid policy field.
    explicit AlarmModel(std::vector<AlarmDefinition> definitions, AlarmFloodPolicy floodPolicy = {});
    ~AlarmModel();
    AlarmModel(AlarmModel &&) noexcept;
    AlarmModel &operator=(AlarmModel &&) noexcept;
    AlarmModel(const AlarmModel &) = delete;
    AlarmModel &operator=(const AlarmModel &) = delete;

    /// The alarm monitor's input: the raw condition of alarm `tag` at `now`, before any delay.
    void reportCondition(std::string_view tag, bool isActive, RunId run, AlarmTime now);
    /// Lets time pass: delays, chattering, shelve expiry and flood windows that fall due by `now`.
    void update(AlarmTime now);

    void acknowledge(std::string_view tag, const AlarmActor &actor, std::string_view comment, AlarmTime now);
    /// Acknowledges those of the listed (shown) alarms that await acknowledgement and are still
    /// shown, skipping the rest — the list may be a moment old. Refused as a whole, acknowledging
    /// none, when a tag is unknown or the actor incomplete. Returns how many it acknowledged.
    std::size_t acknowledgeAll(std::span<const std::string> shownTags, const AlarmActor &actor,
                               std::string_view comment, AlarmTime now);
    /// Clears a latched, acknowledged alarm back to Normal.
    void reset(std::string_view tag, const AlarmActor &actor, std::string_view comment, AlarmTime now);
    /// Hides the alarm for `duration` (at most its maxShelveDuration); needs a reason.
    void shelve(std::string_view tag, std::chrono::milliseconds duration, const AlarmActor &actor,
                std::string_view reason, AlarmTime now);
    void unshelve(std::string_view tag, const AlarmActor &actor, std::string_view comment, AlarmTime now);
    /// Suppression by design: machine logic, not a person, hides the alarm; needs a reason.
    void suppress(std::string_view tag, std::string_view reason, AlarmTime now);
    void unsuppress(std::string_view tag, AlarmTime now);
    /// Needs a reason.
    void removeFromService(std::string_view tag, const AlarmActor &actor, std::string_view reason, AlarmTime now);
    void returnToService(std::string_view tag, const AlarmActor &actor, std::string_view comment, AlarmTime now);

    /// Every alarm, in the order of the definitions.
    [[nodiscard]] std::vector<AlarmStatus> alarms() const;
    /// nullopt for a tag that is not defined.
    [[nodiscard]] std::optional<AlarmStatus> status(std::string_view tag) const;
    /// For the persistent banner: the most urgent shown Unacknowledged alarm; among equally urgent
    /// ones the one that has waited longest, then the one defined first. nullopt when none.
    [[nodiscard]] std::optional<AlarmStatus> banner() const;
    /// How many alarms show `state`.
    [[nodiscard]] std::size_t count(AlarmState state) const noexcept;
    [[nodiscard]] AlarmFlood flood() const noexcept;
    /// The latest time the model was given.
    [[nodiscard]] AlarmTime now() const noexcept { return m_now; }
    /// Hands out every event made since the previous call, oldest first.
    [[nodiscard]] std::vector<AlarmEvent> takeEvents();

private:
    /// Makes every timed change due by `target`, earliest first; then m_now = max(m_now, target).
    void advanceTo(AlarmTime target);
    [[nodiscard]] std::optional<AlarmTime> floodDeadline() const noexcept;
    void expireFloodWindow(AlarmTime at);
    void countActivation(AlarmTime at, RunId run);
    /// Throws AlarmCommandError when `tag` is not defined.
    [[nodiscard]] detail::AlarmTracker &tracker(std::string_view command, std::string_view tag);
    /// Gives sequence numbers to the events appended since the last call.
    void numberNewEvents() noexcept;

    std::vector<detail::AlarmTracker> m_trackers; // in the order of the definitions
    std::map<std::string, std::size_t, std::less<>> m_indexByTag;
    AlarmFloodPolicy m_floodPolicy;
    std::deque<AlarmTime> m_floodActivations; // shown activations within the last flood window, oldest first
    std::optional<AlarmTime> m_floodSince;     // set while in flood
    AlarmTime m_now{};
    std::vector<AlarmEvent> m_events;
    std::size_t m_numberedEvents = 0; // m_events[0, m_numberedEvents) carry their sequence number
    std::uint64_t m_lastSequence = 0;
};

} // namespace waferscope::core
