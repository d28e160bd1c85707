#include <waferscope/pipelines/gem/secs_decode_error.h>
#include <waferscope/pipelines/gem/secs_format.h>
#include <waferscope/pipelines/gem/secs_item.h>

#include <cstdio>
#include <limits>

namespace waferscope::pipelines::gem {

std::optional<SecsFormat> secsFormatFromCode(std::uint8_t code) noexcept
{
    for (const SecsFormat format : kAllSecsFormats) {
        if (static_cast<std::uint8_t>(format) == code) {
            return format;
        }
    }
    return std::nullopt;
}

std::size_t elementSize(SecsFormat format) noexcept
{
    switch (format) {
    case SecsFormat::I2:
    case SecsFormat::U2:
        return 2;
    case SecsFormat::I4:
    case SecsFormat::U4:
    case SecsFormat::F4:
        return 4;
    case SecsFormat::I8:
    case SecsFormat::U8:
    case SecsFormat::F8:
        return 8;
    default:
        return 1;
    }
}

bool isSigned(SecsFormat format) noexcept
{
    return format == SecsFormat::I1 || format == SecsFormat::I2 || format == SecsFormat::I4 || format == SecsFormat::I8;
}

bool isUnsigned(SecsFormat format) noexcept
{
    return format == SecsFormat::U1 || format == SecsFormat::U2 || format == SecsFormat::U4 || format == SecsFormat::U8;
}

bool isFloat(SecsFormat format) noexcept
{
    return format == SecsFormat::F4 || format == SecsFormat::F8;
}

std::string_view toText(SecsFormat format) noexcept
{
    switch (format) {
    case SecsFormat::List: return "L";
    case SecsFormat::Binary: return "B";
    case SecsFormat::Boolean: return "BOOLEAN";
    case SecsFormat::Ascii: return "A";
    case SecsFormat::I8: return "I8";
    case SecsFormat::I1: return "I1";
    case SecsFormat::I2: return "I2";
    case SecsFormat::I4: return "I4";
    case SecsFormat::F8: return "F8";
    case SecsFormat::F4: return "F4";
    case SecsFormat::U8: return "U8";
    case SecsFormat::U1: return "U1";
    case SecsFormat::U2: return "U2";
    case SecsFormat::U4: return "U4";
    }
    return "?";
}

SecsDecodeError::SecsDecodeError(std::size_t offset, const std::string &reason)
    : std::runtime_error("SECS-II item at byte " + std::to_string(offset) + ": " + reason)
    , m_offset(offset)
    , m_reason(reason)
{
}

SecsItem SecsItem::list(std::vector<SecsItem> items)
{
    SecsItem item;
    item.format = SecsFormat::List;
    item.items = std::move(items);
    return item;
}

SecsItem SecsItem::binary(std::vector<std::uint8_t> values)
{
    SecsItem item;
    item.format = SecsFormat::Binary;
    item.bytes = std::move(values);
    return item;
}

SecsItem SecsItem::binary(std::uint8_t value)
{
    return binary(std::vector<std::uint8_t>{value});
}

SecsItem SecsItem::boolean(bool value)
{
    return booleans({static_cast<std::uint8_t>(value ? 1 : 0)});
}

SecsItem SecsItem::booleans(std::vector<std::uint8_t> values)
{
    SecsItem item;
    item.format = SecsFormat::Boolean;
    item.bytes = std::move(values);
    return item;
}

SecsItem SecsItem::ascii(std::string_view value)
{
    SecsItem item;
    item.format = SecsFormat::Ascii;
    item.text = std::string(value);
    return item;
}

SecsItem SecsItem::signedInts(SecsFormat format, std::vector<std::int64_t> values)
{
    SecsItem item;
    item.format = format;
    item.ints = std::move(values);
    return item;
}

SecsItem SecsItem::unsignedInts(SecsFormat format, std::vector<std::uint64_t> values)
{
    SecsItem item;
    item.format = format;
    item.uints = std::move(values);
    return item;
}

SecsItem SecsItem::floatingPoint(SecsFormat format, std::vector<double> values)
{
    SecsItem item;
    item.format = format;
    item.floats = std::move(values);
    return item;
}

std::size_t SecsItem::size() const noexcept
{
    switch (format) {
    case SecsFormat::List: return items.size();
    case SecsFormat::Binary:
    case SecsFormat::Boolean: return bytes.size();
    case SecsFormat::Ascii: return text.size();
    default:
        return isSigned(format) ? ints.size() : isUnsigned(format) ? uints.size() : floats.size();
    }
}

std::optional<std::uint64_t> SecsItem::asUnsigned() const noexcept
{
    if (size() != 1) {
        return std::nullopt;
    }
    if (isUnsigned(format)) {
        return uints.front();
    }
    if (isSigned(format)) {
        return ints.front() < 0 ? std::nullopt : std::optional<std::uint64_t>(static_cast<std::uint64_t>(ints.front()));
    }
    if (format == SecsFormat::Binary) {
        return bytes.front();
    }
    return std::nullopt;
}

std::optional<std::int64_t> SecsItem::asSigned() const noexcept
{
    if (size() != 1) {
        return std::nullopt;
    }
    if (isSigned(format)) {
        return ints.front();
    }
    if (isUnsigned(format) || format == SecsFormat::Binary) {
        const std::uint64_t v = isUnsigned(format) ? uints.front() : bytes.front();
        if (v > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
            return std::nullopt;
        }
        return static_cast<std::int64_t>(v);
    }
    return std::nullopt;
}

std::string SecsItem::toSml() const
{
    std::string out = "<";
    out += toText(format);
    if (isList()) {
        out += " [" + std::to_string(items.size()) + "]";
        for (const SecsItem &item : items) {
            out += ' ';
            out += item.toSml();
        }
    } else if (format == SecsFormat::Ascii) {
        out += " \"";
        for (const char c : text) {
            if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
                out += c;
            } else {
                char hex[8];
                std::snprintf(hex, sizeof hex, "\\x%02X", static_cast<unsigned>(static_cast<unsigned char>(c)));
                out += hex;
            }
        }
        out += '"';
    } else if (format == SecsFormat::Binary || format == SecsFormat::Boolean) {
        for (const std::uint8_t b : bytes) {
            char hex[8];
            std::snprintf(hex, sizeof hex, " 0x%02X", static_cast<unsigned>(b));
            out += hex;
        }
    } else if (isSigned(format)) {
        for (const std::int64_t v : ints) {
            out += ' ' + std::to_string(v);
        }
    } else if (isUnsigned(format)) {
        for (const std::uint64_t v : uints) {
            out += ' ' + std::to_string(v);
        }
    } else {
        for (const double v : floats) {
            char number[32];
            std::snprintf(number, sizeof number, " %.17g", v);
            out += number;
        }
    }
    out += '>';
    return out;
}

} // namespace waferscope::pipelines::gem
