#include <waferscope/pipelines/gem/hsms_link_state.h>
#include <waferscope/pipelines/gem/hsms_message.h>
#include <waferscope/pipelines/gem/hsms_stype.h>

namespace waferscope::pipelines::gem {

bool isDefined(HsmsSType sType) noexcept
{
    const auto code = static_cast<std::uint8_t>(sType);
    return code <= 7 || code == 9;
}

std::string_view toText(HsmsSType sType) noexcept
{
    switch (sType) {
    case HsmsSType::Data: return "data";
    case HsmsSType::SelectReq: return "select.req";
    case HsmsSType::SelectRsp: return "select.rsp";
    case HsmsSType::DeselectReq: return "deselect.req";
    case HsmsSType::DeselectRsp: return "deselect.rsp";
    case HsmsSType::LinktestReq: return "linktest.req";
    case HsmsSType::LinktestRsp: return "linktest.rsp";
    case HsmsSType::RejectReq: return "reject.req";
    case HsmsSType::SeparateReq: return "separate.req";
    }
    return "undefined";
}

std::string_view toText(HsmsLinkState state) noexcept
{
    switch (state) {
    case HsmsLinkState::Off: return "off";
    case HsmsLinkState::Listening: return "listening";
    case HsmsLinkState::Connected: return "connected";
    case HsmsLinkState::Selected: return "selected";
    }
    return "?";
}

HsmsMessage HsmsMessage::data(std::uint16_t sessionId, int stream, int function, bool wantsReply,
                              std::uint32_t systemBytes, std::vector<std::uint8_t> body)
{
    HsmsMessage m;
    m.sessionId = sessionId;
    m.byte2 = static_cast<std::uint8_t>((stream & 0x7F) | (wantsReply ? 0x80 : 0));
    m.byte3 = static_cast<std::uint8_t>(function);
    m.sType = HsmsSType::Data;
    m.systemBytes = systemBytes;
    m.body = std::move(body);
    return m;
}

HsmsMessage HsmsMessage::control(HsmsSType sType, std::uint32_t systemBytes, std::uint8_t byte2, std::uint8_t byte3)
{
    HsmsMessage m;
    m.sessionId = 0xFFFF;
    m.byte2 = byte2;
    m.byte3 = byte3;
    m.sType = sType;
    m.systemBytes = systemBytes;
    return m;
}

std::vector<std::uint8_t> HsmsMessage::headerBytes() const
{
    return {static_cast<std::uint8_t>(sessionId >> 8),
            static_cast<std::uint8_t>(sessionId),
            byte2,
            byte3,
            pType,
            static_cast<std::uint8_t>(sType),
            static_cast<std::uint8_t>(systemBytes >> 24),
            static_cast<std::uint8_t>(systemBytes >> 16),
            static_cast<std::uint8_t>(systemBytes >> 8),
            static_cast<std::uint8_t>(systemBytes)};
}

std::vector<std::uint8_t> HsmsMessage::toBytes() const
{
    const auto length = static_cast<std::uint32_t>(kHeaderSize + body.size());
    std::vector<std::uint8_t> out{static_cast<std::uint8_t>(length >> 24), static_cast<std::uint8_t>(length >> 16),
                                  static_cast<std::uint8_t>(length >> 8), static_cast<std::uint8_t>(length)};
    out.reserve(4 + length);
    const auto header = headerBytes();
    out.insert(out.end(), header.begin(), header.end());
    out.insert(out.end(), body.begin(), body.end());
    return out;
}

HsmsMessage HsmsMessage::fromHeader(const std::uint8_t *h)
{
    HsmsMessage m;
    m.sessionId = static_cast<std::uint16_t>((h[0] << 8) | h[1]);
    m.byte2 = h[2];
    m.byte3 = h[3];
    m.pType = h[4];
    m.sType = static_cast<HsmsSType>(h[5]);
    m.systemBytes = (std::uint32_t(h[6]) << 24) | (std::uint32_t(h[7]) << 16) | (std::uint32_t(h[8]) << 8) | h[9];
    return m;
}

} // namespace waferscope::pipelines::gem
