#include <waferscope/pipelines/gem/gem_spool.h>

#include <QJsonObject>

#include <spdlog/spdlog.h>

#include <utility>

namespace waferscope::pipelines::gem {

namespace {

// S2F44 acknowledges (E5): RSPACK for the request, STRACK per refused stream.
constexpr std::uint8_t kRspackRejected = 1;
constexpr std::uint8_t kStrackNotAllowed = 1;
constexpr std::uint8_t kStrackUnknownStream = 2;
constexpr std::uint8_t kStrackUnknownFunction = 3;
constexpr std::uint8_t kStrackSecondary = 4;

} // namespace

GemSpool::GemSpool()
    : m_streams(spoolable())
{
}

const std::map<int, std::set<int>> &GemSpool::spoolable()
{
    static const std::map<int, std::set<int>> kSpoolable = {{5, {1}}, {6, {11}}};
    return kSpoolable;
}

void GemSpool::setLimits(std::size_t capacity, bool isOverwrite)
{
    m_capacity = std::max<std::size_t>(capacity, 1);
    m_isOverwrite = isOverwrite;
    while (m_messages.size() > m_capacity) {
        if (m_isOverwrite) {
            m_messages.pop_front();
        } else {
            m_messages.pop_back();
        }
        ++m_dropped;
    }
}

bool GemSpool::isSpooled(int stream, int function) const
{
    if (!m_isEnabled) {
        return false;
    }
    const auto found = m_streams.find(stream);
    return found != m_streams.end() && found->second.count(function) != 0;
}

void GemSpool::push(SpooledMessage message)
{
    if (m_messages.size() >= m_capacity) {
        ++m_dropped;
        if (!m_isOverwrite) {
            spdlog::warn("gem: the spool is full ({} messages): S{}F{} dropped", m_capacity, message.stream,
                         message.function);
            return;
        }
        spdlog::warn("gem: the spool is full ({} messages): its oldest, S{}F{}, dropped", m_capacity,
                     m_messages.front().stream, m_messages.front().function);
        m_messages.pop_front();
    }
    ++m_total;
    // A warning: what the host should have had is held until it asks for it (S6F23).
    spdlog::warn("gem: the host is not communicating: S{}F{} spooled ({} in the spool)", message.stream,
                 message.function, m_messages.size() + 1);
    m_messages.push_back(std::move(message));
}

std::deque<SpooledMessage> GemSpool::takeAll()
{
    return std::exchange(m_messages, {});
}

std::size_t GemSpool::purge()
{
    const std::size_t count = m_messages.size();
    m_messages.clear();
    m_purged += count;
    return count;
}

void GemSpool::putBack(std::deque<SpooledMessage> messages)
{
    for (auto message = messages.rbegin(); message != messages.rend(); ++message) {
        m_messages.push_front(std::move(*message));
    }
    setLimits(m_capacity, m_isOverwrite);
}

std::optional<SecsItem> GemSpool::resetStreams(const SecsItem &body)
{
    if (!body.isList()) {
        return std::nullopt;
    }
    std::map<int, std::set<int>> next;
    SecsItem refused = SecsItem::list();
    for (const SecsItem &entry : body.items) {
        if (!entry.isList() || entry.items.size() != 2 || !entry.items[0].asUnsigned() || !entry.items[1].isList() ||
            *entry.items[0].asUnsigned() > 127) {
            return std::nullopt;
        }
        const auto stream = static_cast<int>(*entry.items[0].asUnsigned());
        std::vector<int> functions;
        for (const SecsItem &function : entry.items[1].items) {
            const auto id = function.asUnsigned();
            if (!id || *id > 255) {
                return std::nullopt;
            }
            functions.push_back(static_cast<int>(*id));
        }
        auto refuse = [&](std::uint8_t strack, std::vector<int> which) {
            SecsItem list = SecsItem::list();
            for (const int function : which) {
                list.items.push_back(SecsItem::u1(static_cast<std::uint64_t>(function)));
            }
            refused.items.push_back(SecsItem::list(
                {SecsItem::u1(static_cast<std::uint64_t>(stream)), SecsItem::binary(strack), std::move(list)}));
        };
        const auto known = spoolable().find(stream);
        if (stream == 1) {
            refuse(kStrackNotAllowed, {});
            continue;
        }
        if (known == spoolable().end()) {
            refuse(kStrackUnknownStream, {});
            continue;
        }
        std::vector<int> secondary;
        std::vector<int> unknown;
        for (const int function : functions) {
            if (function % 2 == 0) {
                secondary.push_back(function);
            } else if (known->second.count(function) == 0) {
                unknown.push_back(function);
            }
        }
        if (!secondary.empty()) {
            refuse(kStrackSecondary, secondary);
        } else if (!unknown.empty()) {
            refuse(kStrackUnknownFunction, unknown);
        } else {
            next[stream] = functions.empty() ? known->second : std::set<int>(functions.begin(), functions.end());
        }
    }
    if (!refused.items.empty()) {
        return SecsItem::list({SecsItem::binary(kRspackRejected), std::move(refused)});
    }
    m_streams = std::move(next);
    spdlog::info("gem: the host set the spooled streams: {}", body.toSml());
    return SecsItem::list({SecsItem::binary(0), SecsItem::list()});
}

QJsonArray GemSpool::streamsJson() const
{
    QJsonArray streams;
    for (const auto &[stream, functions] : m_streams) {
        QJsonArray list;
        for (const int function : functions) {
            list.append(function);
        }
        streams.append(QJsonObject{{QStringLiteral("stream"), stream}, {QStringLiteral("functions"), list}});
    }
    return streams;
}

void GemSpool::restoreStreams(const QJsonArray &json)
{
    std::map<int, std::set<int>> next;
    for (const QJsonValue &entry : json) {
        const int stream = entry.toObject().value(QStringLiteral("stream")).toInt(-1);
        const auto known = spoolable().find(stream);
        if (known == spoolable().end()) {
            spdlog::warn("gem: the saved spooled streams name stream {}, which is not spooled; ignored", stream);
            continue;
        }
        for (const QJsonValue &function : entry.toObject().value(QStringLiteral("functions")).toArray()) {
            if (known->second.count(function.toInt(-1)) != 0) {
                next[stream].insert(function.toInt());
            }
        }
    }
    m_streams = std::move(next);
}

} // namespace waferscope::pipelines::gem
