#include <waferscope/core/results/klarf_reader.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>

#include <waferscope/core/results/klarf_read_error.h>

namespace waferscope::core {

bool KlarfFile::hasColumn(const std::string &column) const
{
    return std::find(defectColumns.begin(), defectColumns.end(), column) != defectColumns.end();
}

std::optional<std::string> KlarfFile::className(int number) const
{
    for (const ClassEntry &entry : classes) {
        if (entry.number == number) {
            return entry.name;
        }
    }
    return std::nullopt;
}

namespace {

struct Token {
    std::string text; ///< without quotes
    bool isQuoted = false;
    int line = 0;
};

struct Record {
    Token keyword;
    std::vector<Token> values;
    int endLine = 0; ///< the line of its ';'
};

std::string lower(std::string text)
{
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

std::string joined(const std::vector<Token> &values, std::size_t from = 0)
{
    std::string text;
    for (std::size_t i = from; i < values.size(); ++i) {
        if (!text.empty()) {
            text += ' ';
        }
        text += values[i].text;
    }
    return text;
}

class Parser
{
public:
    Parser(std::string_view text, std::filesystem::path source)
        : m_text(text)
        , m_source(std::move(source))
    {
    }

    KlarfFile run()
    {
        std::optional<Record> record;
        while ((record = nextRecord())) {
            interpret(*record);
        }
        if (!m_isEnded) {
            fail(m_lastLine, "the file ends without \"EndOfFile;\"");
        }
        return std::move(m_file);
    }

private:
    [[noreturn]] void fail(int line, const std::string &reason) const { throw KlarfReadError(m_source, line, reason); }

    /// The next complete record, or nullopt at the end of the text.
    std::optional<Record> nextRecord()
    {
        Record record;
        bool hasKeyword = false;
        while (m_at < m_text.size()) {
            const char c = m_text[m_at];
            if (c == '\n') {
                ++m_line;
                ++m_at;
            } else if (std::isspace(static_cast<unsigned char>(c)) != 0) {
                ++m_at;
            } else if (c == ';') {
                ++m_at;
                if (!hasKeyword) {
                    fail(m_line, "';' ends a record that has no keyword");
                }
                record.endLine = m_line;
                m_lastLine = m_line;
                return record;
            } else {
                Token token = c == '"' ? quoted() : word();
                if (!hasKeyword) {
                    if (token.isQuoted) {
                        fail(token.line, "a record begins with the quoted string \"" + token.text + "\", not a keyword");
                    }
                    record.keyword = std::move(token);
                    hasKeyword = true;
                } else {
                    record.values.push_back(std::move(token));
                }
            }
        }
        if (hasKeyword) {
            fail(record.keyword.line, "the record " + record.keyword.text + " that begins here is not ended with ';' (the file is cut short)");
        }
        return std::nullopt;
    }

    Token quoted()
    {
        const int line = m_line;
        const std::size_t close = m_text.find_first_of("\"\n", m_at + 1);
        if (close == std::string_view::npos || m_text[close] != '"') {
            fail(line, "a quoted string is not closed on its line");
        }
        Token token{std::string(m_text.substr(m_at + 1, close - m_at - 1)), true, line};
        m_at = close + 1;
        return token;
    }

    Token word()
    {
        const std::size_t begin = m_at;
        while (m_at < m_text.size() && std::isspace(static_cast<unsigned char>(m_text[m_at])) == 0 &&
               m_text[m_at] != ';' && m_text[m_at] != '"') {
            ++m_at;
        }
        return Token{std::string(m_text.substr(begin, m_at - begin)), false, m_line};
    }

    double number(const Token &token, const std::string &what) const
    {
        std::string_view text = token.text;
        if (text.starts_with('+')) {
            text.remove_prefix(1);
        }
        double value = 0.0;
        const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
        if (token.isQuoted || text.empty() || result.ec != std::errc() || result.ptr != text.data() + text.size() ||
            !std::isfinite(value)) {
            fail(token.line, what + ": '" + token.text + "' is not a number");
        }
        return value;
    }

    int integer(const Token &token, const std::string &what) const
    {
        std::string_view text = token.text;
        if (text.starts_with('+')) {
            text.remove_prefix(1);
        }
        int value = 0;
        const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
        if (token.isQuoted || text.empty() || result.ec != std::errc() || result.ptr != text.data() + text.size()) {
            fail(token.line, what + ": '" + token.text + "' is not a whole number");
        }
        return value;
    }

    void expectValues(const Record &record, std::size_t count) const
    {
        if (record.values.size() != count) {
            fail(record.keyword.line, record.keyword.text + " needs " + std::to_string(count) + " value" +
                                          (count == 1 ? "" : "s") + ", not " + std::to_string(record.values.size()));
        }
    }

    std::string single(const Record &record) const
    {
        expectValues(record, 1);
        return record.values[0].text;
    }

    KlarfFile::Pair pair(const Record &record) const
    {
        expectValues(record, 2);
        return {number(record.values[0], record.keyword.text), number(record.values[1], record.keyword.text)};
    }

    /// The length a list record gives first, checked against the values after it (`width` each).
    std::size_t listLength(const Record &record, std::size_t width) const
    {
        if (record.values.empty()) {
            fail(record.keyword.line, record.keyword.text + " gives no count");
        }
        const int count = integer(record.values[0], record.keyword.text + " count");
        if (count < 0) {
            fail(record.values[0].line, record.keyword.text + " count " + std::to_string(count) + " is negative");
        }
        const std::size_t needed = 1 + static_cast<std::size_t>(count) * width;
        if (record.values.size() > needed) {
            fail(record.values[needed].line, record.keyword.text + " " + std::to_string(count) + " has more entries than its count");
        }
        if (record.values.size() < needed) {
            fail(record.endLine, record.keyword.text + " " + std::to_string(count) + " ends after " +
                                     std::to_string((record.values.size() - 1) / width) + " entries");
        }
        return static_cast<std::size_t>(count);
    }

    void interpret(const Record &record)
    {
        const std::string key = lower(record.keyword.text);
        const int line = record.keyword.line;
        if (m_isEnded) {
            fail(line, "the record " + record.keyword.text + " follows \"EndOfFile;\"");
        }
        if (!m_hasVersion && key != "fileversion") {
            fail(line, "the file begins with " + record.keyword.text + ", not FileVersion");
        }
        const std::vector<Token> &v = record.values;
        if (key == "fileversion") {
            expectValues(record, 2);
            m_file.versionMajor = integer(v[0], "FileVersion");
            m_file.versionMinor = integer(v[1], "FileVersion");
            if (m_file.versionMajor != 1 || (m_file.versionMinor != 1 && m_file.versionMinor != 2)) {
                fail(line, "FileVersion " + joined(v) + " is not read here (1 1 or 1 2)");
            }
            m_hasVersion = true;
        } else if (key == "filetimestamp") {
            m_file.fileTimestamp = joined(v);
        } else if (key == "inspectionstationid") {
            for (const Token &token : v) {
                m_file.inspectionStationId.push_back(token.text);
            }
        } else if (key == "sampletype") {
            m_file.sampleType = single(record);
        } else if (key == "resulttimestamp") {
            m_file.resultTimestamp = joined(v);
        } else if (key == "lotid") {
            m_file.lotId = single(record);
        } else if (key == "deviceid") {
            m_file.deviceId = single(record);
        } else if (key == "samplesize") {
            expectValues(record, 2);
            m_file.sampleSize = KlarfFile::SampleSize{integer(v[0], "SampleSize"), number(v[1], "SampleSize")};
        } else if (key == "setupid") {
            if (v.empty()) {
                fail(line, "SetupID has no values");
            }
            m_file.setup = KlarfFile::Setup{v[0].text, joined(v, 1)};
        } else if (key == "stepid") {
            m_file.stepId = single(record);
        } else if (key == "sampleorientationmarktype") {
            m_file.orientationMarkType = single(record);
        } else if (key == "orientationmarklocation") {
            m_file.orientationMarkLocation = single(record);
        } else if (key == "diepitch") {
            m_file.diePitch = pair(record);
        } else if (key == "dieorigin") {
            m_file.dieOrigin = pair(record);
        } else if (key == "waferid") {
            if (m_hasWafer) {
                fail(line, "a second WaferID; this reader reads files of one wafer");
            }
            m_hasWafer = true;
            m_file.waferId = single(record);
        } else if (key == "slot") {
            expectValues(record, 1);
            m_file.slot = integer(v[0], "Slot");
        } else if (key == "samplecenterlocation") {
            m_file.sampleCenterLocation = pair(record);
        } else if (key == "tiffspec") {
            m_file.tiffSpec = joined(v);
        } else if (key == "tifffilename") {
            m_file.tiffFileName = single(record);
        } else if (key == "classlookup") {
            const std::size_t count = listLength(record, 2);
            for (std::size_t i = 0; i < count; ++i) {
                m_file.classes.push_back({integer(v[1 + 2 * i], "ClassLookup class number"), v[2 + 2 * i].text});
            }
        } else if (key == "sampletestplan") {
            const std::size_t count = listLength(record, 2);
            for (std::size_t i = 0; i < count; ++i) {
                m_file.sampleTestPlan.push_back(
                    {integer(v[1 + 2 * i], "SampleTestPlan XINDEX"), integer(v[2 + 2 * i], "SampleTestPlan YINDEX")});
            }
        } else if (key == "defectrecordspec") {
            const std::size_t count = listLength(record, 1);
            if (count == 0) {
                fail(line, "DefectRecordSpec declares no columns");
            }
            m_file.defectColumns.clear();
            for (std::size_t i = 0; i < count; ++i) {
                m_file.defectColumns.push_back(v[1 + i].text);
            }
        } else if (key == "defectlist") {
            defectList(record);
        } else if (key == "endoffile") {
            expectValues(record, 0);
            m_isEnded = true;
        } else {
            KlarfFile::Record other{record.keyword.text, {}, line};
            for (const Token &token : v) {
                other.values.push_back(token.text);
            }
            m_file.otherRecords.push_back(std::move(other));
        }
    }

    void defectList(const Record &record)
    {
        const std::vector<std::string> &columns = m_file.defectColumns;
        if (columns.empty()) {
            fail(record.keyword.line, "DefectList comes before DefectRecordSpec, which declares its columns");
        }
        const std::vector<Token> &t = record.values;
        std::size_t at = 0;
        while (at < t.size()) {
            const std::size_t start = at;
            const int rowLine = t[start].line;
            const auto cutShort = [&](std::size_t column) {
                fail(t.back().line, "the defect row that begins on line " + std::to_string(rowLine) + " ends after " +
                                        std::to_string(column) + " of the " + std::to_string(columns.size()) +
                                        " columns DefectRecordSpec declares");
            };
            // First the row's extent, so a row of the wrong length is reported as that.
            std::vector<std::size_t> firsts; // where each column's values begin
            for (std::size_t c = 0; c < columns.size(); ++c) {
                if (at >= t.size()) {
                    cutShort(c);
                }
                firsts.push_back(at);
                if (columns[c] == "IMAGELIST") {
                    const int count = integer(t[at], "IMAGELIST count");
                    if (count < 0) {
                        fail(t[at].line, "IMAGELIST count " + std::to_string(count) + " is negative");
                    }
                    const std::size_t end = at + 1 + 2 * static_cast<std::size_t>(count);
                    if (end > t.size()) {
                        fail(t.back().line, "the IMAGELIST of the defect row that begins on line " + std::to_string(rowLine) +
                                                " ends before its " + std::to_string(count) + " (number, type) pairs");
                    }
                    at = end;
                } else {
                    ++at;
                }
            }
            if (at < t.size() && t[at].line == t[at - 1].line) {
                const int line = t[at].line;
                const auto onLine = std::count_if(t.begin() + static_cast<std::ptrdiff_t>(start), t.end(),
                                                  [line](const Token &token) { return token.line == line; });
                fail(line, "the defect row has " + std::to_string(onLine) + " values; DefectRecordSpec's " +
                               std::to_string(columns.size()) + " columns take " + std::to_string(at - start));
            }
            KlarfFile::Defect defect;
            defect.line = rowLine;
            for (std::size_t c = 0; c < columns.size(); ++c) {
                const Token &value = t[firsts[c]];
                const std::string &column = columns[c];
                if (column == "DEFECTID") {
                    defect.id = integer(value, column);
                } else if (column == "XREL") {
                    defect.xRel = number(value, column);
                } else if (column == "YREL") {
                    defect.yRel = number(value, column);
                } else if (column == "XINDEX") {
                    defect.xIndex = integer(value, column);
                } else if (column == "YINDEX") {
                    defect.yIndex = integer(value, column);
                } else if (column == "XSIZE") {
                    defect.xSize = number(value, column);
                } else if (column == "YSIZE") {
                    defect.ySize = number(value, column);
                } else if (column == "DEFECTAREA") {
                    defect.defectArea = number(value, column);
                } else if (column == "DSIZE") {
                    defect.dSize = number(value, column);
                } else if (column == "CLASSNUMBER") {
                    defect.classNumber = integer(value, column);
                } else if (column == "TEST") {
                    defect.test = integer(value, column);
                } else if (column == "IMAGECOUNT") {
                    defect.imageCount = integer(value, column);
                } else if (column == "IMAGELIST") {
                    const auto count = static_cast<std::size_t>(integer(value, column));
                    for (std::size_t i = 0; i < count; ++i) {
                        defect.images.push_back({integer(t[firsts[c] + 1 + 2 * i], "IMAGELIST image number"),
                                                 integer(t[firsts[c] + 2 + 2 * i], "IMAGELIST image type")});
                    }
                } else {
                    defect.otherColumns.emplace_back(column, value.text);
                }
            }
            m_file.defects.push_back(std::move(defect));
        }
    }

    std::string_view m_text;
    std::filesystem::path m_source;
    std::size_t m_at = 0;
    int m_line = 1;
    int m_lastLine = 1; ///< the line of the latest ';'
    bool m_hasVersion = false;
    bool m_hasWafer = false;
    bool m_isEnded = false;
    KlarfFile m_file;
};

} // namespace

KlarfFile KlarfReader::read(const std::filesystem::path &file)
{
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        throw KlarfReadError(file, 0, "the file cannot be opened");
    }
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) {
        throw KlarfReadError(file, 0, "the file cannot be read");
    }
    return parse(text.str(), file);
}

KlarfFile KlarfReader::parse(std::string_view text, const std::filesystem::path &source)
{
    return Parser(text, source).run();
}

} // namespace waferscope::core
