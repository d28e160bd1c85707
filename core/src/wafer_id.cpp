#include <waferscope/core/wafer_id.h>

#include <string>

#include <waferscope/core/validation_error.h>

#include "identifier_rule.h"

namespace waferscope::core {

namespace {

[[noreturn]] void reject(std::string problem)
{
    throw ValidationError("wafer id", {{"wafer id", std::move(problem)}});
}

} // namespace

WaferId::WaferId(std::string_view text)
{
    if (std::string problem = detail::identifierProblem(text, kMaxLength); !problem.empty()) {
        reject(std::move(problem));
    }
    for (std::size_t i = 0; i < text.size(); ++i) {
        m_text[i] = text[i];
    }
    m_length = static_cast<std::uint8_t>(text.size());
}

} // namespace waferscope::core
