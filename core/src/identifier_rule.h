#pragma once

/// The character rule that lot and wafer ids share: 1 to maxLength characters, letters, digits,
/// '-', '_' and '.', the first a letter or a digit.

#include <cstddef>
#include <string>
#include <string_view>

namespace waferscope::core::detail {

/// What is wrong with `text` as an identifier, in a sentence naming the character and its place;
/// empty when nothing is.
[[nodiscard]] std::string identifierProblem(std::string_view text, std::size_t maxLength);

} // namespace waferscope::core::detail
