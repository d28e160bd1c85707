#pragma once

/// runUnprivileged: runs one test function of this test program again as the unprivileged user
/// "nobody" (setpriv, util-linux), so that a test of permission errors — a read-only folder — means
/// the same when the suite runs as root (CI) as it does for a person. Returns the child's exit code
/// (0: the function passed); the child's output goes to this test's output.
/// Use: if (geteuid() == 0) { QCOMPARE(runUnprivileged("theTestFunction"), 0); return; }
/// Threads: the test's thread. Allocates: the child process.

#include <QCoreApplication>
#include <QProcess>
#include <QString>

namespace waferscope::testing {

inline int runUnprivileged(const char *testFunction)
{
    QProcess child;
    child.setProcessChannelMode(QProcess::ForwardedChannels);
    child.start(QStringLiteral("setpriv"),
                {QStringLiteral("--reuid=65534"), QStringLiteral("--regid=65534"), QStringLiteral("--clear-groups"),
                 QStringLiteral("--reset-env"), QCoreApplication::applicationFilePath(), QString::fromLatin1(testFunction)});
    if (!child.waitForFinished(120'000) || child.exitStatus() != QProcess::NormalExit) {
        return -1;
    }
    return child.exitCode();
}

} // namespace waferscope::testing
