#pragma once

/// DefectClass: what kind of defect — the classes the simulator draws and detection reports.
/// Names: toText() gives a stable lower-case name ("particle-bright"), the one recipes, logs and
/// exports use, and parseDefectClass() reads it back; an unknown name gives nullopt.
/// Threads: a value. Allocates: nothing.

#include <cstdint>
#include <optional>
#include <string_view>

namespace waferscope::core {

enum class DefectClass : std::uint8_t {
    Unknown,        ///< detected, not classified
    ParticleBright, ///< a bright blob
    ParticleDark,   ///< a dark blob
    Scratch,        ///< a thin line, possibly across several dies
    MissingFeature, ///< part of the die pattern is absent
    ExtraFeature,   ///< a feature where the pattern has none
    Bridge,         ///< two neighbouring lines joined
};

inline constexpr DefectClass kAllDefectClasses[] = {
    DefectClass::Unknown,        DefectClass::ParticleBright, DefectClass::ParticleDark, DefectClass::Scratch,
    DefectClass::MissingFeature, DefectClass::ExtraFeature,   DefectClass::Bridge,
};

[[nodiscard]] std::string_view toText(DefectClass defectClass) noexcept;
[[nodiscard]] std::optional<DefectClass> parseDefectClass(std::string_view name) noexcept;

} // namespace waferscope::core
