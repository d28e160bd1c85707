#pragma once

/// TestSession (QML type of the test-only module Waferscope.Testing): one console on its own
/// simulated machine, built by the same composition root as the program, for a QtQuickTest to put a
/// page or the window on.
/// Setup: `faults` (simulator fault specs, timed from the machine's power-on), `isUnpaced` and
/// `recipe` (a file in the recipe folder: the machine's recipe and the Run page's remembered
/// choice) are read once, when the component completes; `console` is set then, or stays null with
/// `errorText` saying why the session could not be built.
/// abortRun(): aborts the run going on, whoever is logged in (a test's cleanup after a failure).
/// Data: a fresh temporary folder per session (database, users, crops), removed with it.
/// Lifetime: the items made as its children (pages, the window) hold pointers into its view
/// models, so they are destroyed first; then the QML engine of the session, the view models, the
/// engine and the machine, in the composition root's order.
/// Threads: the GUI thread.

#include <QQuickItem>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

#include <waferscope/viewmodels/console/console_view_model.h>

namespace waferscope::app {
class ConsoleSession;
}

class TestSession : public QQuickItem
{
    Q_OBJECT
    Q_PROPERTY(QStringList faults READ faults WRITE setFaults NOTIFY setupChanged)
    Q_PROPERTY(bool isUnpaced READ isUnpaced WRITE setUnpaced NOTIFY setupChanged)
    Q_PROPERTY(QString recipe READ recipe WRITE setRecipe NOTIFY setupChanged)
    Q_PROPERTY(waferscope::viewmodels::ConsoleViewModel *console READ console NOTIFY consoleChanged)
    Q_PROPERTY(QString errorText READ errorText NOTIFY consoleChanged)
    Q_PROPERTY(QString dataFolder READ dataFolder CONSTANT)

public:
    explicit TestSession(QQuickItem *parent = nullptr);
    ~TestSession() override;
    TestSession(const TestSession &) = delete;
    TestSession &operator=(const TestSession &) = delete;

    [[nodiscard]] QStringList faults() const { return m_faults; }
    void setFaults(const QStringList &faults);
    [[nodiscard]] bool isUnpaced() const noexcept { return m_isUnpaced; }
    void setUnpaced(bool isUnpaced);
    [[nodiscard]] QString recipe() const { return m_recipe; }
    void setRecipe(const QString &recipe);
    [[nodiscard]] waferscope::viewmodels::ConsoleViewModel *console() const;
    [[nodiscard]] QString errorText() const { return m_errorText; }
    [[nodiscard]] QString dataFolder() const { return m_data.path(); }

    Q_INVOKABLE void abortRun();

Q_SIGNALS:
    void setupChanged();
    void consoleChanged();

protected:
    void componentComplete() override;

private:
    QStringList m_faults;
    bool m_isUnpaced = false;
    QString m_recipe = QStringLiteral("default.json");
    QTemporaryDir m_data;
    std::unique_ptr<waferscope::app::ConsoleSession> m_session;
    QString m_errorText;
};
