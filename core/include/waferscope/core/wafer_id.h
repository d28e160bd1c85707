#pragma once

/// WaferId: a wafer's identifier as scribed on it ("LOT4711-07"): 1 to 31 letters, digits, '-', '_'
/// and '.', starting with a letter or a digit (the safe set LotId describes), so it can name files. The text is stored inline, so copying a WaferId — onto every frame of
/// a scan — allocates nothing. The default WaferId is empty, meaning "no wafer".
/// Validation: constructing one from unusable text throws ValidationError (field "wafer id") that
/// says what is wrong.
/// Threads: a value. Allocates: nothing, unless construction throws.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace waferscope::core {

class WaferId
{
public:
    static constexpr std::size_t kMaxLength = 31;

    WaferId() noexcept = default;
    explicit WaferId(std::string_view text);

    [[nodiscard]] std::string_view text() const noexcept { return {m_text.data(), m_length}; }
    [[nodiscard]] bool isEmpty() const noexcept { return m_length == 0; }

    friend bool operator==(const WaferId &a, const WaferId &b) noexcept { return a.text() == b.text(); }

private:
    std::array<char, kMaxLength> m_text{};
    std::uint8_t m_length = 0;
};

} // namespace waferscope::core
