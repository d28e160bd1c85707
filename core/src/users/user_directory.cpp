#include <waferscope/core/users/user_directory.h>

#include <QByteArray>
#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPasswordDigestor>
#include <QRandomGenerator>
#include <QSaveFile>

#include <algorithm>

namespace waferscope::core {

namespace {

constexpr int kFormatVersion = 1;
constexpr qsizetype kSaltBytes = 16;
constexpr quint64 kHashBytes = 32;

QByteArray derive(std::string_view password, const QByteArray &salt, int iterations)
{
    const QByteArray secret(password.data(), static_cast<qsizetype>(password.size()));
    return QPasswordDigestor::deriveKeyPbkdf2(QCryptographicHash::Sha256, secret, salt, iterations, kHashBytes);
}

bool isValidName(std::string_view name)
{
    if (name.empty() || name.size() > 32) {
        return false;
    }
    return std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
               c == '_';
    });
}

/// Compares in time independent of where the bytes differ.
bool equalConstantTime(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size()) {
        return false;
    }
    unsigned char difference = 0;
    for (qsizetype i = 0; i < a.size(); ++i) {
        difference |= static_cast<unsigned char>(a[i] ^ b[i]);
    }
    return difference == 0;
}

} // namespace

UserDirectory::UserDirectory(std::filesystem::path file, int iterations)
    : m_file(std::move(file))
    , m_iterations(iterations)
{
    if (iterations < 1) {
        throw UserDirectoryError("user directory " + m_file.string() + ": iterations must be positive");
    }
    if (std::filesystem::exists(m_file)) {
        load();
    }
}

std::vector<User> UserDirectory::users() const
{
    std::vector<User> result;
    result.reserve(m_entries.size());
    for (const auto &e : m_entries) {
        result.push_back(e.user);
    }
    return result;
}

std::optional<User> UserDirectory::find(std::string_view name) const
{
    const Entry *e = entry(name);
    return e != nullptr ? std::optional<User>(e->user) : std::nullopt;
}

bool UserDirectory::hasDemoUsers() const noexcept
{
    return std::any_of(m_entries.begin(), m_entries.end(), [](const Entry &e) { return e.user.isDemo; });
}

void UserDirectory::addUser(const std::string &name, Role role, std::string_view password)
{
    if (!isValidName(name)) {
        throw UserDirectoryError("user name '" + name +
                                 "' is not valid: use 1-32 letters, digits, '.', '-' or '_'");
    }
    if (entry(name) != nullptr) {
        throw UserDirectoryError("user '" + name + "' already exists");
    }
    if (password.size() < kMinimumPasswordLength) {
        throw UserDirectoryError("the password for '" + name + "' is too short: at least " +
                                 std::to_string(kMinimumPasswordLength) + " characters");
    }
    auto entries = m_entries;
    entries.push_back(makeEntry(User{name, role, false}, password));
    commit(std::move(entries));
}

void UserDirectory::setPassword(const std::string &name, std::string_view password)
{
    const Entry *old = entry(name);
    if (old == nullptr) {
        throw UserDirectoryError("there is no user '" + name + "'");
    }
    if (password.size() < kMinimumPasswordLength) {
        throw UserDirectoryError("the password for '" + name + "' is too short: at least " +
                                 std::to_string(kMinimumPasswordLength) + " characters");
    }
    auto entries = m_entries;
    auto it = std::find_if(entries.begin(), entries.end(), [&](const Entry &e) { return e.user.name == name; });
    User user = it->user;
    user.isDemo = false;
    *it = makeEntry(std::move(user), password);
    commit(std::move(entries));
}

void UserDirectory::setRole(const std::string &name, Role role)
{
    if (entry(name) == nullptr) {
        throw UserDirectoryError("there is no user '" + name + "'");
    }
    auto entries = m_entries;
    auto it = std::find_if(entries.begin(), entries.end(), [&](const Entry &e) { return e.user.name == name; });
    it->user.role = role;
    requireAdminLeft(entries, name);
    commit(std::move(entries));
}

void UserDirectory::removeUser(const std::string &name)
{
    if (entry(name) == nullptr) {
        throw UserDirectoryError("there is no user '" + name + "'");
    }
    auto entries = m_entries;
    std::erase_if(entries, [&](const Entry &e) { return e.user.name == name; });
    requireAdminLeft(entries, name);
    commit(std::move(entries));
}

void UserDirectory::addDemoUsers()
{
    auto entries = m_entries;
    bool isChanged = false;
    for (const Role role : kAllRoles) {
        const std::string name(toText(role));
        if (entry(name) == nullptr) {
            entries.push_back(makeEntry(User{name, role, true}, name));
            isChanged = true;
        }
    }
    if (isChanged) {
        commit(std::move(entries));
    }
}

std::optional<User> UserDirectory::verify(std::string_view name, std::string_view password) const
{
    const Entry *e = entry(name);
    if (e == nullptr) {
        // The same work as for a real user, so timing does not tell which names exist.
        static_cast<void>(derive(password, QByteArray(kSaltBytes, '\0'), m_iterations));
        return std::nullopt;
    }
    const QByteArray salt = QByteArray::fromBase64(QByteArray::fromStdString(e->saltBase64));
    const QByteArray expected = QByteArray::fromBase64(QByteArray::fromStdString(e->hashBase64));
    if (!equalConstantTime(derive(password, salt, e->iterations), expected)) {
        return std::nullopt;
    }
    return e->user;
}

UserDirectory::Entry UserDirectory::makeEntry(User user, std::string_view password) const
{
    QByteArray salt(kSaltBytes, Qt::Uninitialized);
    QRandomGenerator::system()->generate(salt.begin(), salt.end());
    Entry e;
    e.user = std::move(user);
    e.iterations = m_iterations;
    e.saltBase64 = salt.toBase64().toStdString();
    e.hashBase64 = derive(password, salt, m_iterations).toBase64().toStdString();
    return e;
}

UserDirectory::Entry *UserDirectory::entry(std::string_view name)
{
    auto it = std::find_if(m_entries.begin(), m_entries.end(), [&](const Entry &e) { return e.user.name == name; });
    return it == m_entries.end() ? nullptr : &*it;
}

const UserDirectory::Entry *UserDirectory::entry(std::string_view name) const
{
    auto it = std::find_if(m_entries.begin(), m_entries.end(), [&](const Entry &e) { return e.user.name == name; });
    return it == m_entries.end() ? nullptr : &*it;
}

void UserDirectory::load()
{
    const QString path = QString::fromStdString(m_file.string());
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        throw UserDirectoryError("user directory " + m_file.string() + " cannot be read: " +
                                 file.errorString().toStdString());
    }
    QJsonParseError parseError{};
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        throw UserDirectoryError("user directory " + m_file.string() + " is not valid JSON: " +
                                 parseError.errorString().toStdString());
    }
    const QJsonObject root = document.object();
    if (root.value("version").toInt() != kFormatVersion) {
        throw UserDirectoryError("user directory " + m_file.string() + ": unknown format version " +
                                 std::to_string(root.value("version").toInt()));
    }
    std::vector<Entry> entries;
    const QJsonArray users = root.value("users").toArray();
    for (qsizetype i = 0; i < users.size(); ++i) {
        const QJsonObject u = users.at(i).toObject();
        const std::string where = m_file.string() + ": users[" + std::to_string(i) + "]";
        Entry e;
        e.user.name = u.value("name").toString().toStdString();
        const auto role = parseRole(u.value("role").toString().toStdString());
        e.user.isDemo = u.value("demo").toBool(false);
        e.saltBase64 = u.value("salt").toString().toStdString();
        e.hashBase64 = u.value("hash").toString().toStdString();
        e.iterations = u.value("iterations").toInt();
        if (!isValidName(e.user.name)) {
            throw UserDirectoryError(where + ".name: '" + e.user.name + "' is not a valid user name");
        }
        if (!role) {
            throw UserDirectoryError(where + ".role: '" + u.value("role").toString().toStdString() +
                                     "' is not a role (operator, technician, engineer, admin)");
        }
        if (e.saltBase64.empty() || e.hashBase64.empty() || e.iterations < 1) {
            throw UserDirectoryError(where + ": salt, hash and iterations are required");
        }
        e.user.role = *role;
        entries.push_back(std::move(e));
    }
    m_entries = std::move(entries);
}

void UserDirectory::commit(std::vector<Entry> entries)
{
    QJsonArray users;
    for (const auto &e : entries) {
        users.append(QJsonObject{{"name", QString::fromStdString(e.user.name)},
                                 {"role", QString::fromUtf8(toText(e.user.role).data(),
                                                            static_cast<qsizetype>(toText(e.user.role).size()))},
                                 {"demo", e.user.isDemo},
                                 {"salt", QString::fromStdString(e.saltBase64)},
                                 {"hash", QString::fromStdString(e.hashBase64)},
                                 {"iterations", e.iterations}});
    }
    const QJsonObject root{{"version", kFormatVersion}, {"users", users}};
    QSaveFile file(QString::fromStdString(m_file.string()));
    if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(root).toJson()) < 0 || !file.commit()) {
        throw UserDirectoryError("user directory " + m_file.string() + " cannot be written: " +
                                 file.errorString().toStdString());
    }
    m_entries = std::move(entries);
}

void UserDirectory::requireAdminLeft(const std::vector<Entry> &entries, const std::string &name) const
{
    const bool hadAdmin = std::any_of(m_entries.begin(), m_entries.end(),
                                      [](const Entry &e) { return e.user.role == Role::Admin; });
    const bool hasAdmin =
        std::any_of(entries.begin(), entries.end(), [](const Entry &e) { return e.user.role == Role::Admin; });
    if (hadAdmin && !hasAdmin) {
        throw UserDirectoryError("'" + name + "' is the last admin: another admin must exist first");
    }
}

} // namespace waferscope::core
