#include <waferscope/viewmodels/users/users_view_model.h>

#include <QPointer>
#include <QtConcurrent/QtConcurrentRun>

#include <QCoroFuture>

#include <spdlog/spdlog.h>

#include "qt_text.h"

namespace waferscope::viewmodels {

namespace {

struct Outcome {
    std::optional<core::UserDirectory> directory;
    std::string error;
};

} // namespace

UsersViewModel::UsersViewModel(ConsoleServices services, SessionViewModel &session, QObject *parent)
    : QObject(parent)
    , m_services(services)
    , m_session(session)
{
    connect(&m_session, &SessionViewModel::userChanged, this, [this] {
        Q_EMIT allowedChanged();
        Q_EMIT usersChanged();
    });
}

QVariantList UsersViewModel::users() const
{
    QVariantList list;
    if (!isAllowed()) {
        return list;
    }
    for (const core::User &user : m_services.users.users()) {
        list.append(QVariantMap{{QStringLiteral("name"), QString::fromStdString(user.name)},
                                {QStringLiteral("role"), qText(core::toText(user.role))},
                                {QStringLiteral("isDemo"), user.isDemo}});
    }
    return list;
}

QStringList UsersViewModel::roles() const
{
    QStringList names;
    for (const core::Role role : core::kAllRoles) {
        names.append(qText(core::toText(role)));
    }
    return names;
}

QCoro::QmlTask UsersViewModel::addUser(const QString &name, const QString &role, const QString &password)
{
    return addUserTask(name, role, password);
}

QCoro::QmlTask UsersViewModel::setRole(const QString &name, const QString &role)
{
    return setRoleTask(name, role);
}

QCoro::QmlTask UsersViewModel::setPassword(const QString &name, const QString &password)
{
    return setPasswordTask(name, password);
}

QCoro::QmlTask UsersViewModel::removeUser(const QString &name)
{
    return removeUserTask(name);
}

QCoro::Task<bool> UsersViewModel::addUserTask(QString name, QString role, QString password)
{
    const auto parsed = core::parseRole(role.toStdString());
    if (!parsed) {
        setMessage(tr("'%1' is not a role").arg(role));
        co_return false;
    }
    const std::string user = name.trimmed().toStdString();
    std::string action = "user.add";
    std::string detail = user + " as " + role.toStdString();
    // The change is named before the co_await: GCC 12 destroys a closure built inside one twice.
    Change change = [user, role = *parsed, secret = password.toStdString()](core::UserDirectory &d) {
        d.addUser(user, role, secret);
    };
    QString done = tr("Added %1").arg(name.trimmed());
    const bool isDone = co_await apply(std::move(change), std::move(action), std::move(detail), std::move(done));
    co_return isDone;
}

QCoro::Task<bool> UsersViewModel::setRoleTask(QString name, QString role)
{
    if (m_session.isLoggedIn() && m_session.userName() == name) {
        setMessage(tr("Another admin must change your role"));
        co_return false; // the page puts the role back when the change is refused
    }
    const auto parsed = core::parseRole(role.toStdString());
    if (!parsed) {
        setMessage(tr("'%1' is not a role").arg(role));
        co_return false;
    }
    const std::string user = name.toStdString();
    std::string action = "user.role";
    std::string detail = user + " to " + role.toStdString();
    Change change = [user, role = *parsed](core::UserDirectory &d) { d.setRole(user, role); };
    QString done = tr("%1 is now %2").arg(name, role);
    const bool isDone = co_await apply(std::move(change), std::move(action), std::move(detail), std::move(done));
    co_return isDone;
}

QCoro::Task<bool> UsersViewModel::setPasswordTask(QString name, QString password)
{
    const std::string user = name.toStdString();
    std::string action = "user.password";
    std::string detail = user;
    Change change = [user, secret = password.toStdString()](core::UserDirectory &d) { d.setPassword(user, secret); };
    QString done = tr("New password set for %1").arg(name);
    const bool isDone = co_await apply(std::move(change), std::move(action), std::move(detail), std::move(done));
    co_return isDone;
}

QCoro::Task<bool> UsersViewModel::removeUserTask(QString name)
{
    const std::string user = name.toStdString();
    if (m_session.isLoggedIn() && m_session.userName() == name) {
        setMessage(tr("You cannot remove yourself while logged in"));
        co_return false;
    }
    std::string action = "user.remove";
    std::string detail = user;
    Change change = [user](core::UserDirectory &d) { d.removeUser(user); };
    QString done = tr("Removed %1").arg(name);
    const bool isDone = co_await apply(std::move(change), std::move(action), std::move(detail), std::move(done));
    co_return isDone;
}

QCoro::Task<bool> UsersViewModel::apply(Change change, std::string action,
                                        std::string detail, QString done)
{
    if (!m_session.allows(core::Permission::ManageUsers)) {
        setMessage(m_session.refusal(core::Permission::ManageUsers));
        co_return false;
    }
    if (m_isBusy) {
        setMessage(tr("Another change to the users is still being made"));
        co_return false;
    }
    m_isBusy = true;
    Q_EMIT busyChanged();
    std::optional<core::AlarmActor> asker = m_session.actor();
    QFuture<Outcome> pending = QtConcurrent::run([copy = m_services.users, change = std::move(change)]() mutable {
        Outcome outcome;
        try {
            change(copy);
            outcome.directory.emplace(std::move(copy));
        } catch (const std::exception &e) {
            outcome.error = e.what();
        }
        return outcome;
    });
    const QPointer<UsersViewModel> self(this);
    Outcome outcome = co_await pending;
    if (!self) {
        co_return false;
    }
    m_isBusy = false;
    Q_EMIT busyChanged();
    if (!outcome.directory) {
        setMessage(QString::fromStdString(outcome.error));
        Q_EMIT usersChanged(); // the page shows the users as they still are
        co_return false;
    }
    m_services.users = std::move(*outcome.directory);
    spdlog::info("users: {} ({})", action, detail);
    setMessage({}, std::move(done));
    Q_EMIT usersChanged();
    co_await m_session.auditAs(std::move(asker), std::move(action), std::move(detail));
    co_return true;
}

void UsersViewModel::setMessage(QString error, QString status)
{
    m_errorText = std::move(error);
    m_statusText = std::move(status);
    Q_EMIT messageChanged();
}

} // namespace waferscope::viewmodels
