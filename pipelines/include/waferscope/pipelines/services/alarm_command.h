#pragma once

/// AlarmCommand: what a person asks of the alarms — acknowledge one alarm or all listed ones, reset
/// a latched one, shelve or unshelve one, take one out of service or put it back — with who asks,
/// their comment (the reason, for a shelve or a removal) and, for a shelve, for how long.
/// Made by the named constructors, one per kind, which take exactly what that kind needs.
/// Threads: a value. Allocates: its strings.

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include <waferscope/core/alarms/alarm_actor.h>

namespace waferscope::pipelines {

struct AlarmCommand {
    enum class Kind : std::uint8_t {
        Acknowledge,
        AcknowledgeAll,
        Reset,
        Shelve,
        Unshelve,
        RemoveFromService,
        ReturnToService,
    };

    Kind kind = Kind::Acknowledge;
    std::string tag;               ///< every kind but AcknowledgeAll
    std::vector<std::string> tags; ///< AcknowledgeAll: the alarms shown to the person
    core::AlarmActor actor;
    std::string comment;
    std::chrono::milliseconds shelveDuration{0};

    [[nodiscard]] static AlarmCommand acknowledge(std::string tag, core::AlarmActor actor, std::string comment);
    [[nodiscard]] static AlarmCommand acknowledgeAll(std::vector<std::string> shownTags, core::AlarmActor actor,
                                                     std::string comment);
    [[nodiscard]] static AlarmCommand reset(std::string tag, core::AlarmActor actor, std::string comment);
    [[nodiscard]] static AlarmCommand shelve(std::string tag, std::chrono::milliseconds duration,
                                             core::AlarmActor actor, std::string reason);
    [[nodiscard]] static AlarmCommand unshelve(std::string tag, core::AlarmActor actor, std::string comment);
    [[nodiscard]] static AlarmCommand removeFromService(std::string tag, core::AlarmActor actor, std::string reason);
    [[nodiscard]] static AlarmCommand returnToService(std::string tag, core::AlarmActor actor, std::string comment);

    friend bool operator==(const AlarmCommand &, const AlarmCommand &) = default;
};

} // namespace waferscope::pipelines
