#pragma once

/// runUnprivileged: runs one test function of this test program again as the unprivileged user
/// "nobody" (setpriv, util-linux), so that a test of permission errors — a read-only folder — means
/// the same when the suite runs as root (CI) as it does for a person. Returns the child's exit code
/// (0: the function passed); the child's output goes to this test's output.
/// Use: if (geteuid() == 0) { QCOMPARE(runUnprivileged("theTestFunction"), 0); return; }
/// canRunUnprivileged() says whether "nobody" can reach and run this program at all (every folder
/// above it searchable by others); when it cannot, the caller says so instead of failing.
/// Threads: the test's thread. Allocates: the child process.

#include <QCoreApplication>
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>

#include <sys/stat.h>

#include <filesystem>

namespace waferscope::testing {

inline bool canRunUnprivileged()
{
    std::filesystem::path path = QCoreApplication::applicationFilePath().toStdString();
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0 || (info.st_mode & S_IROTH) == 0 || (info.st_mode & S_IXOTH) == 0) {
        return false;
    }
    for (path = path.parent_path(); !path.empty(); path = path.parent_path()) {
        if (::stat(path.c_str(), &info) != 0 || (info.st_mode & S_IXOTH) == 0) {
            return false;
        }
        if (path == path.root_path()) {
            break;
        }
    }
    return true;
}

inline int runUnprivileged(const char *testFunction)
{
    QProcess child;
    child.setProcessChannelMode(QProcess::ForwardedChannels);
    // A minimal environment, but the sanitizers' options (their suppressions) go along: without
    // them a sanitized child reports what the suite has already judged and fails for it.
    const QProcessEnvironment parent = QProcessEnvironment::systemEnvironment();
    QProcessEnvironment environment;
    environment.insert(QStringLiteral("PATH"), QStringLiteral("/usr/local/bin:/usr/bin:/bin"));
    environment.insert(QStringLiteral("HOME"), QStringLiteral("/"));
    environment.insert(QStringLiteral("TMPDIR"), QStringLiteral("/tmp"));
    for (const char *name : {"ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS", "TSAN_OPTIONS", "QT_QPA_PLATFORM"}) {
        const QString key = QString::fromLatin1(name);
        if (parent.contains(key)) {
            environment.insert(key, parent.value(key));
        }
    }
    child.setProcessEnvironment(environment);
    child.start(QStringLiteral("setpriv"),
                {QStringLiteral("--reuid=65534"), QStringLiteral("--regid=65534"), QStringLiteral("--clear-groups"),
                 QCoreApplication::applicationFilePath(), QString::fromLatin1(testFunction)});
    if (!child.waitForFinished(120'000) || child.exitStatus() != QProcess::NormalExit) {
        return -1;
    }
    return child.exitCode();
}

} // namespace waferscope::testing
