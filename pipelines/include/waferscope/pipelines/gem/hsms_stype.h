#pragma once

/// HsmsSType: the session type of an HSMS message (SEMI E37 §8.2.6): a data message or one of the
/// control messages. Codes the standard does not define (8, 10 and up) are kept as they came, so a
/// reject.req can name them.
/// Threads: a value. Allocates: nothing.

#include <cstdint>
#include <string_view>

namespace waferscope::pipelines::gem {

enum class HsmsSType : std::uint8_t {
    Data = 0,
    SelectReq = 1,
    SelectRsp = 2,
    DeselectReq = 3,
    DeselectRsp = 4,
    LinktestReq = 5,
    LinktestRsp = 6,
    RejectReq = 7,
    SeparateReq = 9,
};

[[nodiscard]] bool isDefined(HsmsSType sType) noexcept;
[[nodiscard]] std::string_view toText(HsmsSType sType) noexcept;

} // namespace waferscope::pipelines::gem
