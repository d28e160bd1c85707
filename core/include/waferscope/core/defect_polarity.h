#pragma once

/// DefectPolarity: whether a defect shows brighter or darker than the pattern around it.
/// Names: toText() gives a stable lower-case name ("bright"), the one persistence and exports use,
/// and parseDefectPolarity() reads it back; an unknown name gives nullopt.
/// Threads: a value. Allocates: nothing.

#include <cstdint>
#include <optional>
#include <string_view>

namespace waferscope::core {

enum class DefectPolarity : std::uint8_t {
    Bright, ///< more light than the reference pattern
    Dark,   ///< less light than the reference pattern
};

inline constexpr DefectPolarity kAllDefectPolarities[] = {DefectPolarity::Bright, DefectPolarity::Dark};

[[nodiscard]] std::string_view toText(DefectPolarity polarity) noexcept;
[[nodiscard]] std::optional<DefectPolarity> parseDefectPolarity(std::string_view name) noexcept;

} // namespace waferscope::core
