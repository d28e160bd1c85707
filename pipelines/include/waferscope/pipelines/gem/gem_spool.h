#pragma once

/// GemSpool: the messages the equipment raised while it could not send them to the host (SEMI
/// E30 §6.20, spooling), kept in order until the host asks for them (S6F23).
/// What is spooled: a primary whose stream and function the host chose (S2F43; at start S5F1 and
/// S6F11, the only primaries the equipment spools), raised while spooling is enabled. The caller
/// decides when a message cannot be sent (not communicating, on-line).
/// Bounded: at most capacity() messages. When full, the oldest is dropped (overwrite) or the new
/// one is (no overwrite); either way dropped() counts it, so nothing is lost quietly.
/// Unloading: takeAll() hands every message over in the order they were raised (S6F23 transmit);
/// purge() drops them (S6F23 purge), counted in purged().
/// S2F43: resetStreams() answers a host's request: stream 1 may not be spooled (STRACK 1), a
/// stream the equipment sends no primary on is unknown (2), and so is a function it does not send
/// (3), a secondary function (even) is refused (4); one refusal and nothing changes (RSPACK 1).
/// An empty request turns spooling off for every stream; an empty function list spools every
/// function of its stream.
/// Persisted: streamsJson() / restoreStreams() carry the host's choice across restarts; the
/// messages themselves are kept in memory only.
/// Threads: a value; use from one thread (the GEM thread). Allocates: per message its bytes.

#include <QJsonArray>

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include <waferscope/pipelines/gem/secs_item.h>

namespace waferscope::pipelines::gem {

struct SpooledMessage {
    int stream = 0;
    int function = 0;
    std::vector<std::uint8_t> body; ///< the encoded SECS-II body
};

class GemSpool
{
public:
    GemSpool();

    void setEnabled(bool isEnabled) noexcept { m_isEnabled = isEnabled; }
    /// Drops the oldest (or, without overwrite, newest) messages beyond `capacity` at once.
    void setLimits(std::size_t capacity, bool isOverwrite);
    [[nodiscard]] std::size_t capacity() const noexcept { return m_capacity; }

    /// Whether a primary of `stream`/`function` raised now would be spooled.
    [[nodiscard]] bool isSpooled(int stream, int function) const;
    /// Keeps `message`, dropping one when full (see "Bounded").
    void push(SpooledMessage message);
    [[nodiscard]] std::deque<SpooledMessage> takeAll();
    /// Drops every message; returns how many.
    std::size_t purge();
    /// Puts `messages` back at the front, in their order (a transmit the link cut short).
    void putBack(std::deque<SpooledMessage> messages);

    [[nodiscard]] std::size_t size() const noexcept { return m_messages.size(); }
    /// Messages spooled since the program started.
    [[nodiscard]] std::uint64_t total() const noexcept { return m_total; }
    /// Messages dropped because the spool was full.
    [[nodiscard]] std::uint64_t dropped() const noexcept { return m_dropped; }
    [[nodiscard]] std::uint64_t purged() const noexcept { return m_purged; }

    /// The S2F44 body for an S2F43 body; nullopt when the body does not have S2F43's structure.
    [[nodiscard]] std::optional<SecsItem> resetStreams(const SecsItem &body);
    [[nodiscard]] QJsonArray streamsJson() const;
    void restoreStreams(const QJsonArray &json);

private:
    /// The functions of each stream the equipment sends as primaries and may spool.
    [[nodiscard]] static const std::map<int, std::set<int>> &spoolable();

    bool m_isEnabled = true;
    std::size_t m_capacity = 1000;
    bool m_isOverwrite = true;
    std::map<int, std::set<int>> m_streams; ///< stream → functions spooled
    std::deque<SpooledMessage> m_messages;
    std::uint64_t m_total = 0;
    std::uint64_t m_dropped = 0;
    std::uint64_t m_purged = 0;
};

} // namespace waferscope::pipelines::gem
