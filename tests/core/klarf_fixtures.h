#pragma once

// Wafer results and crop images shared by the KLARF writer, TIFF and reader tests.

#include <QDir>
#include <QImage>
#include <QString>
#include <QStringList>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>

#include <waferscope/core/results/wafer_result.h>

namespace waferscope::testing {

inline core::WaferResult::Time utc(std::int64_t secondsSinceEpoch)
{
    return core::WaferResult::Time{} + std::chrono::seconds(secondsSinceEpoch);
}

/// A 200 mm wafer of 50 × 50 mm dies without edge exclusion holds exactly four dies, two rows of
/// two: row 0 spans y 0…50 mm, row 1 y −50…0 mm; column 0 spans x −50…0 mm, column 1 x 0…50 mm.
/// Its defects name crop files that do not exist; withCrops() makes them.
inline core::WaferResult smallWafer()
{
    core::WaferResult result;
    result.lotId = "LOT4711";
    result.waferId = core::WaferId("LOT4711-07");
    result.slot = 7;
    result.deviceId = "DEV-A";
    result.setupId = "quick-200mm";
    result.setupTime = utc(1714642200); // 2024-05-02 09:30:00 UTC
    result.stepId = "M1-CMP";
    result.station = {"Waferscope", "SIM", "TOOL-01"};
    result.fileTime = utc(1718632991);   // 2024-06-17 14:03:11 UTC
    result.resultTime = utc(1718632800); // 2024-06-17 14:00:00 UTC
    result.geometry = {200.0, 50.0, 50.0, 0.0};
    result.sampledDies = {{0, 0}, {1, 0}, {1, 1}, {0, 1}};
    result.classes = {{1, "particle"}, {2, "scratch"}, {3, "pattern"}};
    result.defects = {
        {1, {0, 0}, 1250.5, 30000.0, 36.0, 24.0, 700.0, 1, {"LOT4711-07_1.png"}},
        {2, {0, 0}, 49000.0, 100.25, 4000.0, 12.0, 30000.0, 2, {}},
        {3, {1, 1}, 25000.0, 25000.0, 8.0, 8.0, 50.27, 3, {"LOT4711-07_3a.png", "LOT4711-07_3b.png"}},
    };
    return result;
}

inline core::WaferResult withoutImages(core::WaferResult result)
{
    for (core::WaferResult::Defect &defect : result.defects) {
        defect.images.clear();
    }
    return result;
}

/// The grey crop of image `page` (1…): its size and every pixel differ from every other page's.
inline QImage cropImage(int page)
{
    QImage image(16 + page, 12 + 2 * page, QImage::Format_Grayscale8);
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x) {
            image.scanLine(y)[x] = static_cast<uchar>((x * 7 + y * 13 + page * 31) % 256);
        }
    }
    return image;
}

/// Writes each image of `result` as a PNG crop (cropImage(page), pages counted over the wafer) into
/// `folder`, and points the result at them.
inline core::WaferResult withCrops(core::WaferResult result, const QString &folder)
{
    QDir().mkpath(folder);
    int page = 0;
    for (core::WaferResult::Defect &defect : result.defects) {
        for (std::filesystem::path &image : defect.images) {
            ++page;
            const QString path = folder + QStringLiteral("/") + QString::fromStdString(image.filename().string());
            if (!cropImage(page).save(path, "PNG")) {
                throw std::runtime_error("cannot write the crop " + path.toStdString());
            }
            image = path.toStdString();
        }
    }
    return result;
}

inline QStringList entriesOf(const QString &folder)
{
    return QDir(folder).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot);
}

} // namespace waferscope::testing
