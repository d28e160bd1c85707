#pragma once

/// SecsItem: one SECS-II data item (SEMI E5): a list of items, or an array of one format's values —
/// bytes (Binary, Boolean), text (Ascii), signed or unsigned integers, or floating-point numbers.
/// Plain data: the values sit in the one member their format uses (items, bytes, text, ints,
/// uints, floats); the factories fill it. Integers are kept widened (int64 / uint64); encoding
/// narrows them to the format, so a value that does not fit is the encoder's error, not silent.
/// Text: toSml() writes the item in SML ("<L [2] <A \"x\"> <U4 5>>") for logs and test failures.
/// Threads: a value. Allocates: its vectors and string.

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <waferscope/pipelines/gem/secs_format.h>

namespace waferscope::pipelines::gem {

struct SecsItem {
    SecsFormat format = SecsFormat::List;
    std::vector<SecsItem> items;      ///< List
    std::vector<std::uint8_t> bytes;  ///< Binary, Boolean (0 false, anything else true)
    std::string text;                 ///< Ascii
    std::vector<std::int64_t> ints;   ///< I1, I2, I4, I8
    std::vector<std::uint64_t> uints; ///< U1, U2, U4, U8
    std::vector<double> floats;       ///< F4, F8

    [[nodiscard]] static SecsItem list(std::vector<SecsItem> items = {});
    [[nodiscard]] static SecsItem binary(std::vector<std::uint8_t> values);
    [[nodiscard]] static SecsItem binary(std::uint8_t value);
    [[nodiscard]] static SecsItem boolean(bool value);
    [[nodiscard]] static SecsItem booleans(std::vector<std::uint8_t> values);
    [[nodiscard]] static SecsItem ascii(std::string_view value);
    [[nodiscard]] static SecsItem signedInts(SecsFormat format, std::vector<std::int64_t> values);
    [[nodiscard]] static SecsItem unsignedInts(SecsFormat format, std::vector<std::uint64_t> values);
    [[nodiscard]] static SecsItem floatingPoint(SecsFormat format, std::vector<double> values);
    [[nodiscard]] static SecsItem i1(std::int64_t v) { return signedInts(SecsFormat::I1, {v}); }
    [[nodiscard]] static SecsItem i2(std::int64_t v) { return signedInts(SecsFormat::I2, {v}); }
    [[nodiscard]] static SecsItem i4(std::int64_t v) { return signedInts(SecsFormat::I4, {v}); }
    [[nodiscard]] static SecsItem i8(std::int64_t v) { return signedInts(SecsFormat::I8, {v}); }
    [[nodiscard]] static SecsItem u1(std::uint64_t v) { return unsignedInts(SecsFormat::U1, {v}); }
    [[nodiscard]] static SecsItem u2(std::uint64_t v) { return unsignedInts(SecsFormat::U2, {v}); }
    [[nodiscard]] static SecsItem u4(std::uint64_t v) { return unsignedInts(SecsFormat::U4, {v}); }
    [[nodiscard]] static SecsItem u8(std::uint64_t v) { return unsignedInts(SecsFormat::U8, {v}); }
    [[nodiscard]] static SecsItem f4(double v) { return floatingPoint(SecsFormat::F4, {v}); }
    [[nodiscard]] static SecsItem f8(double v) { return floatingPoint(SecsFormat::F8, {v}); }

    [[nodiscard]] bool isList() const noexcept { return format == SecsFormat::List; }
    /// Elements: list items, bytes, characters or numbers.
    [[nodiscard]] std::size_t size() const noexcept;
    /// The single value of a one-element integer item (any integer format, signed or not, or a
    /// one-byte Binary); nullopt for anything else or a value that does not fit.
    [[nodiscard]] std::optional<std::uint64_t> asUnsigned() const noexcept;
    [[nodiscard]] std::optional<std::int64_t> asSigned() const noexcept;

    [[nodiscard]] std::string toSml() const;

    friend bool operator==(const SecsItem &, const SecsItem &) = default;
};

} // namespace waferscope::pipelines::gem
