#include <waferscope/pipelines/detection/defect_detector.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "defect_finder.h"
#include "profile_correlator.h"
#include "reference_model.h"

namespace waferscope::pipelines {

namespace {

constexpr std::size_t kMinimumReference = 3; // fewer cannot outvote a defect on one of them
constexpr double kOutlierSigmas = 8.0;        // pixels this far off are left out of registration
constexpr int kProfileReach = detail::ReferenceModel::kPad - 3; // as far as the reference reaches

// Candidate registrations are told apart by their mismatch capped here: well past the noise, so that
// a right registration's leftover edges count in full and a defect no more than its area.
constexpr float kMismatchCap = 24.0F;
constexpr int kFirstLookSteps = 2;
constexpr double kAcceptedMismatchRatio = 1.5;
// Learning frames are compared with the first as they are, a sub-pixel shift apart, where edges
// leave residues at the right shift too: another candidate must be clearly better than the nearest.
constexpr double kRawMargin = 0.7;

/// How unlike `anchor` `frame` (both width × height Mono8) is when its content lies `shift` right and
/// down of the anchor's: the capped mean absolute difference over a sparse grid, the frame sampled
/// bilinearly.
double rawMismatch(const cv::Mat &anchor, const cv::Mat &frame, cv::Point2d shift)
{
    const int width = anchor.cols;
    const int height = anchor.rows;
    const int ix = static_cast<int>(std::floor(shift.x));
    const int iy = static_cast<int>(std::floor(shift.y));
    const auto fx = static_cast<float>(shift.x - ix);
    const auto fy = static_cast<float>(shift.y - iy);
    const int step = std::max(2, static_cast<int>(std::sqrt(width * static_cast<double>(height) / 16384.0)));
    const int left = std::max(0, -ix);
    const int right = std::min(width, width - ix - 1);
    const int top = std::max(0, -iy);
    const int bottom = std::min(height, height - iy - 1);
    double sum = 0.0;
    std::size_t count = 0;
    for (int y = top; y < bottom; y += step) {
        const std::uint8_t *a = anchor.ptr<std::uint8_t>(y);
        const std::uint8_t *f0 = frame.ptr<std::uint8_t>(y + iy) + ix;
        const std::uint8_t *f1 = frame.ptr<std::uint8_t>(y + iy + 1) + ix;
        for (int x = left; x < right; x += step) {
            const float upper = f0[x] + fx * (f0[x + 1] - f0[x]);
            const float lower = f1[x] + fx * (f1[x + 1] - f1[x]);
            sum += std::min(std::abs(upper + fy * (lower - upper) - static_cast<float>(a[x])), kMismatchCap);
            ++count;
        }
    }
    return count == 0 ? std::numeric_limits<double>::infinity() : sum / static_cast<double>(count);
}

/// The pair of the correlator's candidates that `score` finds least unlike, the pair nearest no
/// shift unless another scores below `margin` times its score.
template<typename Score>
cv::Point2d bestCandidate(const detail::ProfileCorrelator &profiles, double margin, Score &&score)
{
    const cv::Point2d nearest(profiles.candidatesX()[0], profiles.candidatesY()[0]);
    cv::Point2d best = nearest;
    const double nearestScore = score(nearest);
    double bestScore = nearestScore;
    for (const double x : profiles.candidatesX()) {
        for (const double y : profiles.candidatesY()) {
            const cv::Point2d candidate(x, y);
            if (candidate == nearest) {
                continue;
            }
            const double s = score(candidate);
            if (s < bestScore && s < margin * nearestScore) {
                bestScore = s;
                best = candidate;
            }
        }
    }
    return best;
}

const DetectorConfig &validated(const DetectorConfig &config)
{
    config.validate();
    return config;
}

} // namespace

struct DefectDetector::Impl {
    explicit Impl(const DetectorConfig &configuration)
        : config(validated(configuration))
        , width(config.format.width)
        , height(config.format.height)
        , frameBytes(config.format.frameBytes())
        , capacity(static_cast<std::size_t>(config.referenceSize))
        , reference(width, height)
        , profiles(width, height, kProfileReach)
        , finder(config)
        , held(static_cast<int>(capacity) * height, width, CV_8U)
        , heldMetadata(capacity)
        , heldShifts(capacity)
        , defects(capacity * static_cast<std::size_t>(config.maxDefectsPerFrame))
        , ready(capacity)
        , row(static_cast<std::size_t>(width) + 1)
        , scratch(static_cast<std::size_t>(width) + 1)
    {
        for (std::size_t i = 0; i < capacity; ++i) {
            heldFrames.push_back(held.rowRange(static_cast<int>(i) * height, static_cast<int>(i + 1) * height));
        }
    }

    [[nodiscard]] std::span<const std::byte> heldBytes(std::size_t slot) const
    {
        return {reinterpret_cast<const std::byte *>(heldFrames[slot].data), frameBytes};
    }

    void inspectOne(std::size_t slot, const hardware::FrameMetadata &metadata, std::span<const std::byte> pixels,
                    const detail::Registration &registration, double noiseScale)
    {
        const auto perFrame = static_cast<std::size_t>(config.maxDefectsPerFrame);
        const std::span<DetectedDefect> out(defects.data() + slot * perFrame, perFrame);
        const auto *frame = reinterpret_cast<const std::uint8_t *>(pixels.data());
        const detail::DefectFinder::Outcome outcome = finder.find(frame, reference, registration, noiseScale, out);
        const cv::Point2d nominal = reference.nominalPhase();
        FrameInspection &inspection = ready[readyCount++];
        inspection.status = FrameInspection::Status::Inspected;
        inspection.metadata = metadata;
        inspection.defects = out.first(outcome.count);
        inspection.overflowCount = outcome.overflow;
        inspection.shiftXPx = nominal.x - registration.phaseX;
        inspection.shiftYPx = nominal.y - registration.phaseY;
        inspection.gain = registration.gain;
        inspection.noiseSigma = outcome.noiseSigma;
        inspection.inspectedArea = {outcome.inspected.x, outcome.inspected.y, outcome.inspected.width,
                                    outcome.inspected.height};
        inspection.pixels = pixels;
    }

    /// Learns the reference from the held frames, registered to the first by their profiles.
    /// Later frames are registered by their profiles (no allocation), against the reference's own
    /// picture of the first held frame, free of that die's noise and defects.
    void learnFromHeld()
    {
        const cv::Mat &anchor = heldFrames[0];
        profiles.setAnchor([&](int y, float *out) {
            const std::uint8_t *source = anchor.ptr<std::uint8_t>(y);
            std::copy(source, source + width, out);
        });
        heldShifts[0] = cv::Point2d(0.0, 0.0);
        for (std::size_t i = 1; i < heldCount; ++i) {
            profiles.measure(heldFrames[i].ptr<std::uint8_t>(0));
            heldShifts[i] = bestCandidate(profiles, kRawMargin, [&](cv::Point2d shift) {
                return rawMismatch(anchor, heldFrames[i], shift);
            });
        }
        reference.learn(std::span<const cv::Mat>(heldFrames.data(), heldCount),
                        std::span<const cv::Point2d>(heldShifts.data(), heldCount));
        const detail::Registration &first = reference.learntRegistrations()[0];
        profiles.setAnchor([&](int y, float *out) { reference.predictRow(first, y, out, scratch.data()); });
        // How unlike its prediction a rightly registered frame is: the worst learning frame's mismatch.
        double worst = 0.0;
        for (std::size_t i = 0; i < heldCount; ++i) {
            worst = std::max(worst, reference.mismatch(heldFrames[i].ptr<std::uint8_t>(0),
                                                       reference.learntRegistrations()[i], kMismatchCap));
        }
        acceptedMismatch = kAcceptedMismatchRatio * worst;
    }

    /// Inspects the frames the reference was learnt from. Fitted to them, it leaves their differences
    /// √(1 − 1/n) of the frame noise, where a frame it predicts shows √(1 + 1/n) of it; their noise
    /// is scaled up by the ratio so that a learning frame meets the same threshold as the others.
    std::span<const FrameInspection> inspectHeld()
    {
        const auto registrations = reference.learntRegistrations();
        const auto n = static_cast<double>(heldCount);
        const double noiseScale = std::sqrt((n + 1.0) / (n - 1.0));
        for (std::size_t i = 0; i < heldCount; ++i) {
            inspectOne(i, heldMetadata[i], heldBytes(i), registrations[i], noiseScale);
        }
        heldCount = 0;
        return {ready.data(), readyCount};
    }

    DetectorConfig config;
    int width;
    int height;
    std::size_t frameBytes;
    std::size_t capacity;
    detail::ReferenceModel reference;
    detail::ProfileCorrelator profiles;
    detail::DefectFinder finder;
    cv::Mat held; ///< the frames held for learning, one below the other
    std::vector<cv::Mat> heldFrames;
    std::vector<hardware::FrameMetadata> heldMetadata;
    std::vector<cv::Point2d> heldShifts;
    std::size_t heldCount = 0;
    std::vector<DetectedDefect> defects; ///< maxDefectsPerFrame per inspection slot
    std::vector<FrameInspection> ready;
    std::size_t readyCount = 0;
    std::vector<float> row;
    std::vector<float> scratch;
    double acceptedMismatch = 0.0; ///< a first look at most this unlike its prediction is taken at once
};

DefectDetector::DefectDetector(const DetectorConfig &config)
    : m_impl(std::make_unique<Impl>(config))
{
}

DefectDetector::~DefectDetector() = default;

const DetectorConfig &DefectDetector::config() const noexcept
{
    return m_impl->config;
}

bool DefectDetector::hasReference() const noexcept
{
    return m_impl->reference.isLearnt();
}

std::size_t DefectDetector::heldFrames() const noexcept
{
    return m_impl->heldCount;
}

std::span<const FrameInspection> DefectDetector::inspect(const hardware::FrameMetadata &metadata,
                                                         std::span<const std::byte> pixels)
{
    Impl &impl = *m_impl;
    if (pixels.size() < impl.frameBytes) {
        throw std::invalid_argument("DefectDetector: a frame of " + std::to_string(pixels.size()) +
                                    " bytes cannot hold a " + std::to_string(impl.width) + " x " +
                                    std::to_string(impl.height) + " Mono8 image");
    }
    impl.readyCount = 0;
    const auto *frame = reinterpret_cast<const std::uint8_t *>(pixels.data());
    if (!impl.reference.isLearnt()) {
        std::memcpy(impl.heldFrames[impl.heldCount].data, frame, impl.frameBytes);
        impl.heldMetadata[impl.heldCount] = metadata;
        ++impl.heldCount;
        if (impl.heldCount < impl.capacity) {
            return {};
        }
        impl.learnFromHeld();
        return impl.inspectHeld();
    }
    const detail::Registration &anchor = impl.reference.learntRegistrations()[0];
    const auto startAt = [&anchor](cv::Point2d shift) {
        detail::Registration start = anchor;
        start.phaseX -= shift.x;
        start.phaseY -= shift.y;
        return start;
    };
    impl.profiles.measure(frame);
    const double outlierLimit = kOutlierSigmas * impl.reference.noiseSigma();
    // A candidate's profile peak is good to a few tenths of a pixel, where edges still leave residues;
    // a first look brings it close enough to judge. The peaks nearest no shift are taken when that
    // look is as like its prediction as the learning frames were; else every pair is looked at.
    const auto lookAt = [&](cv::Point2d shift) {
        return impl.reference.refine(frame, startAt(shift), outlierLimit, kFirstLookSteps);
    };
    const cv::Point2d nearest(impl.profiles.candidatesX()[0], impl.profiles.candidatesY()[0]);
    detail::Registration start = lookAt(nearest);
    if (impl.reference.mismatch(frame, start, kMismatchCap) > impl.acceptedMismatch) {
        start = lookAt(bestCandidate(impl.profiles, 1.0, [&](cv::Point2d shift) {
            return impl.reference.mismatch(frame, lookAt(shift), kMismatchCap);
        }));
    }
    const detail::Registration registration =
        impl.reference.refine(frame, start, outlierLimit);
    impl.inspectOne(0, metadata, pixels.first(impl.frameBytes), registration, 1.0);
    return {impl.ready.data(), impl.readyCount};
}

std::span<const FrameInspection> DefectDetector::flush()
{
    Impl &impl = *m_impl;
    impl.readyCount = 0;
    if (impl.reference.isLearnt() || impl.heldCount == 0) {
        return {};
    }
    if (impl.heldCount >= kMinimumReference) {
        impl.learnFromHeld();
        return impl.inspectHeld();
    }
    for (std::size_t i = 0; i < impl.heldCount; ++i) {
        FrameInspection &inspection = impl.ready[impl.readyCount++];
        inspection = FrameInspection{};
        inspection.status = FrameInspection::Status::NoReference;
        inspection.metadata = impl.heldMetadata[i];
        inspection.pixels = impl.heldBytes(i);
    }
    impl.heldCount = 0;
    return {impl.ready.data(), impl.readyCount};
}

void DefectDetector::reset() noexcept
{
    m_impl->reference.reset();
    m_impl->heldCount = 0;
    m_impl->readyCount = 0;
}

DetectedDefect::PixelBox DefectDetector::copyCrop(const FrameInspection &inspection, const DetectedDefect &defect,
                                                  std::span<std::byte> destination) const
{
    const Impl &impl = *m_impl;
    const int side = impl.config.cropSizePx;
    const auto bytes = static_cast<std::size_t>(side) * static_cast<std::size_t>(side);
    if (destination.size() < bytes) {
        throw std::invalid_argument("DefectDetector: a crop of " + std::to_string(side) + " x " +
                                    std::to_string(side) + " does not fit in " + std::to_string(destination.size()) +
                                    " bytes");
    }
    if (inspection.pixels.size() < impl.frameBytes) {
        throw std::invalid_argument("DefectDetector: the inspection holds no frame to crop from");
    }
    const int left = std::clamp(static_cast<int>(std::lround(defect.centroidXPx - 0.5 * side)), 0, impl.width - side);
    const int top = std::clamp(static_cast<int>(std::lround(defect.centroidYPx - 0.5 * side)), 0, impl.height - side);
    for (int y = 0; y < side; ++y) {
        const std::byte *source =
            inspection.pixels.data() + static_cast<std::ptrdiff_t>(top + y) * impl.width + left;
        std::memcpy(destination.data() + static_cast<std::ptrdiff_t>(y) * side, source, static_cast<std::size_t>(side));
    }
    return {left, top, side, side};
}

} // namespace waferscope::pipelines
