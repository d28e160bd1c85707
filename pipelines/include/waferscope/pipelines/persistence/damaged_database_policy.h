#pragma once

/// DamagedDatabasePolicy: what the persistence writer does when the inspection database it opens is
/// damaged (SQLite finds it malformed, or PRAGMA quick_check finds problems).
///   Replace — move the file aside under a timestamped name (kept for forensics), start a new one,
///             raise the database.replaced alarm and write the event to the new audit trail;
///   Refuse  — leave the file as it is and open nothing: every run is refused, naming the damage.
/// Text names "replace" and "refuse" (the command line's --on-damaged-database).
/// Threads: a value. Allocates: nothing.

#include <cstdint>
#include <optional>
#include <string_view>

namespace waferscope::pipelines {

enum class DamagedDatabasePolicy : std::uint8_t { Replace, Refuse };

[[nodiscard]] std::string_view toText(DamagedDatabasePolicy policy) noexcept;
/// nullopt for a name that is not one of the policies'.
[[nodiscard]] std::optional<DamagedDatabasePolicy> damagedDatabasePolicyFromText(std::string_view text) noexcept;

} // namespace waferscope::pipelines
