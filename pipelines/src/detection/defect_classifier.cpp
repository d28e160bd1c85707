#include "defect_classifier.h"

#include <algorithm>
#include <cmath>

namespace waferscope::pipelines::detail {

namespace {

constexpr int kNeighbourhoodPx = 4;
constexpr int kRingPx = 2;
constexpr double kForeignSigmas = 4.0;
constexpr double kBridgeShare = 0.5;

float medianOf(std::vector<float> &values, std::size_t count)
{
    const auto middle = values.begin() + static_cast<std::ptrdiff_t>(count / 2);
    std::nth_element(values.begin(), middle, values.begin() + static_cast<std::ptrdiff_t>(count));
    return *middle;
}

} // namespace

DefectClassifier::DefectClassifier(int width, int height)
    : m_width(width)
{
    // The ring around the largest possible blob: the whole frame's border, kRingPx deep.
    const auto ring = static_cast<std::size_t>(2 * kRingPx * (width + height + 4 * kRingPx));
    m_frameRing.resize(ring);
    m_referenceRing.resize(ring);
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

core::DefectClass DefectClassifier::classify(const BlobStats &blob, const BlobShape &shape, const std::uint8_t *frame,
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

    // The ring: kRingPx pixels around the box.
    const cv::Rect outer = cv::Rect(box.x - kRingPx, box.y - kRingPx, box.width + 2 * kRingPx,
                                    box.height + 2 * kRingPx) &
                           inspected;
    std::size_t count = 0;
    for (int y = outer.y; y < outer.y + outer.height && count < m_frameRing.size(); ++y) {
        for (int x = outer.x; x < outer.x + outer.width && count < m_frameRing.size(); ++x) {
            if (box.contains(cv::Point(x, y))) {
                continue;
            }
            m_frameRing[count] = frame[static_cast<std::ptrdiff_t>(y) * m_width + x];
            m_referenceRing[count] = reference.predictAt(registration, x, y);
            ++count;
        }
    }
    if (count == 0) {
        return blob.isBright ? core::DefectClass::ParticleBright : core::DefectClass::ParticleDark;
    }
    const float frameRing = medianOf(m_frameRing, count);
    const float referenceRing = medianOf(m_referenceRing, count);
    const auto frameInside = static_cast<float>(blob.sumFrame / blob.area);
    const auto referenceInside = static_cast<float>((blob.sumFrame - blob.sumDifference) / blob.area);
    if (std::abs(referenceInside - referenceRing) > std::abs(frameInside - frameRing)) {
        return core::DefectClass::MissingFeature;
    }

    const float tolerance = std::max(0.35F * std::abs(frameInside - frameRing), static_cast<float>(3.0 * noiseSigma));
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
