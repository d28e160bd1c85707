#include "identifier_rule.h"

namespace waferscope::core::detail {

namespace {

bool isLetterOrDigit(char c) noexcept
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

std::string shown(char c)
{
    const auto code = static_cast<unsigned char>(c);
    if (code > 0x20 && code < 0x7f) {
        return "'" + std::string(1, c) + "'";
    }
    return "code " + std::to_string(code);
}

} // namespace

std::string identifierProblem(std::string_view text, std::size_t maxLength)
{
    if (text.empty()) {
        return "is empty";
    }
    if (text.size() > maxLength) {
        return "'" + std::string(text.substr(0, maxLength)) + "…' has " + std::to_string(text.size()) +
               " characters; at most " + std::to_string(maxLength) + " are allowed";
    }
    if (!isLetterOrDigit(text.front())) {
        return "must start with a letter or a digit, not " + shown(text.front());
    }
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (!isLetterOrDigit(c) && c != '-' && c != '_' && c != '.') {
            return "character " + std::to_string(i + 1) + " (" + shown(c) +
                   ") is not allowed; use letters, digits, '-', '_' and '.'";
        }
    }
    return {};
}

} // namespace waferscope::core::detail
