#pragma once

/// HsmsLinkState: the equipment's HSMS-SS link as the operator sees it: off (no port), listening
/// (no connection), connected (TCP up, not selected yet) or selected (a host may exchange data).
/// Threads: a value. Allocates: nothing.

#include <cstdint>
#include <string_view>

namespace waferscope::pipelines::gem {

enum class HsmsLinkState : std::uint8_t { Off, Listening, Connected, Selected };

[[nodiscard]] std::string_view toText(HsmsLinkState state) noexcept;

} // namespace waferscope::pipelines::gem
