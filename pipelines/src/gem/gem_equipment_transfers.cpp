// GemEquipment's process program download and delete (S7F1, S7F3, S7F17) and the terminal
// request to the host (S10F1). The class contract is in gem_equipment.h.

#include <waferscope/pipelines/gem/gem_equipment.h>

#include <spdlog/spdlog.h>

namespace waferscope::pipelines::gem {

namespace {

// S10F2 ACKC10 (E5).
constexpr std::uint64_t kAckc10Accepted = 0;
constexpr std::uint64_t kAckc10NotDisplayed = 1;
constexpr std::uint64_t kAckc10NoTerminal = 2;

/// A PPBODY as text: ASCII, or Binary holding the text's bytes; nullopt for any other item.
std::optional<std::string> bodyText(const SecsItem &item)
{
    if (item.format == SecsFormat::Ascii) {
        return item.text;
    }
    if (item.format == SecsFormat::Binary) {
        return std::string(item.bytes.begin(), item.bytes.end());
    }
    return std::nullopt;
}

std::string deliveryFailure(const std::optional<SecsItem> &reply)
{
    const auto ack = reply ? reply->asUnsigned() : std::nullopt;
    if (!ack) {
        return "the host's S10F2 has no ACKC10";
    }
    switch (*ack) {
    case kAckc10Accepted: return {};
    case kAckc10NotDisplayed: return "the host will not display it (ACKC10 1)";
    case kAckc10NoTerminal: return "the host's terminal is not available (ACKC10 2)";
    default: return "the host answered ACKC10 " + std::to_string(*ack);
    }
}

} // namespace

GemEquipment::Reply GemEquipment::processProgramInquire(const SecsItem &body)
{
    if (!body.isList() || body.items.size() != 2 || body.items[0].format != SecsFormat::Ascii ||
        !body.items[1].asUnsigned()) {
        return std::nullopt;
    }
    const auto outcome = m_programs.loadInquire(body.items[0].text, *body.items[1].asUnsigned());
    if (outcome.ack != ProcessProgramStore::kPpgntOk) {
        spdlog::warn("gem: S7F1 refused (PPGNT {}): {}", outcome.ack, outcome.reason);
    }
    return SecsItem::binary(outcome.ack);
}

GemEquipment::Reply GemEquipment::processProgramSend(const SecsItem &body)
{
    if (!body.isList() || body.items.size() != 2 || body.items[0].format != SecsFormat::Ascii) {
        return std::nullopt;
    }
    const std::string &ppid = body.items[0].text;
    const auto text = bodyText(body.items[1]);
    if (!text) {
        return std::nullopt;
    }
    const auto outcome = m_programs.store(ppid, *text);
    if (outcome.ack == ProcessProgramStore::kAckc7Accepted) {
        m_status.lastDownload = "PPID " + ppid + " stored";
        spdlog::info("gem: the host stored process program {} ({} bytes)", ppid, text->size());
        m_backend.audit("recipe.download", "PPID " + ppid + ", " + std::to_string(text->size()) + " bytes");
    } else {
        m_status.lastDownload = "PPID " + ppid + " refused (ACKC7 " + std::to_string(outcome.ack) + "): " + outcome.reason;
        spdlog::warn("gem: S7F3 {}", m_status.lastDownload);
        m_backend.audit("recipe.download.refused", m_status.lastDownload);
    }
    publishStatus();
    return SecsItem::binary(outcome.ack);
}

GemEquipment::Reply GemEquipment::deleteProcessPrograms(const SecsItem &body)
{
    if (!body.isList()) {
        return std::nullopt;
    }
    std::vector<std::string> ppids;
    for (const SecsItem &item : body.items) {
        if (item.format != SecsFormat::Ascii) {
            return std::nullopt;
        }
        ppids.push_back(item.text);
    }
    const auto outcome = m_programs.remove(ppids);
    if (outcome.ack == ProcessProgramStore::kAckc7Accepted) {
        std::string names;
        for (const std::string &ppid : ppids) {
            names += (names.empty() ? "" : ", ") + ppid;
        }
        spdlog::info("gem: the host deleted process program(s) {}", names);
        m_backend.audit("recipe.delete", "PPID " + names);
    } else {
        spdlog::warn("gem: S7F17 refused (ACKC7 {}): {}", outcome.ack, outcome.reason);
    }
    return SecsItem::binary(outcome.ack);
}

void GemEquipment::sendTerminalMessage(const std::string &text, DeliveryHandler done)
{
    if (!m_status.isCommunicating) {
        done("the host is not communicating (no link, or no S1F13 on it yet)");
        return;
    }
    if (!isOnline(m_status.control)) {
        done("the equipment is " + std::string(toText(m_status.control)) + "; terminal messages go to the host on-line only");
        return;
    }
    const SecsItem body = SecsItem::list({SecsItem::binary(0), SecsItem::ascii(text)});
    auto onReply = [done](const std::optional<SecsItem> &reply, const std::string &failure) {
        done(failure.empty() ? deliveryFailure(reply) : failure);
    };
    if (!sendPrimary(10, 1, body, std::move(onReply))) {
        done("the host link is not selected");
        return;
    }
    spdlog::info("gem: terminal message to the host: {}", text);
}

} // namespace waferscope::pipelines::gem
