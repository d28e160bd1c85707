#pragma once

/// GemBackend: what the GEM equipment model asks of the machine. The service's backend hands each
/// command to the engine on the GUI thread and returns at once; the outcome reaches the host as
/// run events. A test's backend records the calls.
/// Threads: every function is called on the GEM thread; alarms() must answer from any thread.

#include <string>
#include <vector>

#include <waferscope/core/alarms/alarm_status.h>
#include <waferscope/pipelines/gem/gem_lot_start.h>

namespace waferscope::pipelines::gem {

class GemBackend
{
public:
    virtual ~GemBackend() = default;
    virtual void startLot(GemLotStart lot) = 0;
    virtual void pause() = 0;
    virtual void resume() = 0;
    virtual void abort() = 0;
    /// Ends the run once the wafer being scanned is done.
    virtual void stop() = 0;
    [[nodiscard]] virtual std::vector<core::AlarmStatus> alarms() const = 0;
    /// Records what the host changed (an equipment constant, a process program) in the audit
    /// trail, as user "host".
    virtual void audit(std::string action, std::string detail) = 0;
};

} // namespace waferscope::pipelines::gem
