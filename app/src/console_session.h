#pragma once

// The graphical console's composition root: the simulated machine, the stats registry, the user
// directory (with demo users on the simulated machine), the engine (with the UI's defect feed), the view
// models and the QML engine with the window — made in that order and torn down in reverse.
// Window geometry is restored from and saved to QSettings ("window/geometry").

#include <QObject>
#include <QQmlApplicationEngine>

#include <filesystem>
#include <memory>

#include "command_line.h"

QT_BEGIN_NAMESPACE
class QQuickWindow;
QT_END_NAMESPACE

namespace waferscope::hardware::sim {
class SimulatedMachine;
}
namespace waferscope::viewmodels {
class ConsoleViewModel;
}
namespace waferscope::pipelines {
class DefectFeed;
class InspectionEngine;
}

namespace waferscope::app {

class ConsoleSession
{
public:
    /// Builds everything but the window. Throws for a recipe, user file or data folder that
    /// cannot be used, naming it.
    explicit ConsoleSession(const CommandLine &options);
    ~ConsoleSession();
    ConsoleSession(const ConsoleSession &) = delete;
    ConsoleSession &operator=(const ConsoleSession &) = delete;

    /// Loads the window; false (with the QML errors logged) when it cannot be loaded.
    [[nodiscard]] bool showWindow();
    /// Saves the window geometry; the composition root calls it before the event loop ends.
    void saveWindowState();

    [[nodiscard]] QQuickWindow *window() const;
    [[nodiscard]] viewmodels::ConsoleViewModel &console();
    [[nodiscard]] hardware::sim::SimulatedMachine &machine();
    [[nodiscard]] pipelines::InspectionEngine &engine();
    /// The feed the engine hands defects to (a load test publishes into it directly).
    [[nodiscard]] pipelines::DefectFeed &defectFeed();
    [[nodiscard]] QQmlApplicationEngine &qml() { return *m_qml; }

private:
    struct Parts;
    std::unique_ptr<Parts> m_parts;
    std::unique_ptr<QQmlApplicationEngine> m_qml;
};

/// Registers the console's QML modules (static plugins) and QCoro's QmlTask; call once, before
/// the first QML engine is made.
void registerConsoleQml();

} // namespace waferscope::app
