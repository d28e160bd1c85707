#pragma once

/// EquipmentConstants: the GEM equipment constants (SEMI E30 §4.1.3; S2F13, S2F15, S2F29) — the
/// HSMS timers, the control state the equipment starts in, and the spool's limits — each with its
/// ECID, name, units, format, range and default (docs/gem.md has the table).
/// Values: every constant always has a value in its range; a new table holds the defaults.
/// Changes: set() is all or nothing. EAC 1 when an ECID does not exist, 3 when a value is not of
/// the constant's kind (an integer; BOOLEAN for a switch) or outside its range; then nothing
/// changes. The first problem decides the EAC, and what it is goes in the outcome's reason.
/// Persisted: toJson() names each constant by its name; restore() takes back what a file held,
/// keeping the default of a constant the file names wrongly or out of range, and says why.
/// Threads: a value; use one table from one thread. Allocates: its map and texts.

#include <QJsonObject>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <waferscope/pipelines/gem/gem_control_state.h>
#include <waferscope/pipelines/gem/hsms_options.h>
#include <waferscope/pipelines/gem/secs_item.h>

namespace waferscope::pipelines::gem {

/// The ECIDs (S2F13, S2F15, S2F29); a report (S2F33) may name them as variables too.
namespace ecid {
inline constexpr std::uint32_t kT3 = 1001;               ///< reply timeout, s
inline constexpr std::uint32_t kT5 = 1002;               ///< connect separation, s (active side only)
inline constexpr std::uint32_t kT6 = 1003;               ///< control transaction timeout, s
inline constexpr std::uint32_t kT7 = 1004;               ///< not-selected timeout, s
inline constexpr std::uint32_t kT8 = 1005;               ///< network intercharacter timeout, s
inline constexpr std::uint32_t kLinktestInterval = 1006; ///< s between linktest.req; 0: none
inline constexpr std::uint32_t kInitControlState = 1010; ///< 1 off-line, 2 on-line
inline constexpr std::uint32_t kOffLineSubState = 1011;  ///< 1 equipment off-line, 3 host off-line
inline constexpr std::uint32_t kOnLineSubState = 1012;   ///< 4 on-line local, 5 on-line remote
inline constexpr std::uint32_t kEnableSpooling = 1020;   ///< BOOLEAN
inline constexpr std::uint32_t kMaxSpoolCount = 1021;    ///< messages the spool holds
inline constexpr std::uint32_t kOverWriteSpool = 1022;   ///< BOOLEAN: full spool drops its oldest
} // namespace ecid

/// One constant's definition: what S2F29 tells a host.
struct EquipmentConstantInfo {
    std::uint32_t id;
    std::string_view name;
    std::string_view units;
    SecsFormat format; ///< U4, U1 or Boolean
    std::uint64_t min;
    std::uint64_t max;
    std::uint64_t defaultValue;
    /// A value inside [min, max] that is still refused (attempt on-line, 2, which E30 allows for
    /// OffLineSubState and this equipment does not do); 0: none.
    std::uint64_t excluded = 0;
};

class EquipmentConstants
{
public:
    struct Change {
        std::uint32_t ecid;
        std::uint64_t from;
        std::uint64_t to;
    };
    struct Outcome {
        std::uint8_t eac = 0;  ///< S2F16 EAC: 0 done, 1 no such constant, 3 a value out of range
        std::string reason;    ///< empty when eac is 0
        std::vector<Change> changes; ///< the constants whose value changed, in request order
    };

    static constexpr std::uint8_t kEacOk = 0;
    static constexpr std::uint8_t kEacNoSuchConstant = 1;
    static constexpr std::uint8_t kEacBusy = 2;
    static constexpr std::uint8_t kEacOutOfRange = 3;

    EquipmentConstants();

    /// Every definition, in ECID order.
    [[nodiscard]] static std::span<const EquipmentConstantInfo> definitions() noexcept;
    [[nodiscard]] static const EquipmentConstantInfo *find(std::uint64_t ecid) noexcept;

    /// The value of a constant that exists (an ecid:: constant).
    [[nodiscard]] std::uint64_t value(std::uint32_t ecid) const;
    /// The value as S2F14 gives it, in the constant's format; a zero-length list for an unknown ECID.
    [[nodiscard]] SecsItem item(std::uint64_t ecid) const;
    /// S2F30's entry: L[6] {ECID, ECNAME, ECMIN, ECMAX, ECDEF, UNITS}; for an unknown ECID the
    /// five after the ECID are zero-length.
    [[nodiscard]] static SecsItem nameEntry(std::uint64_t ecid);

    /// Sets every (ECID, value) pair, or none; see "Changes" above.
    [[nodiscard]] Outcome set(const std::vector<std::pair<std::uint64_t, SecsItem>> &values);
    /// Sets one constant that exists to a value in its range; throws std::invalid_argument otherwise.
    void setValue(std::uint32_t ecid, std::uint64_t value);

    /// The control state the equipment starts in (InitControlState and its substates).
    [[nodiscard]] GemControlState initialControl() const;
    /// The on-line substate the equipment goes to when it goes on-line (OnLineSubState).
    [[nodiscard]] GemControlState onlineSubstate() const;
    /// Sets InitControlState and the substate `state` names; an off-line `state` also sets
    /// OnLineSubState to remote (the host that takes the equipment on-line takes control).
    void setInitialControl(GemControlState state);
    /// `base` with the timers these constants give (T3, T6, T7, T8, the linktest interval).
    [[nodiscard]] HsmsOptions hsmsOptions(HsmsOptions base) const;

    [[nodiscard]] QJsonObject toJson() const;
    /// Takes each value `json` names; returns one sentence per entry it could not take.
    std::vector<std::string> restore(const QJsonObject &json);

    /// The value, with its units, as a person reads it ("45 s", "true").
    [[nodiscard]] static std::string valueText(const EquipmentConstantInfo &info, std::uint64_t value);

private:
    /// Why `value` cannot be `info`'s value; empty when it can.
    [[nodiscard]] static std::string problemWith(const EquipmentConstantInfo &info, std::uint64_t value);
    /// The integer a host's item gives `info`; nullopt when it is not of the constant's kind.
    [[nodiscard]] static std::optional<std::uint64_t> valueOf(const EquipmentConstantInfo &info, const SecsItem &item);

    std::map<std::uint32_t, std::uint64_t> m_values;
};

} // namespace waferscope::pipelines::gem
