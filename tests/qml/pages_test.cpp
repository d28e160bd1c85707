// QtQuickTest of the console's pages and window (tst_*.qml in this folder). Every test function
// gets a fresh console on its own simulated machine (TestSession, module Waferscope.Testing),
// built by the program's composition root, offscreen.

#include <QApplication>
#include <QQmlEngine>
#include <QQuickStyle>
#include <QSettings>
#include <QTemporaryDir>
#include <QtQml/qqml.h>
#include <QtQuickTest/quicktest.h>

#include <spdlog/spdlog.h>

#include "console_session.h"
#include "test_session.h"

/// QtQuickTest calls it for the QML engine of each tst_*.qml file.
class QmlPagesSetup : public QObject
{
    Q_OBJECT

public Q_SLOTS:
    void qmlEngineAvailable(QQmlEngine *engine)
    {
        // The console's static QML modules live in the resources, where Qt 6.4 does not look
        // by itself.
        engine->addImportPath(QStringLiteral("qrc:/qt/qml"));
    }
};

int main(int argc, char *argv[])
{
    if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM")) {
        qputenv("QT_QPA_PLATFORM", "offscreen");
    }
    waferscope::app::registerConsoleQml();
    QQuickStyle::setStyle(QStringLiteral("Basic"));
    qmlRegisterType<TestSession>("Waferscope.Testing", 1, 0, "TestSession");
    // The engine's info lines would bury the test log; warnings and errors still show.
    spdlog::set_level(spdlog::level::warn);

    // Qt Charts (the Statistics page) draws through Graphics View, which needs a QApplication.
    QApplication app(argc, argv);
    // Settings (the remembered recipe, window geometry) go to a folder of this run only.
    QTemporaryDir settings;
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settings.path());
    QCoreApplication::setOrganizationName(QStringLiteral("WaferscopeQmlTest"));

    QmlPagesSetup setup;
    return quick_test_main_with_setup(argc, argv, "qml_pages", QUICK_TEST_SOURCE_DIR, &setup);
}

#include "pages_test.moc"
