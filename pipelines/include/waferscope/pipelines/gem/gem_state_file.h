#pragma once

/// GemStateFile: where the GEM equipment keeps what must outlive the program — its equipment
/// constants and the streams the host chose to spool — as one JSON object in one file (by
/// default "gem-equipment.json" in the data folder).
/// Writes: save() writes a temporary file beside the file and renames it over the file
/// (QSaveFile), so a crash leaves either the old file or the new one, never half of one.
/// Errors: load() of a file that does not exist is an empty object; a file that cannot be read or
/// is not a JSON object throws std::runtime_error naming the file and what is wrong. save()
/// creates the folder when needed and throws std::runtime_error naming the file and the reason.
/// An empty path keeps nothing: load() is empty and save() does nothing.
/// Threads: a value; one writer at a time. Allocates: the document.

#include <QJsonObject>

#include <filesystem>

namespace waferscope::pipelines::gem {

class GemStateFile
{
public:
    explicit GemStateFile(std::filesystem::path file);

    [[nodiscard]] const std::filesystem::path &file() const noexcept { return m_file; }
    [[nodiscard]] QJsonObject load() const;
    void save(const QJsonObject &state) const;

private:
    std::filesystem::path m_file;
};

} // namespace waferscope::pipelines::gem
