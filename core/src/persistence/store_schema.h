#pragma once

// The inspection store's schema as a list of migrations: migration v takes a database from schema
// version v − 1 to v. A migration that has shipped never changes, since databases in the field were
// made by it; a new schema is a new migration.

#include <span>
#include <string_view>

namespace waferscope::core::detail {

/// The statements of the migration to `version`, 1 … InspectionStore::kSchemaVersion.
[[nodiscard]] std::span<const std::string_view> migrationTo(int version);

} // namespace waferscope::core::detail
