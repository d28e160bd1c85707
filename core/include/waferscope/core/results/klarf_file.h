#pragma once

/// KlarfFile: what KlarfReader read from one KLARF file (one wafer), as plain data in the file's own
/// terms: indices and lengths as written (µm, KLARF's y axis up), timestamps as their text. A record
/// the file does not have is empty (nullopt, empty text or list).
/// Defects: every column DefectRecordSpec declares, in `defectColumns` order. The usual ones have
/// fields of their own (0 when the file does not declare the column; hasColumn() tells); any other
/// column is kept by name in `otherColumns` as its text. IMAGELIST is read as a count followed by
/// that many (image number, image type) pairs.
/// Records: those without a field of their own (AreaPerTest, SummaryList, WaferStatus …) are kept in
/// `otherRecords` as their values, quotes removed.
/// Threads: a value. Allocates: its strings and lists.

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace waferscope::core {

struct KlarfFile {
    struct Pair {
        double x = 0.0;
        double y = 0.0;
        friend bool operator==(const Pair &, const Pair &) = default;
    };
    struct Setup {
        std::string id;
        std::string timestamp;
        friend bool operator==(const Setup &, const Setup &) = default;
    };
    struct SampleSize {
        int type = 0;
        double size = 0.0; ///< the wafer's diameter in mm for SampleType WAFER
        friend bool operator==(const SampleSize &, const SampleSize &) = default;
    };
    struct ClassEntry {
        int number = 0;
        std::string name;
        friend bool operator==(const ClassEntry &, const ClassEntry &) = default;
    };
    struct Die {
        int xIndex = 0;
        int yIndex = 0;
        friend bool operator==(const Die &, const Die &) = default;
    };
    struct Image {
        int number = 0; ///< the page of the TIFF, from 1
        int type = 0;
        friend bool operator==(const Image &, const Image &) = default;
    };
    struct Defect {
        int id = 0;
        double xRel = 0.0;
        double yRel = 0.0;
        int xIndex = 0;
        int yIndex = 0;
        double xSize = 0.0;
        double ySize = 0.0;
        double defectArea = 0.0;
        double dSize = 0.0;
        int classNumber = 0;
        int test = 0;
        int imageCount = 0;
        std::vector<Image> images; ///< IMAGELIST
        std::vector<std::pair<std::string, std::string>> otherColumns; ///< (column, value) in file order
        int line = 0;              ///< where the defect's row starts in the file
        friend bool operator==(const Defect &, const Defect &) = default;
    };
    struct Record {
        std::string keyword;
        std::vector<std::string> values;
        int line = 0;
        friend bool operator==(const Record &, const Record &) = default;
    };

    int versionMajor = 0; ///< FileVersion: 1 1 or 1 2
    int versionMinor = 0;
    std::string fileTimestamp;
    std::vector<std::string> inspectionStationId; ///< vendor, model, station
    std::string sampleType;
    std::string resultTimestamp;
    std::string lotId;
    std::optional<std::string> deviceId;
    std::optional<SampleSize> sampleSize;
    std::optional<Setup> setup;
    std::string stepId;
    std::string orientationMarkType;
    std::string orientationMarkLocation;
    std::optional<Pair> diePitch;
    std::optional<Pair> dieOrigin;
    std::string waferId;
    std::optional<int> slot;
    std::optional<Pair> sampleCenterLocation;
    std::optional<std::string> tiffSpec;     ///< its values joined by a space: "6.0 G R"
    std::optional<std::string> tiffFileName;
    std::vector<ClassEntry> classes;         ///< ClassLookup
    std::vector<Die> sampleTestPlan;
    std::vector<std::string> defectColumns;  ///< DefectRecordSpec, upper case as written
    std::vector<Defect> defects;
    std::vector<Record> otherRecords;

    /// Whether DefectRecordSpec declares `column` (exact name, as KLARF writes it: "XREL").
    [[nodiscard]] bool hasColumn(const std::string &column) const;
    /// The class name ClassLookup gives `number`, or nullopt.
    [[nodiscard]] std::optional<std::string> className(int number) const;

    friend bool operator==(const KlarfFile &, const KlarfFile &) = default;
};

} // namespace waferscope::core
