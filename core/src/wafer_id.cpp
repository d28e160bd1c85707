#include <waferscope/core/wafer_id.h>

#include <string>

#include <waferscope/core/validation_error.h>

namespace waferscope::core {

namespace {

[[noreturn]] void reject(std::string problem)
{
    throw ValidationError("wafer id", {{"wafer id", std::move(problem)}});
}

} // namespace

WaferId::WaferId(std::string_view text)
{
    if (text.empty()) {
        reject("is empty");
    }
    if (text.size() > kMaxLength) {
        reject("'" + std::string(text.substr(0, kMaxLength)) + "…' has " + std::to_string(text.size()) +
               " characters; at most " + std::to_string(kMaxLength) + " are allowed");
    }
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c <= 0x20 || c >= 0x7f) {
            reject("character " + std::to_string(i + 1) + " (code " + std::to_string(c) +
                   ") is not a printable ASCII character other than space");
        }
        m_text[i] = text[i];
    }
    m_length = static_cast<std::uint8_t>(text.size());
}

} // namespace waferscope::core
