#pragma once

/// UsersViewModel: the admin's user management — list the users with their roles, add one, change
/// a role, set a new password, remove one. Every command needs ManageUsers (checked here), is
/// audited (never with the password) and resolves to true once the directory file is written; a
/// refused or failed command sets errorText and changes nothing. The directory's own rules hold
/// (valid names, passwords of at least 8 characters, the last admin stays).
/// Hashing: a new password is hashed off the UI thread (PBKDF2 is slow on purpose); isBusy while
/// it is, and a second command is refused.
/// Lifetime: coroutines hold a QPointer and stop without touching a destroyed view model.
/// Threads: the GUI thread; hashing on Qt's global thread pool. Allocates: per command.

#include <QObject>
#include <QStringList>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>

#include <QCoroQmlTask>
#include <QCoroTask>

#include <functional>

#include <waferscope/core/users/user_directory.h>
#include <waferscope/viewmodels/console/console_services.h>
#include <waferscope/viewmodels/session/session_view_model.h>

namespace waferscope::viewmodels {

class UsersViewModel : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The console owns the users view model")
    Q_PROPERTY(QVariantList users READ users NOTIFY usersChanged)
    Q_PROPERTY(QStringList roles READ roles CONSTANT)
    /// The user directory's rule, for the page to say and to hold its buttons to.
    Q_PROPERTY(int minimumPasswordLength READ minimumPasswordLength CONSTANT)
    Q_PROPERTY(bool isAllowed READ isAllowed NOTIFY allowedChanged)
    Q_PROPERTY(bool isBusy READ isBusy NOTIFY busyChanged)
    Q_PROPERTY(QString errorText READ errorText NOTIFY messageChanged)
    Q_PROPERTY(QString statusText READ statusText NOTIFY messageChanged)

public:
    UsersViewModel(ConsoleServices services, SessionViewModel &session, QObject *parent = nullptr);

    Q_INVOKABLE QCoro::QmlTask addUser(const QString &name, const QString &role, const QString &password);
    Q_INVOKABLE QCoro::QmlTask setRole(const QString &name, const QString &role);
    Q_INVOKABLE QCoro::QmlTask setPassword(const QString &name, const QString &password);
    Q_INVOKABLE QCoro::QmlTask removeUser(const QString &name);
    [[nodiscard]] QCoro::Task<bool> addUserTask(QString name, QString role, QString password);
    [[nodiscard]] QCoro::Task<bool> setRoleTask(QString name, QString role);
    [[nodiscard]] QCoro::Task<bool> setPasswordTask(QString name, QString password);
    [[nodiscard]] QCoro::Task<bool> removeUserTask(QString name);

    [[nodiscard]] QVariantList users() const;
    [[nodiscard]] QStringList roles() const;
    [[nodiscard]] static int minimumPasswordLength() noexcept
    {
        return static_cast<int>(core::UserDirectory::kMinimumPasswordLength);
    }
    [[nodiscard]] bool isAllowed() const noexcept { return m_session.canManageUsers(); }
    [[nodiscard]] bool isBusy() const noexcept { return m_isBusy; }
    [[nodiscard]] QString errorText() const { return m_errorText; }
    [[nodiscard]] QString statusText() const { return m_statusText; }

Q_SIGNALS:
    void usersChanged();
    void allowedChanged();
    void busyChanged();
    void messageChanged();

private:
    using Change = std::function<void(core::UserDirectory &)>;
    /// Runs `change` on a copy of the directory off the UI thread and, when it succeeds, makes the
    /// copy the directory's state (the file is already written by then).
    QCoro::Task<bool> apply(Change change, std::string action, std::string detail, QString done);
    void setMessage(QString error, QString status = {});

    ConsoleServices m_services;
    SessionViewModel &m_session;
    bool m_isBusy = false;
    QString m_errorText;
    QString m_statusText;
};

} // namespace waferscope::viewmodels
