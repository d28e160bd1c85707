#pragma once

/// UserDirectory: the console's users — name, role and a salted, slow password hash — kept in a
/// JSON file that is rewritten atomically on every change (temporary file, then rename).
/// Hashes: PBKDF2-HMAC-SHA256 with a random 16-byte salt per user and `iterations` rounds
/// (kDefaultIterations by default); each user's iterations and salt are stored beside the hash,
/// so raising the default does not lock anyone out. Passwords are never stored, logged or kept.
/// Names: 1–32 characters of letters, digits, '.', '-' and '_'; unique. Passwords: at least
/// kMinimumPasswordLength characters (demo users excepted: see addDemoUsers()).
/// Errors: a file that cannot be read or parsed, a bad name or password, an unknown or duplicate
/// user, and removing the last admin throw UserDirectoryError naming the file or user and the
/// problem; the directory (and its file) is then unchanged.
/// Demo users: addDemoUsers() adds operator/operator, technician/technician, engineer/engineer
/// and admin/admin, marked as demo users: the composition root adds them only on the simulated
/// machine, and the login screen says so.
/// Threads: not thread-safe; verify() is slow by design (tens of milliseconds) — call it off the UI
/// thread on a copy, or serialise access. Allocates: per call.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <waferscope/core/users/role.h>

namespace waferscope::core {

class UserDirectoryError : public std::runtime_error
{
public:
    explicit UserDirectoryError(const std::string &message)
        : std::runtime_error(message)
    {
    }
};

struct User {
    std::string name;
    Role role = Role::Operator;
    bool isDemo = false;

    friend bool operator==(const User &, const User &) = default;
};

class UserDirectory
{
public:
    static constexpr int kDefaultIterations = 120'000;
    static constexpr std::size_t kMinimumPasswordLength = 8;

    /// Opens `file`, or starts an empty directory when it does not exist yet (created on the first
    /// change). Throws UserDirectoryError for a file that exists but cannot be read or parsed.
    explicit UserDirectory(std::filesystem::path file, int iterations = kDefaultIterations);

    [[nodiscard]] const std::filesystem::path &file() const noexcept { return m_file; }
    [[nodiscard]] std::vector<User> users() const;
    [[nodiscard]] std::optional<User> find(std::string_view name) const;
    [[nodiscard]] bool hasDemoUsers() const noexcept;

    void addUser(const std::string &name, Role role, std::string_view password);
    void setPassword(const std::string &name, std::string_view password);
    void setRole(const std::string &name, Role role);
    void removeUser(const std::string &name);
    /// Adds the four demo users (see above) that do not exist yet.
    void addDemoUsers();

    /// The user when `password` is theirs; nullopt for a wrong password or an unknown user (the
    /// same answer, after the same work, so a caller cannot tell which).
    [[nodiscard]] std::optional<User> verify(std::string_view name, std::string_view password) const;

private:
    struct Entry {
        User user;
        std::string saltBase64;
        std::string hashBase64;
        int iterations = 0;
    };

    [[nodiscard]] Entry makeEntry(User user, std::string_view password) const;
    [[nodiscard]] Entry *entry(std::string_view name);
    [[nodiscard]] const Entry *entry(std::string_view name) const;
    void load();
    /// Writes `entries` to the file and only then makes them the directory's.
    void commit(std::vector<Entry> entries);
    void requireAdminLeft(const std::vector<Entry> &entries, const std::string &name) const;

    std::filesystem::path m_file;
    int m_iterations;
    std::vector<Entry> m_entries;
};

} // namespace waferscope::core
