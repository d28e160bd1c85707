#pragma once

/// SecsFormat: the format code of a SECS-II item (SEMI E5 §9.2): the six high bits of an item's
/// format byte. Element sizes: List counts items; Binary, Boolean, Ascii, I1 and U1 one byte; I2
/// and U2 two; I4, U4 and F4 four; I8, U8 and F8 eight.
/// Names: toText() gives the SML name ("L", "B", "BOOLEAN", "A", "I4", "F8", …).
/// Threads: a value. Allocates: nothing.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace waferscope::pipelines::gem {

enum class SecsFormat : std::uint8_t {
    List = 000,
    Binary = 010,
    Boolean = 011,
    Ascii = 020,
    I8 = 030,
    I1 = 031,
    I2 = 032,
    I4 = 034,
    F8 = 040,
    F4 = 044,
    U8 = 050,
    U1 = 051,
    U2 = 052,
    U4 = 054,
};

inline constexpr SecsFormat kAllSecsFormats[] = {
    SecsFormat::List, SecsFormat::Binary, SecsFormat::Boolean, SecsFormat::Ascii, SecsFormat::I8,
    SecsFormat::I1,   SecsFormat::I2,     SecsFormat::I4,      SecsFormat::F8,    SecsFormat::F4,
    SecsFormat::U8,   SecsFormat::U1,     SecsFormat::U2,      SecsFormat::U4,
};

/// The format a six-bit code names; nullopt for a code E5 does not define (including the
/// two-byte character and JIS-8 formats this codec does not support).
[[nodiscard]] std::optional<SecsFormat> secsFormatFromCode(std::uint8_t code) noexcept;
/// Bytes per element: 1 for List (counted in items), Binary, Boolean, Ascii, I1, U1.
[[nodiscard]] std::size_t elementSize(SecsFormat format) noexcept;
[[nodiscard]] bool isSigned(SecsFormat format) noexcept;
[[nodiscard]] bool isUnsigned(SecsFormat format) noexcept;
[[nodiscard]] bool isFloat(SecsFormat format) noexcept;
[[nodiscard]] std::string_view toText(SecsFormat format) noexcept;

} // namespace waferscope::pipelines::gem
