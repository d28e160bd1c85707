#include <waferscope/pipelines/gem/gem_state_file.h>

#include <QFile>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QSaveFile>

#include <stdexcept>
#include <system_error>

namespace waferscope::pipelines::gem {

GemStateFile::GemStateFile(std::filesystem::path file)
    : m_file(std::move(file))
{
}

QJsonObject GemStateFile::load() const
{
    std::error_code error;
    if (m_file.empty() || !std::filesystem::exists(m_file, error)) {
        return {};
    }
    QFile in(QString::fromStdString(m_file.string()));
    if (!in.open(QIODevice::ReadOnly)) {
        throw std::runtime_error("GEM state " + m_file.string() + ": cannot be read: " + in.errorString().toStdString());
    }
    QJsonParseError parseError{};
    const QJsonDocument document = QJsonDocument::fromJson(in.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        throw std::runtime_error("GEM state " + m_file.string() + ": not JSON at byte " +
                                 std::to_string(parseError.offset) + ": " + parseError.errorString().toStdString());
    }
    if (!document.isObject()) {
        throw std::runtime_error("GEM state " + m_file.string() + ": not a JSON object");
    }
    return document.object();
}

void GemStateFile::save(const QJsonObject &state) const
{
    if (m_file.empty()) {
        return;
    }
    std::error_code error;
    std::filesystem::create_directories(m_file.parent_path(), error);
    if (error) {
        throw std::runtime_error("GEM state " + m_file.string() + ": cannot create its folder: " + error.message());
    }
    QSaveFile out(QString::fromStdString(m_file.string()));
    if (!out.open(QIODevice::WriteOnly)) {
        throw std::runtime_error("GEM state " + m_file.string() + ": cannot be written: " + out.errorString().toStdString());
    }
    const QByteArray bytes = QJsonDocument(state).toJson(QJsonDocument::Indented);
    if (out.write(bytes) != bytes.size() || !out.commit()) {
        throw std::runtime_error("GEM state " + m_file.string() + ": cannot be written: " + out.errorString().toStdString());
    }
}

} // namespace waferscope::pipelines::gem
