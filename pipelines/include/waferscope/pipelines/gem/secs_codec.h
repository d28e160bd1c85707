#pragma once

/// SecsCodec: SECS-II items to bytes and back (SEMI E5 §9). Each item is a format byte (format
/// code << 2 | number of length bytes), one to three length bytes (big-endian, the length in
/// bytes; for a list, in items), then the data, big-endian.
/// Encoding: uses the fewest length bytes that hold the length; throws std::invalid_argument for
/// a length past 0xFFFFFF or a value that does not fit its format (naming both).
/// Decoding: accepts one to three length bytes; reads exactly one item and throws SecsDecodeError
/// (offset and reason) for anything else: a zero-length-byte format byte, an unknown format, a
/// length past the bytes present, an array length that is not a whole number of elements,
/// lists nested deeper than kMaxNesting, or bytes left after the item. It never reserves room for
/// more elements than the bytes present could hold, whatever a length claims.
/// Threads: free functions; any thread. Allocates: the result.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include <waferscope/pipelines/gem/secs_item.h>

namespace waferscope::pipelines::gem {

struct SecsCodec {
    /// Lists inside lists, counting the outermost as 1.
    static constexpr std::size_t kMaxNesting = 32;

    [[nodiscard]] static std::vector<std::uint8_t> encode(const SecsItem &item);
    static void encode(const SecsItem &item, std::vector<std::uint8_t> &out);
    /// Exactly one item filling `bytes`.
    [[nodiscard]] static SecsItem decode(std::span<const std::uint8_t> bytes);
};

} // namespace waferscope::pipelines::gem
