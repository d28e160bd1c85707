#pragma once

/// ProcessProgramStore: the process programs a GEM host sees (S7F1, S7F3, S7F5, S7F17, S7F19): the
/// recipe files of one folder (the console's recipe folder), each named by its PPID, its file name.
/// Names: a PPID is a plain file name ending in ".json", at most 120 characters, not hidden, that
/// names exactly one file in the folder (core::childPath's rules): no folder, no "..".
/// Download (store()): the body must be a recipe RecipeParser accepts; one that is not is refused
/// with the parser's reasons, and a body over kMaxBodyBytes with a length error. A good one is
/// written to a temporary file beside its name and renamed over it (QSaveFile), so the console and
/// a run never read half a recipe; it replaces a recipe of the same PPID.
/// Acknowledges (E5): ACKC7 0 accepted, 1 permission not granted (a PPID the rules refuse, a file
/// that cannot be written), 2 length error, 4 PPID not found (S7F17), 5 mode unsupported (a body
/// that is not a valid recipe); PPGNT (S7F2) 0 ok, 2 no space, 3 invalid PPID.
/// Threads: use from one thread (the GEM thread); readers of the folder see whole files only.
/// Allocates: per call, the names and texts.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace waferscope::pipelines::gem {

class ProcessProgramStore
{
public:
    struct Outcome {
        std::uint8_t ack = 0; ///< ACKC7 or PPGNT
        std::string reason;   ///< why it was refused; empty when it was not
    };

    static constexpr std::size_t kMaxBodyBytes = 256 * 1024;
    static constexpr std::uint8_t kAckc7Accepted = 0;
    static constexpr std::uint8_t kAckc7PermissionNotGranted = 1;
    static constexpr std::uint8_t kAckc7LengthError = 2;
    static constexpr std::uint8_t kAckc7PpidNotFound = 4;
    static constexpr std::uint8_t kAckc7ModeUnsupported = 5;
    static constexpr std::uint8_t kPpgntOk = 0;
    static constexpr std::uint8_t kPpgntNoSpace = 2;
    static constexpr std::uint8_t kPpgntInvalidPpid = 3;

    explicit ProcessProgramStore(std::filesystem::path folder);

    /// What is wrong with `ppid` as a name (see "Names"); empty when nothing is.
    [[nodiscard]] std::string problemWithName(std::string_view ppid) const;
    /// The file of an existing process program; nullopt for a bad name or none of that name.
    [[nodiscard]] std::optional<std::filesystem::path> file(std::string_view ppid) const;
    /// Every PPID, sorted (at most 1000).
    [[nodiscard]] std::vector<std::string> list() const;
    /// The text of an existing process program.
    [[nodiscard]] std::optional<std::string> read(std::string_view ppid) const;

    /// S7F1: may the host send `length` bytes under `ppid`?
    [[nodiscard]] Outcome loadInquire(std::string_view ppid, std::uint64_t length) const;
    /// S7F3: stores `body` under `ppid` when it is a valid recipe.
    [[nodiscard]] Outcome store(std::string_view ppid, std::string_view body) const;
    /// S7F17: deletes the listed process programs, all or none (every one must exist); an empty
    /// list deletes none (this equipment does not let a host delete every recipe at once).
    [[nodiscard]] Outcome remove(const std::vector<std::string> &ppids) const;

private:
    std::filesystem::path m_folder;
};

} // namespace waferscope::pipelines::gem
