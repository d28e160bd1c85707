#pragma once

/// FrameIdUnwrapper: turns the frame ids a GigE Vision camera stamps on its frames into a count that
/// never wraps. GVSP 1.x ids are 16 bits, run 1…65535 and skip 0 when they wrap; extended ids
/// (GVSP 2.0) are 64 bits and do not wrap. The first id seen counts 0; each later id counts on by
/// its distance from the last one, across a wrap. An id at or behind the last one (a late or
/// repeated frame) is refused, and so is a first id of 0.
/// Threads: a value, used from one thread. Allocates: nothing.

#include <cstdint>
#include <optional>

namespace waferscope::hardware::aravis {

class FrameIdUnwrapper
{
public:
    /// The count of `frameId`, or nullopt for an id at or behind the last one.
    [[nodiscard]] std::optional<std::uint64_t> next(std::uint64_t frameId) noexcept;
    /// Forgets every id: the next one counts 0 again.
    void reset() noexcept;

private:
    std::optional<std::uint64_t> m_lastId;
    std::uint64_t m_lastCount = 0;
    bool m_isExtended = false;
};

} // namespace waferscope::hardware::aravis
