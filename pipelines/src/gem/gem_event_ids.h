#pragma once

// Collection event ids (CEIDs) that more than one source file of GemEquipment raises. Private to
// the GEM code; docs/gem.md lists every CEID.

#include <cstdint>

namespace waferscope::pipelines::gem::detail {

inline constexpr std::uint32_t kCeidLotStartRefused = 20;
/// An equipment constant changed (S2F15); its report names the ECID (DV ECIDChanged).
inline constexpr std::uint32_t kCeidConstantChanged = 30;

} // namespace waferscope::pipelines::gem::detail
