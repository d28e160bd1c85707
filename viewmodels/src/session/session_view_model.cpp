#include <waferscope/viewmodels/session/session_view_model.h>

#include <QPointer>
#include <QSettings>
#include <QtConcurrent/QtConcurrentRun>

#include <QCoroFuture>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

#include "qt_text.h"

namespace waferscope::viewmodels {

namespace {

/// Minutes without a key press or a click before the session ends; 0 turns it off.
constexpr int kDefaultIdleLogoutMinutes = 30;

QString secondsText(std::chrono::steady_clock::duration d)
{
    const auto seconds = std::chrono::ceil<std::chrono::seconds>(d).count();
    return QString::number(seconds) + (seconds == 1 ? QStringLiteral(" second") : QStringLiteral(" seconds"));
}

} // namespace

SessionViewModel::SessionViewModel(ConsoleServices services, QObject *parent)
    : QObject(parent)
    , m_services(services)
{
    m_idleTimer.setSingleShot(true);
    connect(&m_idleTimer, &QTimer::timeout, this, &SessionViewModel::onIdle);
    const int minutes = QSettings().value(QStringLiteral("session/idleLogoutMinutes"), kDefaultIdleLogoutMinutes).toInt();
    m_idleLimit = std::chrono::minutes(std::max(minutes, 0));
}

int SessionViewModel::idleLogoutMinutes() const noexcept
{
    return static_cast<int>(std::chrono::duration_cast<std::chrono::minutes>(m_idleLimit).count());
}

void SessionViewModel::setIdleLogoutMinutes(int minutes)
{
    minutes = std::clamp(minutes, 0, 24 * 60);
    QSettings().setValue(QStringLiteral("session/idleLogoutMinutes"), minutes);
    setIdleLogoutAfter(std::chrono::minutes(minutes));
}

void SessionViewModel::setIdleLogoutAfter(std::chrono::milliseconds limit)
{
    if (limit != m_idleLimit) {
        m_idleLimit = limit;
        Q_EMIT idleLogoutChanged();
    }
    noteActivity();
}

void SessionViewModel::noteActivity()
{
    if (m_user && m_idleLimit.count() > 0) {
        m_idleTimer.start(m_idleLimit);
    } else {
        m_idleTimer.stop();
    }
}

void SessionViewModel::onIdle()
{
    if (!m_user) {
        return;
    }
    spdlog::info("{} was idle for {} ms: the session ends", m_user->name, m_idleLimit.count());
    m_isIdleLogout = true;
    logout();
    m_isIdleLogout = false;
    setErrorText(tr("The session ended after %1 minutes without activity").arg(idleLogoutMinutes()));
}

bool SessionViewModel::hasDemoUsers() const noexcept
{
    return m_services.engine.isSimulated() && m_services.users.hasDemoUsers();
}

QCoro::QmlTask SessionViewModel::login(const QString &userName, const QString &password)
{
    return loginTask(userName, password);
}

QCoro::Task<bool> SessionViewModel::loginTask(QString userName, QString password)
{
    if (m_isBusy) {
        setErrorText(tr("A login is already being checked"));
        co_return false;
    }
    const std::string name = userName.trimmed().toStdString();
    if (const auto locked = m_throttle.lockedFor(name, core::LoginThrottle::Clock::now());
        locked > core::LoginThrottle::Clock::duration::zero()) {
        // Refused without checking the password: guessing is slowed down, not just logged.
        setErrorText(tr("Too many wrong passwords for '%1': try again in %2")
                         .arg(QString::fromStdString(name), secondsText(locked)));
        std::string detail = "user '" + name + "' locked";
        std::string action = "login.refused";
        co_await audit(std::move(action), std::move(detail));
        co_return false;
    }
    setBusy(true);
    setErrorText({});
    // The check runs on a copy of the directory: PBKDF2 takes tens of milliseconds by design.
    QFuture<std::optional<core::User>> check =
        QtConcurrent::run([directory = m_services.users, name, secret = password.toStdString()] {
            return directory.verify(name, secret);
        });
    const QPointer<SessionViewModel> self(this);
    const std::optional<core::User> user = co_await check;
    if (!self) {
        co_return false;
    }
    setBusy(false);
    if (!user) {
        spdlog::warn("login refused for user '{}'", name);
        const auto locked = m_throttle.failed(name, core::LoginThrottle::Clock::now());
        if (locked > core::LoginThrottle::Clock::duration::zero()) {
            setErrorText(tr("Wrong user name or password. Too many wrong passwords for '%1': try again in %2")
                             .arg(QString::fromStdString(name), secondsText(locked)));
        } else {
            setErrorText(tr("Wrong user name or password"));
        }
        // Named before the co_await: GCC 12 mishandles temporaries built inside one.
        std::string detail = "user '" + name + "'";
        std::string action = "login.refused";
        co_await audit(std::move(action), std::move(detail));
        co_return false;
    }
    m_throttle.succeeded(name);
    m_user = user;
    spdlog::info("{} logged in as {}", user->name, core::toText(user->role));
    Q_EMIT userChanged();
    noteActivity();
    std::string detail = user->isDemo ? "demo user" : "";
    std::string action = "login";
    co_await audit(std::move(action), std::move(detail));
    co_return true;
}

void SessionViewModel::logout()
{
    if (!m_user) {
        return;
    }
    const std::string detail = "after " + m_user->name + "'s session";
    // Audited as the user who leaves, before the session ends.
    auto entry = core::AuditEntry{m_user->name, std::string(core::toText(m_user->role)),
                                  std::chrono::system_clock::now(), m_isIdleLogout ? "logout.idle" : "logout", detail};
    m_services.engine.audit(std::move(entry)).then([] {});
    spdlog::info("{} logged out", m_user->name);
    m_user.reset();
    m_idleTimer.stop();
    Q_EMIT userChanged();
}

QString SessionViewModel::userName() const
{
    return m_user ? QString::fromStdString(m_user->name) : QString();
}

QString SessionViewModel::role() const
{
    return m_user ? qText(core::toText(m_user->role)) : QString();
}

bool SessionViewModel::allows(core::Permission permission) const noexcept
{
    return m_user && core::isAllowed(m_user->role, permission);
}

QStringList SessionViewModel::demoUsers() const
{
    QStringList result;
    if (!hasDemoUsers()) {
        return result;
    }
    for (const core::User &user : m_services.users.users()) {
        if (user.isDemo) {
            result.append(QString::fromStdString(user.name));
        }
    }
    return result;
}

std::optional<core::AlarmActor> SessionViewModel::actor() const
{
    if (!m_user) {
        return std::nullopt;
    }
    return core::AlarmActor{m_user->name, std::string(core::toText(m_user->role))};
}

QCoro::Task<void> SessionViewModel::audit(std::string action, std::string detail)
{
    return auditAs(actor(), std::move(action), std::move(detail));
}

QCoro::Task<void> SessionViewModel::auditAs(std::optional<core::AlarmActor> actor, std::string action,
                                            std::string detail)
{
    core::AuditEntry entry;
    entry.userName = actor ? actor->userName : "-";
    entry.role = actor ? actor->role : "-";
    entry.at = std::chrono::system_clock::now();
    entry.action = std::move(action);
    entry.detail = std::move(detail);
    auto stored = m_services.engine.audit(std::move(entry));
    co_await std::move(stored);
}

QString SessionViewModel::refusal(core::Permission permission) const
{
    if (!m_user) {
        return tr("Log in to %1").arg(qText(core::toText(permission)));
    }
    return tr("The %1 role may not %2").arg(qText(core::toText(m_user->role)), qText(core::toText(permission)));
}

void SessionViewModel::setBusy(bool isBusy)
{
    if (m_isBusy != isBusy) {
        m_isBusy = isBusy;
        Q_EMIT busyChanged();
    }
}

void SessionViewModel::setErrorText(QString text)
{
    if (m_errorText != text) {
        m_errorText = std::move(text);
        Q_EMIT errorTextChanged();
    }
}

} // namespace waferscope::viewmodels
