#include <waferscope/pipelines/gem/secs_codec.h>

#include <bit>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string>

#include <waferscope/pipelines/gem/secs_decode_error.h>

namespace waferscope::pipelines::gem {

namespace {

constexpr std::size_t kMaxLength = 0xFFFFFF;

void putBigEndian(std::vector<std::uint8_t> &out, std::uint64_t value, std::size_t size)
{
    for (std::size_t i = size; i-- > 0;) {
        out.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
    }
}

std::uint64_t getBigEndian(const std::uint8_t *p, std::size_t size)
{
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < size; ++i) {
        value = (value << 8) | p[i];
    }
    return value;
}

void putHeader(std::vector<std::uint8_t> &out, SecsFormat format, std::size_t length)
{
    if (length > kMaxLength) {
        throw std::invalid_argument("SECS-II " + std::string(toText(format)) + " item of length " +
                                    std::to_string(length) + " is longer than 0xFFFFFF");
    }
    const std::size_t lengthBytes = length <= 0xFF ? 1 : length <= 0xFFFF ? 2 : 3;
    out.push_back(static_cast<std::uint8_t>((static_cast<unsigned>(format) << 2) | lengthBytes));
    putBigEndian(out, length, lengthBytes);
}

void checkSignedFits(SecsFormat format, std::int64_t value)
{
    const std::size_t bits = 8 * elementSize(format);
    if (bits == 64) {
        return;
    }
    const std::int64_t max = (std::int64_t(1) << (bits - 1)) - 1;
    const std::int64_t min = -max - 1;
    if (value < min || value > max) {
        throw std::invalid_argument("value " + std::to_string(value) + " does not fit SECS-II " +
                                    std::string(toText(format)));
    }
}

void checkUnsignedFits(SecsFormat format, std::uint64_t value)
{
    const std::size_t bits = 8 * elementSize(format);
    if (bits < 64 && value >> bits != 0) {
        throw std::invalid_argument("value " + std::to_string(value) + " does not fit SECS-II " +
                                    std::string(toText(format)));
    }
}

/// Reads items from a byte range; `m_at` is the offset of the next unread byte.
class Decoder
{
public:
    explicit Decoder(std::span<const std::uint8_t> bytes)
        : m_bytes(bytes)
    {
    }

    SecsItem item(std::size_t depth)
    {
        const std::size_t start = m_at;
        if (remaining() < 1) {
            throw SecsDecodeError(start, "an item was expected but the data ended");
        }
        const std::uint8_t formatByte = m_bytes[m_at];
        const std::size_t lengthBytes = formatByte & 0x03u;
        const auto code = static_cast<std::uint8_t>(formatByte >> 2);
        const std::optional<SecsFormat> format = secsFormatFromCode(code);
        if (!format) {
            throw SecsDecodeError(start, "unknown format code 0" + octal(code));
        }
        if (lengthBytes == 0) {
            throw SecsDecodeError(start, "format byte says zero length bytes");
        }
        if (remaining() < 1 + lengthBytes) {
            throw SecsDecodeError(start, std::string(toText(*format)) + " item needs " + std::to_string(lengthBytes) +
                                             " length byte(s) but only " + std::to_string(remaining() - 1) +
                                             " byte(s) remain");
        }
        const std::size_t length = getBigEndian(&m_bytes[m_at + 1], lengthBytes);
        m_at += 1 + lengthBytes;

        SecsItem result;
        result.format = *format;
        if (*format == SecsFormat::List) {
            if (depth + 1 > SecsCodec::kMaxNesting) {
                throw SecsDecodeError(start, "lists nested deeper than " + std::to_string(SecsCodec::kMaxNesting));
            }
            // Every item takes at least two bytes (format and one length byte).
            if (length > remaining() / 2) {
                throw SecsDecodeError(start, "list claims " + std::to_string(length) + " items but only " +
                                                 std::to_string(remaining()) + " byte(s) remain");
            }
            result.items.reserve(length);
            for (std::size_t i = 0; i < length; ++i) {
                result.items.push_back(item(depth + 1));
            }
            return result;
        }
        if (length > remaining()) {
            throw SecsDecodeError(start, std::string(toText(*format)) + " item claims " + std::to_string(length) +
                                             " byte(s) but only " + std::to_string(remaining()) + " remain");
        }
        const std::size_t size = elementSize(*format);
        if (length % size != 0) {
            throw SecsDecodeError(start, std::string(toText(*format)) + " item of " + std::to_string(length) +
                                             " byte(s) is not a whole number of " + std::to_string(size) +
                                             "-byte elements");
        }
        const std::uint8_t *data = m_bytes.data() + m_at;
        const std::size_t count = length / size;
        switch (*format) {
        case SecsFormat::Binary:
        case SecsFormat::Boolean:
            result.bytes.assign(data, data + length);
            break;
        case SecsFormat::Ascii:
            result.text.assign(reinterpret_cast<const char *>(data), length);
            break;
        default:
            if (isSigned(*format)) {
                result.ints.reserve(count);
                for (std::size_t i = 0; i < count; ++i) {
                    const std::uint64_t raw = getBigEndian(data + i * size, size);
                    const std::size_t shift = 64 - 8 * size;
                    // Sign-extend: move the element's sign bit to bit 63, then shift back arithmetically.
                    result.ints.push_back(static_cast<std::int64_t>(raw << shift) >> shift);
                }
            } else if (isUnsigned(*format)) {
                result.uints.reserve(count);
                for (std::size_t i = 0; i < count; ++i) {
                    result.uints.push_back(getBigEndian(data + i * size, size));
                }
            } else {
                result.floats.reserve(count);
                for (std::size_t i = 0; i < count; ++i) {
                    const std::uint64_t raw = getBigEndian(data + i * size, size);
                    if (size == 4) {
                        result.floats.push_back(std::bit_cast<float>(static_cast<std::uint32_t>(raw)));
                    } else {
                        result.floats.push_back(std::bit_cast<double>(raw));
                    }
                }
            }
        }
        m_at += length;
        return result;
    }

    [[nodiscard]] std::size_t remaining() const noexcept { return m_bytes.size() - m_at; }
    [[nodiscard]] std::size_t at() const noexcept { return m_at; }

private:
    static std::string octal(unsigned code)
    {
        std::string digits;
        do {
            digits.insert(digits.begin(), static_cast<char>('0' + (code & 7u)));
            code >>= 3;
        } while (code != 0);
        return digits;
    }

    std::span<const std::uint8_t> m_bytes;
    std::size_t m_at = 0;
};

} // namespace

std::vector<std::uint8_t> SecsCodec::encode(const SecsItem &item)
{
    std::vector<std::uint8_t> out;
    encode(item, out);
    return out;
}

void SecsCodec::encode(const SecsItem &item, std::vector<std::uint8_t> &out)
{
    const SecsFormat format = item.format;
    switch (format) {
    case SecsFormat::List:
        putHeader(out, format, item.items.size());
        for (const SecsItem &child : item.items) {
            encode(child, out);
        }
        return;
    case SecsFormat::Binary:
    case SecsFormat::Boolean:
        putHeader(out, format, item.bytes.size());
        out.insert(out.end(), item.bytes.begin(), item.bytes.end());
        return;
    case SecsFormat::Ascii:
        putHeader(out, format, item.text.size());
        out.insert(out.end(), item.text.begin(), item.text.end());
        return;
    default:
        break;
    }
    const std::size_t size = elementSize(format);
    if (isSigned(format)) {
        putHeader(out, format, item.ints.size() * size);
        for (const std::int64_t v : item.ints) {
            checkSignedFits(format, v);
            putBigEndian(out, static_cast<std::uint64_t>(v), size);
        }
    } else if (isUnsigned(format)) {
        putHeader(out, format, item.uints.size() * size);
        for (const std::uint64_t v : item.uints) {
            checkUnsignedFits(format, v);
            putBigEndian(out, v, size);
        }
    } else {
        putHeader(out, format, item.floats.size() * size);
        for (const double v : item.floats) {
            if (size == 4) {
                putBigEndian(out, std::bit_cast<std::uint32_t>(static_cast<float>(v)), 4);
            } else {
                putBigEndian(out, std::bit_cast<std::uint64_t>(v), 8);
            }
        }
    }
}

SecsItem SecsCodec::decode(std::span<const std::uint8_t> bytes)
{
    Decoder decoder(bytes);
    SecsItem item = decoder.item(0);
    if (decoder.remaining() != 0) {
        throw SecsDecodeError(decoder.at(), std::to_string(decoder.remaining()) + " byte(s) left after the item");
    }
    return item;
}

} // namespace waferscope::pipelines::gem
