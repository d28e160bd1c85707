#pragma once

/// LotId: a lot's identifier as the fab names it ("LOT4711"), and the one rule for the ids of its
/// wafers ("LOT4711-01" … "LOT4711-25"). Lot and wafer ids go into file and folder names, the
/// database, KLARF files and host messages, so both keep to one safe character set, the one SEMI
/// identifiers use in practice: letters, digits, '-', '_' and '.', starting with a letter or a
/// digit. A lot id has 1 to kMaxLength characters, so that every wafer id made from it fits a
/// WaferId.
/// Validation: constructing one from unusable text throws ValidationError (field "lot id") that says
/// what is wrong and where; problemWith() says the same without throwing, for a field as it is typed.
/// Threads: a value. Allocates: its text.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <waferscope/core/wafer_id.h>

namespace waferscope::core {

class LotId
{
public:
    /// Room for "-NN" after the lot id inside a wafer id.
    static constexpr std::size_t kMaxLength = WaferId::kMaxLength - 3;
    /// Slots of a cassette (SEMI E1.9 front-opening unified pod): the most wafers one lot can have.
    static constexpr std::size_t kCassetteSlots = 25;

    explicit LotId(std::string_view text);

    /// What is wrong with `text` as a lot id, in a sentence; empty when it is a valid one.
    [[nodiscard]] static std::string problemWith(std::string_view text);

    [[nodiscard]] const std::string &text() const noexcept { return m_text; }
    /// The id of the wafer in `slot` (1 … kCassetteSlots): "<lot>-<slot, two digits>".
    /// Throws ValidationError (field "slot") for a slot outside the cassette.
    [[nodiscard]] WaferId waferId(std::size_t slot) const;
    /// The ids of slots 1 … count. Throws ValidationError (field "wafers") for a count of 0 or one
    /// larger than a cassette.
    [[nodiscard]] std::vector<WaferId> waferIds(std::size_t count) const;

private:
    std::string m_text;
};

} // namespace waferscope::core
