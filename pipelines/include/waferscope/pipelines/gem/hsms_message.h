#pragma once

/// HsmsMessage: one HSMS message (SEMI E37): the 10-byte header — session id, header bytes 2 and 3
/// (for a data message the W-bit and stream, and the function), PType, SType, system bytes — and
/// the body (a SECS-II item's bytes, or nothing). On the wire it follows a 4-byte length that
/// counts header and body.
/// Oversized: a data message longer than the link's limit arrives with its header, no body and
/// isBodyDropped set; its bytes were skipped, never stored.
/// Threads: a value. Allocates: its body.

#include <cstdint>
#include <vector>

#include <waferscope/pipelines/gem/hsms_stype.h>

namespace waferscope::pipelines::gem {

struct HsmsMessage {
    std::uint16_t sessionId = 0;
    std::uint8_t byte2 = 0;
    std::uint8_t byte3 = 0;
    std::uint8_t pType = 0;
    HsmsSType sType = HsmsSType::Data;
    std::uint32_t systemBytes = 0;
    std::vector<std::uint8_t> body;
    bool isBodyDropped = false;

    static constexpr std::size_t kHeaderSize = 10;

    [[nodiscard]] static HsmsMessage data(std::uint16_t sessionId, int stream, int function, bool wantsReply,
                                          std::uint32_t systemBytes, std::vector<std::uint8_t> body = {});
    [[nodiscard]] static HsmsMessage control(HsmsSType sType, std::uint32_t systemBytes, std::uint8_t byte2 = 0,
                                             std::uint8_t byte3 = 0);

    [[nodiscard]] int stream() const noexcept { return byte2 & 0x7F; }
    [[nodiscard]] int function() const noexcept { return byte3; }
    [[nodiscard]] bool wantsReply() const noexcept { return (byte2 & 0x80) != 0; }
    /// The 10 header bytes as sent (for S9Fx's MHEAD).
    [[nodiscard]] std::vector<std::uint8_t> headerBytes() const;
    /// Length field, header and body.
    [[nodiscard]] std::vector<std::uint8_t> toBytes() const;
    /// Reads the 10 header bytes at `header`.
    [[nodiscard]] static HsmsMessage fromHeader(const std::uint8_t *header);
};

} // namespace waferscope::pipelines::gem
