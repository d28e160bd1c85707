#pragma once

/// FaultSpec: one fault on the simulated machine's timeline — what goes wrong, when (measured from
/// the machine's power-on) and for how long, and how badly. It is active on [start, start+duration):
/// devices show it from start on, and it is over exactly at start + duration.
/// Text form, for the command line and recipes: "<kind>:start=<time>,duration=<time>[,<param>=<value>]",
/// e.g. "vacuum-drop:start=10s,duration=5s,kpa=20"; times are a number and a unit (ns, us, ms, s,
/// min, h). parse() throws FaultSpecError naming the key and what is wrong with it; toString()
/// writes text that parse() reads back to an equal spec.
/// Kinds, and the parameter each takes:
///   heartbeat-stop         —
///   vacuum-drop            kpa=<0…101.3>, default 20: the hold-down pressure falls to this
///   camera-disconnect      —
///   frame-loss             fraction=<0…1>, default 1: the share of frame slots lost
///   frame-jitter           max=<time>, default 30ms: each frame comes late by up to this much
///   encoder-error          —
///   following-error        um=<µm>, default 50: the stage's following error
///   illumination-degrade   factor=<0…1>, default 0.5: lamp output as a share of the set-point
/// Threads: a value. Allocates: nothing, except parse() and toString().

#include <chrono>
#include <string>
#include <string_view>

#include <waferscope/hardware/sim/fault_kind.h>
#include <waferscope/runtime/executor.h>

namespace waferscope::hardware::sim {

struct FaultSpec {
    FaultKind kind = FaultKind::HeartbeatStop;
    runtime::Clock::duration start{};
    runtime::Clock::duration duration{};
    double kpa = 20.0;
    double fraction = 1.0;
    runtime::Clock::duration maxDelay = std::chrono::milliseconds(30);
    double followingErrorUm = 50.0;
    double intensityFactor = 0.5;

    [[nodiscard]] runtime::Clock::duration end() const noexcept { return start + duration; }
    [[nodiscard]] bool isActiveAt(runtime::Clock::duration sincePowerOn) const noexcept
    {
        return sincePowerOn >= start && sincePowerOn < end();
    }

    [[nodiscard]] static FaultSpec parse(std::string_view text);
    [[nodiscard]] std::string toString() const;

    friend bool operator==(const FaultSpec &, const FaultSpec &) = default;
};

} // namespace waferscope::hardware::sim
