#pragma once

/// StoreError: the inspection store refused or failed an operation. It names the database file,
/// what was being done and what went wrong — SQLite's own words when SQLite refused — and reads
/// "store <file>: cannot <action>: <problem>", e.g. "store /data/waferscope.sqlite: cannot insert
/// 500 defects: defect 42 of run-7 on wafer W-01: FOREIGN KEY constraint failed".
/// isDamage() says the file itself is damaged (SQLite found it malformed or not a database), as
/// opposed to a refusal that leaves the file sound (full disk, locked, a constraint).
/// Threads: a value. Allocates: its text.

#include <filesystem>
#include <stdexcept>
#include <string>

namespace waferscope::core {

class StoreError : public std::runtime_error
{
public:
    StoreError(std::filesystem::path file, std::string action, std::string problem, bool isDamage = false);

    [[nodiscard]] const std::filesystem::path &file() const noexcept { return m_file; }
    /// What was being done: "open", "insert 500 defects", "end run-7".
    [[nodiscard]] const std::string &action() const noexcept { return m_action; }
    [[nodiscard]] const std::string &problem() const noexcept { return m_problem; }
    /// The database file is damaged: malformed, or not a database at all.
    [[nodiscard]] bool isDamage() const noexcept { return m_isDamage; }

private:
    std::filesystem::path m_file;
    std::string m_action;
    std::string m_problem;
    bool m_isDamage = false;
};

} // namespace waferscope::core
