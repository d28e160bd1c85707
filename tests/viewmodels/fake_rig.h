#pragma once

// A console's services for view-model tests of view-model logic: the FakeEngine (no threads, no
// simulator, no store) over a bundled recipe's wafer, a user directory with the demo users (cheap
// hashes) in a temporary folder, and the audit the fake recorded.

#include <QTemporaryDir>

#include <algorithm>
#include <filesystem>
#include <vector>

#include <waferscope/core/users/user_directory.h>
#include <waferscope/viewmodels/console/console_services.h>

#include "fake_engine.h"

namespace waferscope::testing {

struct FakeRig {
    FakeRig()
        : engine(std::filesystem::path(WAFERSCOPE_RECIPES_DIR) / "quick-200mm.json", dir.path().toStdString())
        , users(std::filesystem::path(dir.path().toStdString()) / "users.json", 64)
    {
        users.addDemoUsers();
    }

    [[nodiscard]] viewmodels::ConsoleServices services() { return servicesWith(users); }

    /// The same services over another user directory (full-strength hashes, say).
    [[nodiscard]] viewmodels::ConsoleServices servicesWith(core::UserDirectory &directory)
    {
        return viewmodels::ConsoleServices{engine, directory, WAFERSCOPE_RECIPES_DIR, {}};
    }

    /// The audit as the engine was given it, newest first (as the store lists it).
    [[nodiscard]] std::vector<core::AuditEntry> audit() const
    {
        std::vector<core::AuditEntry> entries = engine.auditEntries();
        std::reverse(entries.begin(), entries.end());
        return entries;
    }

    QTemporaryDir dir;
    FakeEngine engine;
    core::UserDirectory users;
};

} // namespace waferscope::testing
