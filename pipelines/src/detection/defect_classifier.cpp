#include "defect_classifier.h"

#include <algorithm>
#include <cmath>

namespace waferscope::pipelines::detail {

namespace {

constexpr int kNeighbourhoodPx = 4;
constexpr int kBackgroundPx = 8;
constexpr std::size_t kBackgroundSamples = 4096;
constexpr double kForeignSigmas = 4.0;
constexpr double kBridgeShare = 0.5;

float medianOf(std::vector<float> &values, std::size_t count)
{
    const auto middle = values.begin() + static_cast<std::ptrdiff_t>(count / 2);
    std::nth_element(values.begin(), middle, values.begin() + static_cast<std::ptrdiff_t>(count));
    return *middle;
}

} // namespace

DefectClassifier::DefectClassifier()
    : m_samples(kBackgroundSamples)
{
}

double DefectClassifier::shareAtLevel(cv::Rect side, const cv::Rect &inspected, const ReferenceModel &reference,
                                      const Registration &registration, float level, float tolerance) const
{
    side &= inspected;
    if (side.empty()) {
        return 0.0;
    }
    int matching = 0;
    for (int y = side.y; y < side.y + side.height; ++y) {
        for (int x = side.x; x < side.x + side.width; ++x) {
            matching += std::abs(reference.predictAt(registration, x, y) - level) <= tolerance ? 1 : 0;
        }
    }
    return static_cast<double>(matching) / side.area();
}

core::DefectClass DefectClassifier::classify(const BlobStats &blob, const BlobShape &shape,
                                             const ReferenceModel &reference, const Registration &registration,
                                             const cv::Rect &inspected, double noiseSigma)
{
    if (shape.isElongated()) {
        return core::DefectClass::Scratch;
    }

    const cv::Rect box(blob.left, blob.top, blob.boxWidth(), blob.boxHeight());
    const cv::Rect around = cv::Rect(box.x - kNeighbourhoodPx, box.y - kNeighbourhoodPx,
                                      box.width + 2 * kNeighbourhoodPx, box.height + 2 * kNeighbourhoodPx) &
                            inspected;
    float lowest = reference.predictAt(registration, box.x, box.y);
    float highest = lowest;
    for (int y = around.y; y < around.y + around.height; ++y) {
        for (int x = around.x; x < around.x + around.width; ++x) {
            const float level = reference.predictAt(registration, x, y);
            lowest = std::min(lowest, level);
            highest = std::max(highest, level);
        }
    }
    const auto margin = static_cast<float>(kForeignSigmas * noiseSigma);
    if (blob.isBright && blob.extremeFrame > highest + margin) {
        return core::DefectClass::ParticleBright;
    }
    if (!blob.isBright && blob.extremeFrame < lowest - margin) {
        return core::DefectClass::ParticleDark;
    }

    // The background: the reference's median level around the blob, sampled on a grid.
    const cv::Rect window = cv::Rect(box.x - kBackgroundPx, box.y - kBackgroundPx, box.width + 2 * kBackgroundPx,
                                     box.height + 2 * kBackgroundPx) &
                            inspected;
    const int step = std::max(1, static_cast<int>(std::ceil(std::sqrt(
                                     static_cast<double>(window.area()) / static_cast<double>(m_samples.size())))));
    std::size_t count = 0;
    for (int y = window.y; y < window.y + window.height; y += step) {
        for (int x = window.x; x < window.x + window.width && count < m_samples.size(); x += step) {
            m_samples[count++] = reference.predictAt(registration, x, y);
        }
    }
    const float background = count > 0 ? medianOf(m_samples, count) : lowest;
    const auto frameInside = static_cast<float>(blob.sumFrame / blob.area);
    const auto referenceInside = static_cast<float>((blob.sumFrame - blob.sumDifference) / blob.area);
    if (std::abs(referenceInside - background) > std::abs(frameInside - background)) {
        return core::DefectClass::MissingFeature;
    }

    const float tolerance = std::max(0.35F * std::abs(frameInside - background), static_cast<float>(3.0 * noiseSigma));
    // The first and the second line of pixels outside one side of the box; the better of the two,
    // as the line next to the box may still be half blob.
    const auto share = [&](cv::Rect line, cv::Point outward) {
        const double first = shareAtLevel(line, inspected, reference, registration, frameInside, tolerance);
        const double second = shareAtLevel(line + outward, inspected, reference, registration, frameInside, tolerance);
        return std::max(first, second);
    };
    const double above = share({box.x, box.y - 1, box.width, 1}, {0, -1});
    const double below = share({box.x, box.y + box.height, box.width, 1}, {0, 1});
    const double left = share({box.x - 1, box.y, 1, box.height}, {-1, 0});
    const double right = share({box.x + box.width, box.y, 1, box.height}, {1, 0});
    if ((above >= kBridgeShare && below >= kBridgeShare) || (left >= kBridgeShare && right >= kBridgeShare)) {
        return core::DefectClass::Bridge;
    }
    return core::DefectClass::ExtraFeature;
}

} // namespace waferscope::pipelines::detail
