#pragma once

/// SecsDecodeError: bytes that are not a well-formed SECS-II item. It names the byte offset (from
/// the start of the decoded body) where decoding stopped and the reason ("list claims 9 items but
/// only 4 bytes remain"); what() says both.
/// Threads: a value. Allocates: its message.

#include <cstddef>
#include <stdexcept>
#include <string>

namespace waferscope::pipelines::gem {

class SecsDecodeError : public std::runtime_error
{
public:
    SecsDecodeError(std::size_t offset, const std::string &reason);

    [[nodiscard]] std::size_t offset() const noexcept { return m_offset; }
    [[nodiscard]] const std::string &reason() const noexcept { return m_reason; }

private:
    std::size_t m_offset;
    std::string m_reason;
};

} // namespace waferscope::pipelines::gem
