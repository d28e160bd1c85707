#include <waferscope/core/child_path.h>

#include <string>

#include <waferscope/core/validation_error.h>

namespace waferscope::core {

namespace {

[[noreturn]] void reject(const std::filesystem::path &root, std::string problem)
{
    throw ValidationError("path under " + root.string(), {{"path", std::move(problem)}});
}

} // namespace

std::filesystem::path childPath(const std::filesystem::path &root, std::initializer_list<std::string_view> parts)
{
    std::filesystem::path result = root;
    for (const std::string_view part : parts) {
        if (part.empty() || part == "." || part == "..") {
            reject(root, "'" + std::string(part) + "' cannot name a file or folder");
        }
        if (part.find_first_of(std::string_view("/\\\0", 3)) != std::string_view::npos) {
            reject(root, "'" + std::string(part) + "' holds a path separator or a NUL");
        }
        result /= std::filesystem::path(std::string(part));
    }
    // Belt and braces: the normalised result still starts with the normalised root.
    const std::filesystem::path base = root.lexically_normal();
    const std::filesystem::path normal = result.lexically_normal();
    auto b = base.begin();
    auto n = normal.begin();
    for (; b != base.end() && !b->empty(); ++b, ++n) {
        if (n == normal.end() || *n != *b) {
            reject(root, "'" + result.string() + "' is not inside the folder");
        }
    }
    return result;
}

} // namespace waferscope::core
