#include <waferscope/pipelines/gem/process_program_store.h>

#include <QSaveFile>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <system_error>

#include <waferscope/core/child_path.h>
#include <waferscope/core/recipes/recipe_parser.h>

namespace waferscope::pipelines::gem {

namespace {

constexpr std::size_t kMaxNameLength = 120;
constexpr std::size_t kMaxListed = 1000;

} // namespace

ProcessProgramStore::ProcessProgramStore(std::filesystem::path folder)
    : m_folder(std::move(folder))
{
}

std::string ProcessProgramStore::problemWithName(std::string_view ppid) const
{
    if (m_folder.empty()) {
        return "there is no recipe folder";
    }
    if (ppid.empty() || ppid.size() > kMaxNameLength) {
        return "a PPID has 1 to " + std::to_string(kMaxNameLength) + " characters";
    }
    if (ppid.front() == '.') {
        return "a PPID does not start with '.'";
    }
    if (!ppid.ends_with(".json") || ppid.size() == 5) {
        return "a PPID is a recipe file name ending in .json";
    }
    try {
        static_cast<void>(core::childPath(m_folder, {ppid}));
    } catch (const std::exception &e) {
        return e.what();
    }
    return {};
}

std::optional<std::filesystem::path> ProcessProgramStore::file(std::string_view ppid) const
{
    if (!problemWithName(ppid).empty()) {
        return std::nullopt;
    }
    std::filesystem::path path = core::childPath(m_folder, {ppid});
    std::error_code error;
    if (!std::filesystem::is_regular_file(path, error)) {
        return std::nullopt;
    }
    return path;
}

std::vector<std::string> ProcessProgramStore::list() const
{
    std::vector<std::string> names;
    std::error_code error;
    for (const auto &entry : std::filesystem::directory_iterator(m_folder, error)) {
        const std::string name = entry.path().filename().string();
        if (file(name)) {
            names.push_back(name);
        }
        if (names.size() >= kMaxListed) {
            break;
        }
    }
    std::sort(names.begin(), names.end());
    return names;
}

std::optional<std::string> ProcessProgramStore::read(std::string_view ppid) const
{
    const auto path = file(ppid);
    if (!path) {
        return std::nullopt;
    }
    std::ifstream in(*path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

ProcessProgramStore::Outcome ProcessProgramStore::loadInquire(std::string_view ppid, std::uint64_t length) const
{
    if (std::string problem = problemWithName(ppid); !problem.empty()) {
        return {kPpgntInvalidPpid, "PPID '" + std::string(ppid) + "': " + problem};
    }
    if (length > kMaxBodyBytes) {
        return {kPpgntNoSpace, "PPID '" + std::string(ppid) + "': " + std::to_string(length) +
                                   " bytes is over the limit of " + std::to_string(kMaxBodyBytes)};
    }
    return {kPpgntOk, {}};
}

ProcessProgramStore::Outcome ProcessProgramStore::store(std::string_view ppid, std::string_view body) const
{
    const std::string name(ppid);
    if (std::string problem = problemWithName(ppid); !problem.empty()) {
        return {kAckc7PermissionNotGranted, "PPID '" + name + "': " + problem};
    }
    if (body.size() > kMaxBodyBytes) {
        return {kAckc7LengthError, "PPID '" + name + "': the body's " + std::to_string(body.size()) +
                                       " bytes are over the limit of " + std::to_string(kMaxBodyBytes)};
    }
    try {
        static_cast<void>(core::RecipeParser::parse(body, "process program " + name));
    } catch (const std::exception &e) {
        return {kAckc7ModeUnsupported, e.what()};
    }
    const std::filesystem::path path = core::childPath(m_folder, {ppid});
    QSaveFile out(QString::fromStdString(path.string()));
    if (!out.open(QIODevice::WriteOnly) ||
        out.write(body.data(), static_cast<qint64>(body.size())) != static_cast<qint64>(body.size()) || !out.commit()) {
        return {kAckc7PermissionNotGranted,
                "PPID '" + name + "': " + path.string() + " cannot be written: " + out.errorString().toStdString()};
    }
    return {kAckc7Accepted, {}};
}

ProcessProgramStore::Outcome ProcessProgramStore::remove(const std::vector<std::string> &ppids) const
{
    if (ppids.empty()) {
        return {kAckc7PermissionNotGranted, "deleting every process program at once is not allowed"};
    }
    std::vector<std::filesystem::path> files;
    for (const std::string &ppid : ppids) {
        const auto path = file(ppid);
        if (!path) {
            return {kAckc7PpidNotFound, "PPID '" + ppid + "' does not exist"};
        }
        files.push_back(*path);
    }
    for (const std::filesystem::path &path : files) {
        std::error_code error;
        if (!std::filesystem::remove(path, error) && error) {
            return {kAckc7PermissionNotGranted, path.string() + " cannot be deleted: " + error.message()};
        }
    }
    return {kAckc7Accepted, {}};
}

} // namespace waferscope::pipelines::gem
