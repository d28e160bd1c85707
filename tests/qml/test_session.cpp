#include "test_session.h"

#include <QSettings>

#include <exception>

#include <waferscope/pipelines/engine/inspection_engine.h>

#include "command_line.h"
#include "console_session.h"

TestSession::TestSession(QQuickItem *parent)
    : QQuickItem(parent)
{
}

TestSession::~TestSession()
{
    // Children first: they bind to the view models the session owns.
    while (!children().isEmpty()) {
        delete children().constLast();
    }
    m_session.reset();
}

void TestSession::setFaults(const QStringList &faults)
{
    if (m_faults != faults) {
        m_faults = faults;
        Q_EMIT setupChanged();
    }
}

void TestSession::setUnpaced(bool isUnpaced)
{
    if (m_isUnpaced != isUnpaced) {
        m_isUnpaced = isUnpaced;
        Q_EMIT setupChanged();
    }
}

void TestSession::setRecipe(const QString &recipe)
{
    if (m_recipe != recipe) {
        m_recipe = recipe;
        Q_EMIT setupChanged();
    }
}

waferscope::viewmodels::ConsoleViewModel *TestSession::console() const
{
    return m_session ? &m_session->console() : nullptr;
}

void TestSession::abortRun()
{
    if (m_session && m_session->engine().progress().isRunning) {
        m_session->engine().abort("the test ends");
    }
}

void TestSession::componentComplete()
{
    QQuickItem::componentComplete();
    if (!m_data.isValid()) {
        m_errorText = QStringLiteral("no temporary data folder: %1").arg(m_data.errorString());
        Q_EMIT consoleChanged();
        return;
    }
    waferscope::app::CommandLine options;
    options.outputFolder = m_data.path().toStdString();
    options.recipeFolder = WAFERSCOPE_RECIPES_DIR;
    options.recipeFile = options.recipeFolder / m_recipe.toStdString();
    options.isUnpaced = m_isUnpaced;
    for (const QString &fault : std::as_const(m_faults)) {
        options.faults.push_back(fault.toStdString());
    }
    // The Run page starts on the remembered recipe; remember this session's.
    QSettings().setValue(QStringLiteral("run/recipe"), m_recipe);
    try {
        m_session = std::make_unique<waferscope::app::ConsoleSession>(options);
    } catch (const std::exception &e) {
        m_errorText = QString::fromStdString(e.what());
    }
    Q_EMIT consoleChanged();
}
