#include "console_session.h"

#include <QEvent>
#include <QQmlContext>
#include <QQuickWindow>
#include <QSettings>
#include <QtPlugin>
#include <QtQml/qqmlextensionplugin.h>

#include <QCoroQml>

#include <spdlog/spdlog.h>

#include <waferscope/core/recipes/recipe_parser.h>
#include <waferscope/core/users/user_directory.h>
#include <waferscope/hardware/sim/fault_spec.h>
#include <waferscope/hardware/sim/simulated_machine.h>
#include <waferscope/pipelines/engine/detector_analyzer.h>
#include <waferscope/pipelines/engine/inspection_engine.h>
#include <waferscope/runtime/allocation_counter.h>
#include <waferscope/runtime/runtime_stats.h>
#include <waferscope/runtime/stats_registry.h>
#include <waferscope/viewmodels/console/console_view_model.h>

#include "gem_setup.h"
#include "simulator_setup.h"
#include "machine_setup.h"

Q_IMPORT_QML_PLUGIN(Waferscope_ViewModelsPlugin)
Q_IMPORT_QML_PLUGIN(Waferscope_ConsolePlugin)

namespace waferscope::app {

namespace {

core::Recipe startupRecipe(const CommandLine &options)
{
    const std::filesystem::path file = options.recipeFile.empty() ? options.recipeFolder / "default.json" : options.recipeFile;
    return core::RecipeParser::parseFile(file);
}

} // namespace

struct ConsoleSession::Parts {
    explicit Parts(const CommandLine &options)
        : setup(startupRecipe(options), options)
        , machine(setup.simulator())
        , users(userDirectory(options.outputFolder))
        , engine(setup.machine(), engineSetup(options, machine), stats)
        , console(services(options), QString::fromLatin1(WAFERSCOPE_VERSION))
        , gem(makeGemService(options, engine))
    {
    }

    /// The data folder's users; demo users exist only on the simulated machine (the only machine
    /// this build drives), and before any view model is made.
    static core::UserDirectory userDirectory(const std::filesystem::path &dataFolder)
    {
        std::filesystem::create_directories(dataFolder);
        core::UserDirectory directory(dataFolder / "users.json");
        directory.addDemoUsers();
        return directory;
    }

    viewmodels::ConsoleServices services(const CommandLine &options)
    {
        viewmodels::ConsoleServices result{engine, users, options.recipeFolder, {}};
        result.processAllocations = [] { return runtime::processAllocations(); };
        return result;
    }

    static pipelines::InspectionEngine::Setup engineSetup(const CommandLine &options,
                                                          hardware::sim::SimulatedMachine &machine)
    {
        pipelines::InspectionEngine::Setup setup;
        setup.dataFolder = options.outputFolder;
        setup.onDamagedDatabase = options.onDamagedDatabase;
        setup.makeAnalyzer = [](const core::Recipe &r) { return std::make_unique<pipelines::DetectorAnalyzer>(r); };
        setup.injectFault = [&machine](const std::string &spec) {
            static_cast<void>(machine.injectFault(hardware::sim::FaultSpec::parse(spec)));
        };
        return setup;
    }

    MachineSetup setup;
    hardware::sim::SimulatedMachine &machine; ///< the simulated part, for fault injection
    runtime::StatsRegistry stats;
    runtime::RuntimeStats runtimeStats{stats}; ///< failures with no awaiter, on the Statistics page
    core::UserDirectory users;
    pipelines::InspectionEngine engine;
    viewmodels::ConsoleViewModel console;
    std::unique_ptr<pipelines::gem::GemService> gem; ///< null without --gem-port
};

void registerConsoleQml()
{
    QCoro::Qml::registerTypes();
}

ConsoleSession::ConsoleSession(const CommandLine &options)
    : m_parts(std::make_unique<Parts>(options))
{
    m_qml = std::make_unique<QQmlApplicationEngine>();
    m_qml->addImportPath(QStringLiteral("qrc:/qt/qml"));
}

ConsoleSession::~ConsoleSession()
{
    // The window goes first: QML holds pointers to the view models.
    m_qml.reset();
    m_parts->engine.defectFeed().close();
}

namespace {

/// Tells the session of every key press, click and wheel turn in the window, so the idle logout
/// counts from the last one. Sees events, never consumes them.
class ActivityFilter final : public QObject
{
public:
    ActivityFilter(viewmodels::SessionViewModel &session, QObject *parent)
        : QObject(parent)
        , m_session(session)
    {
    }

    bool eventFilter(QObject *watched, QEvent *event) override
    {
        switch (event->type()) {
        case QEvent::KeyPress:
        case QEvent::MouseButtonPress:
        case QEvent::Wheel:
        case QEvent::TouchBegin:
            m_session.noteActivity();
            break;
        default:
            break;
        }
        return QObject::eventFilter(watched, event);
    }

private:
    viewmodels::SessionViewModel &m_session;
};

} // namespace

bool ConsoleSession::showWindow()
{
    m_qml->setInitialProperties({{QStringLiteral("console"), QVariant::fromValue(&m_parts->console)}});
    m_qml->load(QUrl(QStringLiteral("qrc:/qt/qml/Waferscope/Console/qml/Main.qml")));
    QQuickWindow *w = window();
    if (w == nullptr) {
        spdlog::error("the console window could not be loaded");
        return false;
    }
    w->installEventFilter(new ActivityFilter(*m_parts->console.session(), w));
    const QByteArray geometry = QSettings().value(QStringLiteral("window/geometry")).toByteArray();
    if (!geometry.isEmpty()) {
        QDataStream in(geometry);
        QRect rect;
        in >> rect;
        if (rect.isValid()) {
            w->setGeometry(rect);
        }
    }
    return true;
}

void ConsoleSession::saveWindowState()
{
    if (QQuickWindow *w = window()) {
        QByteArray geometry;
        QDataStream out(&geometry, QIODevice::WriteOnly);
        out << w->geometry();
        QSettings().setValue(QStringLiteral("window/geometry"), geometry);
    }
}

QQuickWindow *ConsoleSession::window() const
{
    const auto roots = m_qml->rootObjects();
    return roots.isEmpty() ? nullptr : qobject_cast<QQuickWindow *>(roots.first());
}

viewmodels::ConsoleViewModel &ConsoleSession::console()
{
    return m_parts->console;
}

hardware::sim::SimulatedMachine &ConsoleSession::machine()
{
    return m_parts->machine;
}

pipelines::InspectionEngine &ConsoleSession::engine()
{
    return m_parts->engine;
}

pipelines::DefectFeed &ConsoleSession::defectFeed()
{
    return m_parts->engine.defectFeed();
}

} // namespace waferscope::app
