#include <waferscope/core/lot_id.h>

#include <waferscope/core/validation_error.h>

#include "identifier_rule.h"

namespace waferscope::core {

LotId::LotId(std::string_view text)
{
    if (std::string problem = problemWith(text); !problem.empty()) {
        throw ValidationError("lot id", {{"lot id", std::move(problem)}});
    }
    m_text = std::string(text);
}

std::string LotId::problemWith(std::string_view text)
{
    return detail::identifierProblem(text, kMaxLength);
}

WaferId LotId::waferId(std::size_t slot) const
{
    if (slot < 1 || slot > kCassetteSlots) {
        throw ValidationError("wafer id", {{"slot", std::to_string(slot) + " is not a cassette slot (1 … " +
                                                        std::to_string(kCassetteSlots) + ")"}});
    }
    const std::string text = m_text + (slot < 10 ? "-0" : "-") + std::to_string(slot);
    return WaferId(text);
}

std::vector<WaferId> LotId::waferIds(std::size_t count) const
{
    if (count < 1 || count > kCassetteSlots) {
        throw ValidationError("lot", {{"wafers", std::to_string(count) + " wafers do not fit a cassette (1 … " +
                                                     std::to_string(kCassetteSlots) + ")"}});
    }
    std::vector<WaferId> ids;
    ids.reserve(count);
    for (std::size_t slot = 1; slot <= count; ++slot) {
        ids.push_back(waferId(slot));
    }
    return ids;
}

} // namespace waferscope::core
