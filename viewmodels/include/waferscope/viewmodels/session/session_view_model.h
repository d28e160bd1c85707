#pragma once

/// SessionViewModel: who is at the console. login() checks a password against the user directory
/// off the UI thread (PBKDF2 is slow on purpose) and, on success, makes that user current; logout()
/// ends the session. Every login, failed login and logout goes to the audit.
/// Permissions: allows() answers for the current user (nobody logged in: nothing is allowed); the
/// other view models ask it before every command, so hiding a button is never the only guard.
/// Busy: while a login is checked, isBusy is true and a second login is refused.
/// Errors: a failed login sets errorText ("wrong user name or password" — the same for both).
/// Lockout: after five wrong passwords in a row for a name, that name is refused without a check
/// for 30 s, doubling with each wrong try after (core::LoginThrottle); the message says how long.
/// Idle logout: with nobody pressing a key or clicking (noteActivity(), from the window's event
/// filter) for idleLogoutMinutes (a setting; 0 turns it off), the session ends, audited.
/// Lifetime: a pending login holds a QPointer to the view model and finishes without touching it
/// once it is gone.
/// Threads: the GUI thread. Allocates: per command.

#include <QObject>
#include <QStringList>
#include <QTimer>
#include <QtQml/qqmlregistration.h>

#include <QCoroQmlTask>
#include <QCoroTask>

#include <chrono>
#include <optional>

#include <waferscope/core/alarms/alarm_actor.h>
#include <waferscope/core/users/login_throttle.h>
#include <waferscope/core/users/user_directory.h>
#include <waferscope/viewmodels/console/console_services.h>

namespace waferscope::viewmodels {

class SessionViewModel : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The console owns the session")
    Q_PROPERTY(bool isLoggedIn READ isLoggedIn NOTIFY userChanged)
    Q_PROPERTY(QString userName READ userName NOTIFY userChanged)
    Q_PROPERTY(QString role READ role NOTIFY userChanged)
    Q_PROPERTY(bool isDemoUser READ isDemoUser NOTIFY userChanged)
    Q_PROPERTY(bool canRun READ canRun NOTIFY userChanged)
    Q_PROPERTY(bool canAcknowledge READ canAcknowledge NOTIFY userChanged)
    Q_PROPERTY(bool canShelve READ canShelve NOTIFY userChanged)
    Q_PROPERTY(bool canViewStatistics READ canViewStatistics NOTIFY userChanged)
    Q_PROPERTY(bool canExport READ canExport NOTIFY userChanged)
    Q_PROPERTY(bool canManageUsers READ canManageUsers NOTIFY userChanged)
    Q_PROPERTY(bool canViewAudit READ canViewAudit NOTIFY userChanged)
    Q_PROPERTY(bool canReviewDefects READ canReviewDefects NOTIFY userChanged)
    Q_PROPERTY(bool isBusy READ isBusy NOTIFY busyChanged)
    Q_PROPERTY(QString errorText READ errorText NOTIFY errorTextChanged)
    Q_PROPERTY(bool hasDemoUsers READ hasDemoUsers CONSTANT)
    Q_PROPERTY(QStringList demoUsers READ demoUsers CONSTANT)
    Q_PROPERTY(int idleLogoutMinutes READ idleLogoutMinutes WRITE setIdleLogoutMinutes NOTIFY idleLogoutChanged)

public:
    explicit SessionViewModel(ConsoleServices services, QObject *parent = nullptr);

    /// Checks `password` for `userName`; resolves to true when the user is now logged in.
    Q_INVOKABLE QCoro::QmlTask login(const QString &userName, const QString &password);
    [[nodiscard]] QCoro::Task<bool> loginTask(QString userName, QString password);
    Q_INVOKABLE void logout();
    /// A key press or a click: the idle logout counts from now.
    Q_INVOKABLE void noteActivity();
    [[nodiscard]] int idleLogoutMinutes() const noexcept;
    /// Stored in the settings; 0 turns the idle logout off.
    void setIdleLogoutMinutes(int minutes);
    /// The same, to the millisecond and not stored (tests).
    void setIdleLogoutAfter(std::chrono::milliseconds limit);

    [[nodiscard]] bool isLoggedIn() const noexcept { return m_user.has_value(); }
    [[nodiscard]] QString userName() const;
    [[nodiscard]] QString role() const;
    [[nodiscard]] bool isDemoUser() const noexcept { return m_user && m_user->isDemo; }
    [[nodiscard]] bool allows(core::Permission permission) const noexcept;
    [[nodiscard]] bool canRun() const noexcept { return allows(core::Permission::RunInspection); }
    [[nodiscard]] bool canAcknowledge() const noexcept { return allows(core::Permission::AcknowledgeAlarms); }
    [[nodiscard]] bool canShelve() const noexcept { return allows(core::Permission::ShelveAlarms); }
    [[nodiscard]] bool canViewStatistics() const noexcept { return allows(core::Permission::ViewStatistics); }
    [[nodiscard]] bool canExport() const noexcept { return allows(core::Permission::ExportResults); }
    [[nodiscard]] bool canManageUsers() const noexcept { return allows(core::Permission::ManageUsers); }
    [[nodiscard]] bool canViewAudit() const noexcept { return allows(core::Permission::ViewAudit); }
    [[nodiscard]] bool canReviewDefects() const noexcept { return allows(core::Permission::ReviewDefects); }
    [[nodiscard]] bool isBusy() const noexcept { return m_isBusy; }
    [[nodiscard]] QString errorText() const { return m_errorText; }
    /// Read from the user directory when asked: the composition root adds the demo users after
    /// the view models are made.
    [[nodiscard]] bool hasDemoUsers() const noexcept;
    [[nodiscard]] QStringList demoUsers() const;

    /// The current user as the alarm model records an actor; nullopt when nobody is logged in.
    [[nodiscard]] std::optional<core::AlarmActor> actor() const;
    /// Writes `action` and `detail` to the audit with the current user (or "-" when none).
    [[nodiscard]] QCoro::Task<void> audit(std::string action, std::string detail);
    /// The same for `actor`, the user who gave a command that took a while: whoever is logged in
    /// by the time it is done is not who asked for it.
    [[nodiscard]] QCoro::Task<void> auditAs(std::optional<core::AlarmActor> actor, std::string action,
                                            std::string detail);
    /// The message for a refused command: "<role> <user> may not <what>", or "log in to <what>".
    [[nodiscard]] QString refusal(core::Permission permission) const;

Q_SIGNALS:
    void userChanged();
    void busyChanged();
    void errorTextChanged();
    void idleLogoutChanged();

private:
    void setBusy(bool isBusy);
    void setErrorText(QString text);
    void onIdle();

    ConsoleServices m_services;
    std::optional<core::User> m_user;
    bool m_isBusy = false;
    QString m_errorText;
    core::LoginThrottle m_throttle;
    QTimer m_idleTimer;
    std::chrono::milliseconds m_idleLimit{0};
    bool m_isIdleLogout = false;
};

} // namespace waferscope::viewmodels
