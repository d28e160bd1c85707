#include "defect_finder.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include <opencv2/imgproc.hpp>

namespace waferscope::pipelines::detail {

namespace {

constexpr double kCandidateShare = 0.7; // of thresholdSigma: how far a blob grows from its seeds
constexpr double kSignificance = 3.0;   // a blob's summed |difference|, in thresholds
constexpr double kNoiseFloor = 0.5;     // grey levels: no 8-bit frame is known better than its rounding
constexpr std::size_t kMaxBlobs = 4096;
constexpr int kNearGapPx = 2;
constexpr double kLineGapPx = 16.0;
constexpr double kLineLateralSlackPx = 2.0;
const double kLineAngleCosine = std::cos(12.0 * std::numbers::pi / 180.0);
constexpr int kAngles = 180;
constexpr int kSplitMinSidePx = 24;
constexpr double kSparseShare = 0.3;      // of its box a blob of crossing lines covers at most
constexpr double kLineTolerancePx = 2.5;  // from a line's centre to its pixels: half a scratch and then some
constexpr double kOneLineShare = 0.9;     // a blob this much on one line is a line
constexpr std::size_t kMinSecondLinePx = 24;
constexpr double kMinCrossingAngle = 10.0 * std::numbers::pi / 180.0;
constexpr std::size_t kMaxSplitPixels = std::size_t{1} << 17;
constexpr double kFringeShare = 0.5; // of the other part's peak and summed difference: a fringe at most

bool shouldJoin(const BlobStats &a, const BlobShape &shapeA, const BlobStats &b, const BlobShape &shapeB)
{
    const int gapX = std::max(0, std::max(a.left, b.left) - std::min(a.right, b.right) - 1);
    const int gapY = std::max(0, std::max(a.top, b.top) - std::min(a.bottom, b.bottom) - 1);
    if (!shapeA.isElongated() && !shapeB.isElongated()) {
        return std::max(gapX, gapY) <= kNearGapPx;
    }
    // The longer of the two sets the line; the other must lie on it, near enough to its end.
    const bool aLeads = shapeA.isElongated() && (!shapeB.isElongated() || shapeA.length >= shapeB.length);
    const BlobStats &other = aLeads ? b : a;
    const BlobShape &line = aLeads ? shapeA : shapeB;
    const BlobShape &piece = aLeads ? shapeB : shapeA;
    if (piece.isElongated() && std::abs(line.axisX * piece.axisX + line.axisY * piece.axisY) < kLineAngleCosine) {
        return false;
    }
    const double dx = piece.centroidX - line.centroidX;
    const double dy = piece.centroidY - line.centroidY;
    const double along = std::abs(dx * line.axisX + dy * line.axisY);
    const double lateral = std::abs(dx * line.axisY - dy * line.axisX);
    const double pieceSize = std::max(other.boxWidth(), other.boxHeight());
    const double pieceHalfLength = piece.isElongated() ? 0.5 * piece.length : 0.5 * pieceSize;
    const double pieceWidth = piece.isElongated() ? piece.width : pieceSize;
    const double lateralLimit = 0.5 * (line.width + pieceWidth) + kLineLateralSlackPx;
    return lateral <= lateralLimit && along - 0.5 * line.length - pieceHalfLength <= kLineGapPx;
}

} // namespace

DefectFinder::DefectFinder(const DetectorConfig &config)
    : m_config(config)
    , m_width(config.format.width)
    , m_height(config.format.height)
    , m_difference(m_height, m_width, CV_32F, cv::Scalar(0))
    , m_candidates(m_height, m_width, CV_8U, cv::Scalar(0))
    , m_labels(m_height, m_width, CV_32S, cv::Scalar(0))
    , m_row(static_cast<std::size_t>(m_width) + 1)
    , m_scratch(static_cast<std::size_t>(m_width) + 1)
    , m_histogram(kHistogramBins + 1)
    // With 8-connectivity, components are at least one pixel apart: at most a quarter of the frame.
    , m_labelPolarities(static_cast<std::size_t>((m_width + 1) / 2) * static_cast<std::size_t>((m_height + 1) / 2) + 1)
{
    const std::size_t seedCapacity = static_cast<std::size_t>(m_width) * static_cast<std::size_t>(m_height) / 16;
    m_seeds.reserve(seedCapacity);
    m_seededLabels.reserve(seedCapacity);
    // Splitting a blob adds one: room for every blob to split once.
    m_blobs.reserve(2 * kMaxBlobs);
    m_blobLabels.reserve(2 * kMaxBlobs);
    m_shapes.reserve(2 * kMaxBlobs);
    m_parents.reserve(2 * kMaxBlobs);
    m_groups.reserve(2 * kMaxBlobs);
    m_order.reserve(2 * kMaxBlobs);
    m_points.reserve(kMaxSplitPixels);
    m_pointLines.reserve(kMaxSplitPixels);
    const auto reach = static_cast<std::size_t>(std::ceil(0.5 * std::hypot(m_width, m_height))) + 2;
    m_votes.resize(static_cast<std::size_t>(kAngles) * (2 * reach + 1));
    for (int k = 0; k < kAngles; ++k) {
        const double angle = k * std::numbers::pi / kAngles;
        m_cosines.push_back(std::cos(angle));
        m_sines.push_back(std::sin(angle));
    }
}

double DefectFinder::difference(const std::uint8_t *frame, const ReferenceModel &reference,
                                const Registration &registration, const cv::Rect &area)
{
    std::fill(m_histogram.begin(), m_histogram.end(), 0U);
    std::uint64_t samples = 0;
    for (int y = 0; y < m_height; ++y) {
        float *d = m_difference.ptr<float>(y);
        if (y < area.y || y >= area.y + area.height) {
            std::fill(d, d + m_width, 0.0F);
            continue;
        }
        reference.predictRow(registration, y, m_row.data(), m_scratch.data());
        const std::uint8_t *f = frame + static_cast<std::ptrdiff_t>(y) * m_width;
        std::fill(d, d + area.x, 0.0F);
        std::fill(d + area.x + area.width, d + m_width, 0.0F);
        for (int x = area.x; x < area.x + area.width; ++x) {
            d[x] = static_cast<float>(f[x]) - m_row[static_cast<std::size_t>(x)];
        }
        if ((y & 1) == 0) {
            for (int x = area.x; x < area.x + area.width; ++x) {
                const auto bin = static_cast<std::size_t>(
                    std::min(std::abs(d[x]) * kBinsPerGreyLevel, static_cast<float>(kHistogramBins)));
                ++m_histogram[bin];
            }
            samples += static_cast<std::uint64_t>(area.width);
        }
    }
    // The median absolute difference, interpolated within its bin.
    const double half = 0.5 * static_cast<double>(samples);
    double below = 0.0;
    for (std::size_t bin = 0; bin < m_histogram.size(); ++bin) {
        const double count = m_histogram[bin];
        if (below + count >= half && count > 0.0) {
            const double median = (static_cast<double>(bin) + (half - below) / count) / kBinsPerGreyLevel;
            return std::max(1.4826 * median, kNoiseFloor);
        }
        below += count;
    }
    return kNoiseFloor;
}

void DefectFinder::collectBlobs(const std::uint8_t *frame)
{
    for (const cv::Point &seed : m_seeds) {
        const auto label = static_cast<std::size_t>(m_labels.at<int>(seed));
        const std::uint8_t bit = m_difference.at<float>(seed) > 0.0F ? 1 : 2;
        if (m_labelPolarities[label] == 0) {
            m_seededLabels.push_back(static_cast<int>(label));
        }
        m_labelPolarities[label] = static_cast<std::uint8_t>(m_labelPolarities[label] | bit);
    }
    for (const int label : m_seededLabels) {
        const std::uint8_t bits = m_labelPolarities[static_cast<std::size_t>(label)];
        m_labelPolarities[static_cast<std::size_t>(label)] = 0;
        BlobStats *bright = nullptr;
        BlobStats *dark = nullptr;
        for (const bool isBright : {true, false}) {
            if ((bits & (isBright ? 1 : 2)) == 0) {
                continue;
            }
            if (m_blobs.size() == kMaxBlobs) {
                ++m_blobOverflow;
                continue;
            }
            BlobStats &blob = m_blobs.emplace_back();
            m_blobLabels.push_back(label);
            blob.isBright = isBright;
            (isBright ? bright : dark) = &blob;
        }
        const int *box = m_stats.ptr<int>(label);
        const int left = box[cv::CC_STAT_LEFT];
        const int top = box[cv::CC_STAT_TOP];
        for (int y = top; y < top + box[cv::CC_STAT_HEIGHT]; ++y) {
            const int *labels = m_labels.ptr<int>(y);
            const float *d = m_difference.ptr<float>(y);
            const std::uint8_t *f = frame + static_cast<std::ptrdiff_t>(y) * m_width;
            for (int x = left; x < left + box[cv::CC_STAT_WIDTH]; ++x) {
                if (labels[x] != label) {
                    continue;
                }
                BlobStats *blob = d[x] > 0.0F ? bright : dark;
                if (blob != nullptr) {
                    blob->add(x, y, d[x], f[x]);
                }
            }
        }
    }
    m_seededLabels.clear();
}

void DefectFinder::dropFringes()
{
    // collectBlobs() puts a component's bright blob, then its dark one, side by side.
    std::size_t kept = 0;
    for (std::size_t i = 0; i < m_blobs.size(); ++i) {
        const bool hasPartner = i + 1 < m_blobs.size() && m_blobLabels[i + 1] == m_blobLabels[i];
        const bool isPartner = i > 0 && m_blobLabels[i - 1] == m_blobLabels[i];
        const BlobStats *other = hasPartner ? &m_blobs[i + 1] : (isPartner ? &m_blobs[i - 1] : nullptr);
        if (other != nullptr && m_blobs[i].peak < kFringeShare * other->peak &&
            m_blobs[i].weight < kFringeShare * other->weight) {
            continue;
        }
        m_blobs[kept] = m_blobs[i];
        m_blobLabels[kept] = m_blobLabels[i];
        ++kept;
    }
    m_blobs.resize(kept);
    m_blobLabels.resize(kept);
}

std::size_t DefectFinder::root(std::size_t blob) noexcept
{
    while (m_parents[blob] != blob) {
        m_parents[blob] = m_parents[m_parents[blob]];
        blob = m_parents[blob];
    }
    return blob;
}

void DefectFinder::joinBlobs()
{
    m_shapes.clear();
    m_parents.clear();
    for (std::size_t i = 0; i < m_blobs.size(); ++i) {
        m_shapes.push_back(m_blobs[i].shape());
        m_parents.push_back(i);
    }
    for (std::size_t i = 0; i < m_blobs.size(); ++i) {
        for (std::size_t j = i + 1; j < m_blobs.size(); ++j) {
            if (m_blobs[i].isBright == m_blobs[j].isBright &&
                shouldJoin(m_blobs[i], m_shapes[i], m_blobs[j], m_shapes[j])) {
                const std::size_t a = root(i);
                const std::size_t b = root(j);
                if (a != b) {
                    m_parents[std::max(a, b)] = std::min(a, b);
                }
            }
        }
    }
    m_groups.assign(m_blobs.size(), BlobStats{});
    for (std::size_t i = 0; i < m_blobs.size(); ++i) {
        BlobStats &group = m_groups[root(i)];
        group.isBright = m_blobs[i].isBright;
        group.merge(m_blobs[i]);
    }
}

template<typename Predicate>
DefectFinder::Line DefectFinder::strongestLine(cv::Point2d centre, int reach, Predicate isUsed)
{
    const auto bins = static_cast<std::size_t>(2 * reach + 1);
    std::fill_n(m_votes.begin(), kAngles * bins, std::uint16_t{0});
    for (std::size_t p = 0; p < m_points.size(); ++p) {
        if (!isUsed(p)) {
            continue;
        }
        const double dx = m_points[p].x - centre.x;
        const double dy = m_points[p].y - centre.y;
        for (int k = 0; k < kAngles; ++k) {
            const auto bin = static_cast<std::size_t>(std::lround(dx * m_cosines[static_cast<std::size_t>(k)] +
                                                                 dy * m_sines[static_cast<std::size_t>(k)]) +
                                                      reach);
            std::uint16_t &votes = m_votes[static_cast<std::size_t>(k) * bins + bin];
            votes = static_cast<std::uint16_t>(std::min(votes + 1, 65535));
        }
    }
    const auto best = std::max_element(m_votes.begin(), m_votes.begin() + static_cast<std::ptrdiff_t>(kAngles * bins));
    const auto index = static_cast<std::size_t>(best - m_votes.begin());
    Line line;
    line.angleIndex = static_cast<int>(index / bins);
    line.distance = static_cast<double>(index % bins) - reach;
    for (std::size_t p = 0; p < m_points.size(); ++p) {
        line.support += isUsed(p) && distanceTo(line, centre, m_points[p]) <= kLineTolerancePx ? 1 : 0;
    }
    return line;
}

double DefectFinder::distanceTo(const Line &line, cv::Point2d centre, cv::Point point) const noexcept
{
    const auto k = static_cast<std::size_t>(line.angleIndex);
    return std::abs((point.x - centre.x) * m_cosines[k] + (point.y - centre.y) * m_sines[k] - line.distance);
}

void DefectFinder::splitCrossingLines(const std::uint8_t *frame)
{
    const std::size_t blobs = m_blobs.size();
    for (std::size_t b = 0; b < blobs; ++b) {
        const BlobStats &blob = m_blobs[b];
        const int side = std::max(blob.boxWidth(), blob.boxHeight());
        if (side < kSplitMinSidePx || blob.area > kSparseShare * blob.boxWidth() * blob.boxHeight()) {
            continue;
        }
        m_points.clear();
        const int label = m_blobLabels[b];
        const int *box = m_stats.ptr<int>(label);
        bool fits = true;
        for (int y = box[cv::CC_STAT_TOP]; y < box[cv::CC_STAT_TOP] + box[cv::CC_STAT_HEIGHT] && fits; ++y) {
            const int *labels = m_labels.ptr<int>(y);
            const float *d = m_difference.ptr<float>(y);
            for (int x = box[cv::CC_STAT_LEFT]; x < box[cv::CC_STAT_LEFT] + box[cv::CC_STAT_WIDTH]; ++x) {
                if (labels[x] == label && (d[x] > 0.0F) == blob.isBright) {
                    if (m_points.size() == m_points.capacity()) {
                        fits = false;
                        break;
                    }
                    m_points.emplace_back(x, y);
                }
            }
        }
        if (!fits) {
            continue;
        }
        const cv::Point2d centre(0.5 * (blob.left + blob.right), 0.5 * (blob.top + blob.bottom));
        const int reach = static_cast<int>(std::ceil(0.5 * std::hypot(blob.boxWidth(), blob.boxHeight()))) + 2;
        const Line first = strongestLine(centre, reach, [](std::size_t) { return true; });
        if (static_cast<double>(first.support) >= kOneLineShare * static_cast<double>(m_points.size())) {
            continue;
        }
        const Line second = strongestLine(
            centre, reach, [&](std::size_t p) { return distanceTo(first, centre, m_points[p]) > kLineTolerancePx; });
        const double turn = std::abs(first.angleIndex - second.angleIndex) * std::numbers::pi / kAngles;
        const std::size_t rest = m_points.size() - first.support;
        if (second.support < kMinSecondLinePx || 2 * second.support < rest ||
            std::min(turn, std::numbers::pi - turn) < kMinCrossingAngle) {
            continue;
        }
        // Each pixel goes to the first line if it lies on it (the crossing included), else to the
        // nearer of the two.
        BlobStats parts[2];
        parts[0].isBright = parts[1].isBright = blob.isBright;
        for (const cv::Point &point : m_points) {
            const double toFirst = distanceTo(first, centre, point);
            const int line = toFirst <= kLineTolerancePx || toFirst <= distanceTo(second, centre, point) ? 0 : 1;
            parts[line].add(point.x, point.y, m_difference.at<float>(point),
                            frame[static_cast<std::ptrdiff_t>(point.y) * m_width + point.x]);
        }
        if (parts[0].area > 0 && parts[1].area > 0 && parts[0].shape().isElongated() &&
            parts[1].shape().isElongated()) {
            m_blobs[b] = parts[0];
            m_blobs.push_back(parts[1]);
            m_blobLabels.push_back(label);
        }
    }
}

void DefectFinder::measure(const BlobStats &blob, const ReferenceModel &reference,
                           const Registration &registration, const cv::Rect &area, double noiseSigma,
                           DetectedDefect &defect)
{
    const BlobShape shape = blob.shape();
    const double pixel = m_config.format.pixelSizeUm;
    defect.box = {blob.left, blob.top, blob.boxWidth(), blob.boxHeight()};
    defect.areaPx = blob.area;
    defect.areaUm2 = blob.area * pixel * pixel;
    // The centroid of its pixels: weighting them by contrast would pull it toward whatever part of
    // the die the defect stands out most against.
    defect.centroidXPx = shape.centroidX + 0.5;
    defect.centroidYPx = shape.centroidY + 0.5;
    // The frame's content lies −(phase − nominal) pixels off the nominal place; the nominal frame is
    // centred on the die.
    const cv::Point2d nominal = reference.nominalPhase();
    const double shiftX = nominal.x - registration.phaseX;
    const double shiftY = nominal.y - registration.phaseY;
    defect.xUm = (defect.centroidXPx - 0.5 * m_width - shiftX) * pixel + 0.5 * m_config.diePitchXUm;
    const double fromTop = (defect.centroidYPx - 0.5 * m_height - shiftY) * pixel + 0.5 * m_config.diePitchYUm;
    defect.yUm = m_config.diePitchYUm - fromTop;
    defect.lengthPx = shape.length;
    defect.widthPx = shape.width;
    defect.contrastSigma = noiseSigma > 0.0 ? blob.peak / noiseSigma : 0.0;
    defect.polarity = blob.isBright ? DetectedDefect::Polarity::Bright : DetectedDefect::Polarity::Dark;
    defect.defectClass =
        m_classifier.classify(blob, shape, reference, registration, area, noiseSigma);
}

DefectFinder::Outcome DefectFinder::find(const std::uint8_t *frame, const ReferenceModel &reference,
                                         const Registration &registration, double noiseScale,
                                         std::span<DetectedDefect> out)
{
    Outcome outcome;
    outcome.inspected = reference.inspectableArea(registration);
    const cv::Rect &area = outcome.inspected;
    if (area.empty()) {
        return outcome;
    }
    outcome.noiseSigma = noiseScale * difference(frame, reference, registration, area);
    const auto strong = static_cast<float>(m_config.thresholdSigma * outcome.noiseSigma);
    const auto weak = static_cast<float>(kCandidateShare * strong);

    m_seeds.clear();
    std::size_t unrecordedSeeds = 0;
    for (int y = 0; y < m_height; ++y) {
        std::uint8_t *c = m_candidates.ptr<std::uint8_t>(y);
        const float *d = m_difference.ptr<float>(y);
        for (int x = 0; x < m_width; ++x) {
            const float magnitude = std::abs(d[x]);
            c[x] = magnitude > weak ? 255 : 0;
            if (magnitude > strong) {
                if (m_seeds.size() < m_seeds.capacity()) {
                    m_seeds.emplace_back(x, y);
                } else {
                    ++unrecordedSeeds;
                }
            }
        }
    }
    if (m_seeds.empty()) {
        return outcome;
    }
    static_cast<void>(cv::connectedComponentsWithStats(m_candidates, m_labels, m_stats, m_centroids, 8, CV_32S));

    m_blobs.clear();
    m_blobLabels.clear();
    m_blobOverflow = 0;
    collectBlobs(frame);
    dropFringes();
    splitCrossingLines(frame);
    joinBlobs();

    // A defect's rim, the pixels it covers only in part, mostly stays below the threshold, so a blob
    // spans about a pixel less than what the defect changed: its size is its box's larger side plus
    // one. Noise pushes a pixel or two past the threshold, never a blob's worth: a blob must also
    // stand out as a whole, its differences adding up to kSignificance times the threshold.
    const double significance = kSignificance * strong;
    m_order.clear();
    for (std::size_t i = 0; i < m_groups.size(); ++i) {
        const BlobStats &group = m_groups[i];
        if (group.area > 0 && std::max(group.boxWidth(), group.boxHeight()) + 1 >= m_config.minDefectSizePx &&
            group.weight >= significance) {
            m_order.push_back(i);
        }
    }
    std::sort(m_order.begin(), m_order.end(), [this](std::size_t a, std::size_t b) {
        const BlobStats &x = m_groups[a];
        const BlobStats &y = m_groups[b];
        return x.top != y.top ? x.top < y.top : (x.left != y.left ? x.left < y.left : x.isBright && !y.isBright);
    });
    for (const std::size_t index : m_order) {
        if (outcome.count == out.size()) {
            ++outcome.overflow;
            continue;
        }
        measure(m_groups[index], reference, registration, area, outcome.noiseSigma, out[outcome.count]);
        ++outcome.count;
    }
    // A frame this broken (far more seeds or blobs than any real defect makes) still says so.
    outcome.overflow += m_blobOverflow + (unrecordedSeeds > 0 ? 1 : 0);
    return outcome;
}

} // namespace waferscope::pipelines::detail
