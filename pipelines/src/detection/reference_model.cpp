#include "reference_model.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "bilinear_shift.h"

namespace waferscope::pipelines::detail {

namespace {

constexpr int kCalibrationPasses = 3;  // x, then y with x's result in its window, and again
constexpr int kPhaseCandidates = 32;   // the grid search for where the pixel grid lies
constexpr int kProfileRounds = 6;      // alternations of profile solve and per-frame refinement
constexpr int kFirstSolveIterations = 40;
constexpr int kLaterSolveIterations = 15;
constexpr double kRegularisation = 1e-3; // keeps pixels of T no frame constrains at zero
constexpr double kSolveTolerance = 1e-5; // relative residual of the normal equations
constexpr int kOutlierMarginPx = 2;
constexpr int kOutlierRounds = 2;
constexpr std::size_t kMinimumVoters = 5; // a majority that outvotes a defect on two frames at one place
constexpr double kVoteSigmas = 6.0; // a frame's residual this far off the frames' consensus is its own
constexpr int kSupportMarginPx = 2;
constexpr int kTaperPx = 64;
constexpr double kConvergedPx = 2e-3;
constexpr double kUnlimitedOutlier = 1e30;
constexpr double kRegistrationSamples = 65536.0;
constexpr int kMismatchStride = 2; // mismatch() reads a quarter of refine()'s samples

/// refine() samples every step-th row and every step-th pixel along it, each sampled row starting
/// one row lower and `columnStagger` pixels further right (modulo the step) than a plain grid would:
/// so every residue of row and column is sampled, and an edge falls under samples whatever the
/// pattern's period, while only one row in `step` is read.
int sampleStep(int width, int height)
{
    return std::max(
        1, static_cast<int>(std::lround(std::sqrt(width * static_cast<double>(height) / kRegistrationSamples))));
}
int columnStagger(int step)
{
    return step % 5 == 0 ? 7 : 5; // prime to any step up to 16 (4096² frames)
}

/// A frame's fit on one axis: profile(x) = gain · t(x + pad + phase) + offset.
struct AxisFit {
    double phase = 0.0;
    double gain = 1.0;
    double offset = 0.0;
};

/// A smooth window over [0, length): zero within `margin` of either end, rising over kTaperPx.
double taper(double position, int length, double margin, double taperPx)
{
    const double inside = std::min(position - margin, static_cast<double>(length - 1) - margin - position);
    if (inside <= 0.0) {
        return 0.0;
    }
    if (inside >= taperPx) {
        return 1.0;
    }
    return 0.5 - 0.5 * std::cos(std::numbers::pi * inside / taperPx);
}

/// Column profiles (alongX) or row profiles of `frames`, each weighted by a window over the other
/// axis that moves with the frame's content (`otherShifts`), so every profile is the same window
/// over the die. The window's smooth ends make a profile independent of the other axis's sub-pixel
/// phase: summing bilinear samples of a row under a smooth window equals summing the rows.
std::vector<std::vector<double>> profiles(std::span<const cv::Mat> frames, bool alongX,
                                          std::span<const double> otherShifts)
{
    const int along = alongX ? frames[0].cols : frames[0].rows;
    const int across = alongX ? frames[0].rows : frames[0].cols;
    double reach = 0.0;
    for (const double shift : otherShifts) {
        reach = std::max(reach, std::abs(shift));
    }
    const double margin = 2.0 + std::ceil(reach);
    const double taperPx = std::min(static_cast<double>(kTaperPx), across / 8.0);
    std::vector<std::vector<double>> result(frames.size(), std::vector<double>(static_cast<std::size_t>(along), 0.0));
    std::vector<double> weights(static_cast<std::size_t>(across));
    for (std::size_t i = 0; i < frames.size(); ++i) {
        double total = 0.0;
        for (int k = 0; k < across; ++k) {
            weights[static_cast<std::size_t>(k)] = taper(k - otherShifts[i], across, margin, taperPx);
            total += weights[static_cast<std::size_t>(k)];
        }
        std::vector<double> &profile = result[i];
        for (int y = 0; y < frames[i].rows; ++y) {
            const std::uint8_t *row = frames[i].ptr<std::uint8_t>(y);
            if (alongX) {
                const double w = weights[static_cast<std::size_t>(y)];
                if (w == 0.0) {
                    continue;
                }
                for (int x = 0; x < along; ++x) {
                    profile[static_cast<std::size_t>(x)] += w * row[x];
                }
            } else {
                double sum = 0.0;
                for (int x = 0; x < across; ++x) {
                    sum += weights[static_cast<std::size_t>(x)] * row[x];
                }
                profile[static_cast<std::size_t>(y)] = sum;
            }
        }
        for (double &v : profile) {
            v /= total;
        }
    }
    return result;
}

/// The profile t (length + 2·pad samples) that best explains every profile at its fit: the normal
/// equations are tridiagonal, solved directly.
std::vector<double> solveProfile(const std::vector<std::vector<double>> &data, std::span<const AxisFit> fits)
{
    const int pad = ReferenceModel::kPad;
    const std::size_t n = data[0].size() + 2 * static_cast<std::size_t>(pad);
    std::vector<double> lower(n, 0.0);
    std::vector<double> diagonal(n, 1e-6);
    std::vector<double> upper(n, 0.0);
    std::vector<double> rhs(n, 0.0);
    for (std::size_t i = 0; i < data.size(); ++i) {
        const double position = pad + fits[i].phase;
        const int whole = static_cast<int>(std::floor(position));
        const double f = position - whole;
        const double w0 = fits[i].gain * (1.0 - f);
        const double w1 = fits[i].gain * f;
        for (std::size_t x = 0; x < data[i].size(); ++x) {
            const auto k = static_cast<std::size_t>(static_cast<int>(x) + whole);
            const double value = data[i][x] - fits[i].offset;
            diagonal[k] += w0 * w0;
            diagonal[k + 1] += w1 * w1;
            upper[k] += w0 * w1;
            lower[k + 1] += w0 * w1;
            rhs[k] += w0 * value;
            rhs[k + 1] += w1 * value;
        }
    }
    // Thomas' algorithm: the system is diagonally dominant, so no pivoting is needed.
    for (std::size_t k = 1; k < n; ++k) {
        const double m = lower[k] / diagonal[k - 1];
        diagonal[k] -= m * upper[k - 1];
        rhs[k] -= m * rhs[k - 1];
    }
    std::vector<double> t(n);
    t[n - 1] = rhs[n - 1] / diagonal[n - 1];
    for (std::size_t k = n - 1; k-- > 0;) {
        t[k] = (rhs[k] - upper[k] * t[k + 1]) / diagonal[k];
    }
    return t;
}

double profileResidual(const std::vector<std::vector<double>> &data, std::span<const AxisFit> fits,
                       const std::vector<double> &t)
{
    double sum = 0.0;
    for (std::size_t i = 0; i < data.size(); ++i) {
        const double position = ReferenceModel::kPad + fits[i].phase;
        const int whole = static_cast<int>(std::floor(position));
        const double f = position - whole;
        for (std::size_t x = 0; x < data[i].size(); ++x) {
            const auto k = static_cast<std::size_t>(static_cast<int>(x) + whole);
            const double r = data[i][x] - (fits[i].gain * ((1.0 - f) * t[k] + f * t[k + 1]) + fits[i].offset);
            sum += r * r;
        }
    }
    return sum;
}

/// Gauss–Newton on one frame's fit against t. The derivative is taken from central differences:
/// the interpolant's own slope jumps at every sample, and would stall the step at a sample.
void refineFit(const std::vector<double> &data, const std::vector<double> &t, AxisFit &fit, bool isPhaseOnly)
{
    const int pad = ReferenceModel::kPad;
    const auto n = static_cast<int>(t.size());
    for (int iteration = 0; iteration < 4; ++iteration) {
        const double position = pad + fit.phase;
        const int whole = static_cast<int>(std::floor(position));
        const double f = position - whole;
        cv::Matx33d a = cv::Matx33d::zeros();
        cv::Vec3d b(0.0, 0.0, 0.0);
        for (std::size_t x = 0; x < data.size(); ++x) {
            const int k = static_cast<int>(x) + whole;
            if (k < 1 || k + 2 >= n) {
                continue;
            }
            const auto at = [&t](int i) { return t[static_cast<std::size_t>(i)]; };
            const double v = (1.0 - f) * at(k) + f * at(k + 1);
            const double slope = 0.5 * ((1.0 - f) * (at(k + 1) - at(k - 1)) + f * (at(k + 2) - at(k)));
            const double r = data[x] - (fit.gain * v + fit.offset);
            const cv::Vec3d j(fit.gain * slope, v, 1.0);
            for (int p = 0; p < 3; ++p) {
                b[p] += j[p] * r;
                for (int q = 0; q < 3; ++q) {
                    a(p, q) += j[p] * j[q];
                }
            }
        }
        if (isPhaseOnly) {
            if (a(0, 0) > 0.0) {
                fit.phase += std::clamp(b[0] / a(0, 0), -0.3, 0.3);
            }
            continue;
        }
        const cv::Vec3d step = a.solve(b, cv::DECOMP_SVD);
        fit.phase += std::clamp(step[0], -0.3, 0.3);
        fit.gain += step[1];
        fit.offset += step[2];
    }
    fit.phase = std::clamp(fit.phase, 2.0 - pad, pad - 3.0);
}

/// Finds every frame's phase, gain and offset on one axis from its profiles. `shifts` are the
/// frames' content offsets from the first frame, good to a fraction of a pixel.
std::vector<AxisFit> calibrateAxis(const std::vector<std::vector<double>> &data, std::span<const double> shifts)
{
    const std::size_t count = data.size();
    std::vector<AxisFit> fits(count);
    const auto place = [&](double firstPhase) {
        for (std::size_t i = 0; i < count; ++i) {
            fits[i].phase = std::clamp(firstPhase - shifts[i], 2.0 - ReferenceModel::kPad, ReferenceModel::kPad - 3.0);
        }
    };
    // Where the pixel grid lies is a property of the whole set: try every sub-pixel phase of the
    // first frame, the others following at their offsets, and keep the one that fits best.
    double bestPhase = 0.0;
    double bestResidual = std::numeric_limits<double>::infinity();
    for (int candidate = 0; candidate < kPhaseCandidates; ++candidate) {
        const double phase = -0.5 + static_cast<double>(candidate) / kPhaseCandidates;
        place(phase);
        const double residual = profileResidual(data, fits, solveProfile(data, fits));
        if (residual < bestResidual) {
            bestResidual = residual;
            bestPhase = phase;
        }
    }
    place(bestPhase);
    for (int round = 0; round < kProfileRounds; ++round) {
        const std::vector<double> t = solveProfile(data, fits);
        for (std::size_t i = 0; i < count; ++i) {
            refineFit(data[i], t, fits[i], i == 0);
        }
    }
    return fits;
}

/// What most frames agree on at one place on the die: of the residuals there (sorted in place), the
/// tightest run of a majority — ⌊n/2⌋ + 1 of them — its lowest, its highest and its median.
struct Consensus {
    float low = 0.0F;
    float high = 0.0F;
    float centre = 0.0F;
};
Consensus consensus(std::vector<float> &values)
{
    // Insertion sort: a handful of values (3 to 15 frames), once per pixel per frame.
    for (std::size_t i = 1; i < values.size(); ++i) {
        const float value = values[i];
        std::size_t j = i;
        for (; j > 0 && values[j - 1] > value; --j) {
            values[j] = values[j - 1];
        }
        values[j] = value;
    }
    const std::size_t majority = values.size() / 2 + 1;
    std::size_t first = 0;
    for (std::size_t j = 1; j + majority <= values.size(); ++j) {
        if (values[j + majority - 1] - values[j] < values[first + majority - 1] - values[first]) {
            first = j;
        }
    }
    return {values[first], values[first + majority - 1], values[first + (majority - 1) / 2]};
}

double medianAbsolute(std::vector<float> &values)
{
    if (values.empty()) {
        return 0.0;
    }
    const auto middle = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
    std::nth_element(values.begin(), middle, values.end());
    return *middle;
}

} // namespace

struct ReferenceModel::Learning {
    std::span<const cv::Mat> frames;
    std::vector<Registration> registrations;
    std::vector<cv::Mat> masks; ///< CV_8U, 1 where the frame takes part; empty until outliers are known
    cv::Mat rhs;
    cv::Mat residual;
    cv::Mat direction;
    cv::Mat product;
    cv::Mat frameBuffer;
    std::vector<float> row;
    std::vector<float> scratch;
};

ReferenceModel::ReferenceModel(int width, int height)
    : m_width(width)
    , m_height(height)
    , m_sampleStep(sampleStep(width, height))
    , m_image(height + 2 * kPad, width + 2 * kPad, CV_32F, cv::Scalar(0))
    , m_gradientX(m_image.size(), CV_32F, cv::Scalar(0))
    , m_gradientY(m_image.size(), CV_32F, cv::Scalar(0))
{
}

void ReferenceModel::reset() noexcept
{
    m_isLearnt = false;
    m_learnt.clear();
}

void ReferenceModel::learn(std::span<const cv::Mat> frames, std::span<const cv::Point2d> coarseShifts)
{
    const std::size_t count = frames.size();
    m_isLearnt = false;

    // 1. Phases, gains and offsets from profiles: x with a row window that follows each frame's
    // rough vertical offset, then y with a column window following the refined horizontal one.
    std::vector<double> shiftX(count);
    std::vector<double> shiftY(count);
    for (std::size_t i = 0; i < count; ++i) {
        shiftX[i] = coarseShifts[i].x;
        shiftY[i] = coarseShifts[i].y;
    }
    std::vector<AxisFit> fitX;
    std::vector<AxisFit> fitY;
    for (int pass = 0; pass < kCalibrationPasses; ++pass) {
        fitX = calibrateAxis(profiles(frames, true, shiftY), shiftX);
        for (std::size_t i = 0; i < count; ++i) {
            shiftX[i] = fitX[0].phase - fitX[i].phase;
        }
        fitY = calibrateAxis(profiles(frames, false, shiftX), shiftY);
        for (std::size_t i = 0; i < count; ++i) {
            shiftY[i] = fitY[0].phase - fitY[i].phase;
        }
    }

    Learning learning;
    learning.frames = frames;
    learning.registrations.resize(count);
    for (std::size_t i = 0; i < count; ++i) {
        learning.registrations[i] = {fitX[i].phase, fitY[i].phase, 0.5 * (fitX[i].gain + fitY[i].gain),
                                     0.5 * (fitX[i].offset + fitY[i].offset)};
    }
    learning.rhs.create(m_image.size(), CV_32F);
    learning.residual.create(m_image.size(), CV_32F);
    learning.direction.create(m_image.size(), CV_32F);
    learning.product.create(m_image.size(), CV_32F);
    learning.frameBuffer.create(m_height, m_width, CV_32F);
    learning.row.resize(static_cast<std::size_t>(m_image.cols) + 1);
    learning.scratch.resize(static_cast<std::size_t>(m_image.cols) + 1);

    // 2. T from the first frame brought onto T's grid, then solved.
    {
        const Registration &first = learning.registrations[0];
        frames[0].convertTo(learning.frameBuffer, CV_32F, 1.0 / first.gain, -first.offset / first.gain);
        const BilinearShift back(learning.frameBuffer, -(kPad + first.phaseX), -(kPad + first.phaseY));
        back.apply(m_image, learning.scratch.data());
    }
    solve(learning, kFirstSolveIterations);

    // 3. Every frame registered against T (the first keeps its gain and offset: they set T's scale).
    const double sigma = residualSigma(learning);
    computeGradients();
    for (std::size_t i = 0; i < count; ++i) {
        const Registration before = learning.registrations[i];
        Registration refined = refine(frames[i].ptr<std::uint8_t>(0), before, 6.0 * sigma);
        if (i == 0) {
            refined.gain = before.gain;
            refined.offset = before.offset;
        }
        learning.registrations[i] = refined;
    }
    solve(learning, kLaterSolveIterations);

    // 4. Vote out what only one frame shows.
    for (int round = 0; round < kOutlierRounds && count >= kMinimumVoters; ++round) {
        updateMasks(learning);
        solve(learning, kLaterSolveIterations);
    }

    m_noiseSigma = residualSigma(learning);
    computeGradients();
    m_learnt = learning.registrations;
    double sumX = 0.0;
    double sumY = 0.0;
    int left = -1;
    int top = -1;
    int right = m_image.cols;
    int bottom = m_image.rows;
    for (const Registration &r : m_learnt) {
        sumX += r.phaseX;
        sumY += r.phaseY;
        left = std::max(left, static_cast<int>(std::floor(kPad + r.phaseX)));
        top = std::max(top, static_cast<int>(std::floor(kPad + r.phaseY)));
        right = std::min(right, static_cast<int>(std::floor(kPad + r.phaseX + m_width - 1)) + 1);
        bottom = std::min(bottom, static_cast<int>(std::floor(kPad + r.phaseY + m_height - 1)) + 1);
    }
    m_nominal = {sumX / static_cast<double>(count), sumY / static_cast<double>(count)};
    m_supported = cv::Rect(left, top, std::max(0, right - left + 1), std::max(0, bottom - top + 1));
    m_isLearnt = true;
}

void ReferenceModel::applyNormal(Learning &learning, const cv::Mat &value, cv::Mat &result) const
{
    result.setTo(0);
    float *row = learning.row.data();
    float *scratch = learning.scratch.data();
    cv::Mat &buffer = learning.frameBuffer;
    for (std::size_t i = 0; i < learning.frames.size(); ++i) {
        const Registration &r = learning.registrations[i];
        const BilinearShift forward(value, kPad + r.phaseX, kPad + r.phaseY);
        forward.apply(buffer, scratch);
        const auto weight = static_cast<float>(r.gain * r.gain);
        for (int y = 0; y < m_height; ++y) {
            float *b = buffer.ptr<float>(y);
            const std::uint8_t *mask = learning.masks.empty() ? nullptr : learning.masks[i].ptr<std::uint8_t>(y);
            for (int x = 0; x < m_width; ++x) {
                b[x] *= mask == nullptr || mask[x] != 0 ? weight : 0.0F;
            }
        }
        const BilinearShift adjoint(buffer, -(kPad + r.phaseX), -(kPad + r.phaseY));
        for (int y = 0; y < result.rows; ++y) {
            adjoint.row(y, result.cols, row, scratch);
            float *out = result.ptr<float>(y);
            for (int x = 0; x < result.cols; ++x) {
                out[x] += row[x];
            }
        }
    }
    cv::scaleAdd(value, kRegularisation, result, result);
}

void ReferenceModel::solve(Learning &learning, int iterations)
{
    // Right-hand side: every frame, less its offset, times its gain, brought back onto T's grid.
    learning.rhs.setTo(0);
    for (std::size_t i = 0; i < learning.frames.size(); ++i) {
        const Registration &r = learning.registrations[i];
        for (int y = 0; y < m_height; ++y) {
            const std::uint8_t *f = learning.frames[i].ptr<std::uint8_t>(y);
            const std::uint8_t *mask = learning.masks.empty() ? nullptr : learning.masks[i].ptr<std::uint8_t>(y);
            float *b = learning.frameBuffer.ptr<float>(y);
            for (int x = 0; x < m_width; ++x) {
                const bool takesPart = mask == nullptr || mask[x] != 0;
                b[x] = takesPart ? static_cast<float>(r.gain * (f[x] - r.offset)) : 0.0F;
            }
        }
        const BilinearShift adjoint(learning.frameBuffer, -(kPad + r.phaseX), -(kPad + r.phaseY));
        for (int y = 0; y < learning.rhs.rows; ++y) {
            adjoint.row(y, learning.rhs.cols, learning.row.data(), learning.scratch.data());
            float *out = learning.rhs.ptr<float>(y);
            for (int x = 0; x < learning.rhs.cols; ++x) {
                out[x] += learning.row[static_cast<std::size_t>(x)];
            }
        }
    }
    // Conjugate gradients on the normal equations, from the current T.
    cv::Mat &t = m_image;
    applyNormal(learning, t, learning.product);
    cv::subtract(learning.rhs, learning.product, learning.residual);
    learning.residual.copyTo(learning.direction);
    double rr = learning.residual.dot(learning.residual);
    const double target = kSolveTolerance * kSolveTolerance * std::max(learning.rhs.dot(learning.rhs), 1e-30);
    for (int iteration = 0; iteration < iterations && rr > target; ++iteration) {
        applyNormal(learning, learning.direction, learning.product);
        const double curvature = learning.direction.dot(learning.product);
        if (curvature <= 0.0) {
            break;
        }
        const double alpha = rr / curvature;
        cv::scaleAdd(learning.direction, alpha, t, t);
        cv::scaleAdd(learning.product, -alpha, learning.residual, learning.residual);
        const double next = learning.residual.dot(learning.residual);
        cv::scaleAdd(learning.direction, next / rr, learning.residual, learning.direction);
        rr = next;
    }
}

double ReferenceModel::residualSigma(const Learning &learning) const
{
    std::vector<float> values;
    std::vector<float> predicted(static_cast<std::size_t>(m_width));
    std::vector<float> scratch(static_cast<std::size_t>(m_width) + 1);
    const int step = 3;
    for (std::size_t i = 0; i < learning.frames.size(); ++i) {
        for (int y = 2; y < m_height - 2; y += step) {
            predictRow(learning.registrations[i], y, predicted.data(), scratch.data());
            const std::uint8_t *f = learning.frames[i].ptr<std::uint8_t>(y);
            for (int x = 2; x < m_width - 2; x += step) {
                values.push_back(std::abs(static_cast<float>(f[x]) - predicted[static_cast<std::size_t>(x)]));
            }
        }
    }
    return 1.4826 * medianAbsolute(values);
}

void ReferenceModel::updateMasks(Learning &learning) const
{
    const std::size_t count = learning.frames.size();
    const double sigma = residualSigma(learning);
    std::vector<cv::Mat> residuals(count);
    for (std::size_t i = 0; i < count; ++i) {
        residuals[i].create(m_height, m_width, CV_32F);
        for (int y = 0; y < m_height; ++y) {
            float *r = residuals[i].ptr<float>(y);
            predictRow(learning.registrations[i], y, r, learning.scratch.data());
            const std::uint8_t *f = learning.frames[i].ptr<std::uint8_t>(y);
            for (int x = 0; x < m_width; ++x) {
                r[x] = static_cast<float>(f[x]) - r[x];
            }
        }
    }
    // Pixel by pixel, each frame's residual is compared with what most frames' residuals at the same
    // place on the die agree on: the tightest run of a majority of them. What T still holds of a
    // defect — in the first round, a share of every one — shows in every frame alike and moves the
    // majority with it; a frame's own defect lies outside it as long as fewer than half the frames
    // have a defect at that pixel, whatever the defects' sizes and however they overlap.
    // Not the median: where two of five frames have a defect of one sign, the median is the most
    // extreme of the three clean residuals, and what T still holds of the defects spreads those
    // by more than the limit at the defects' edges (a pixel or two at coarse pixel sizes). A clean
    // frame left out there, with its margin, left that place of T to no frame at all, and the
    // defects stayed in it. A residual inside the majority's run is never left out, so every place
    // keeps a majority of frames before the margins.
    const auto limit = static_cast<float>(kVoteSigmas * sigma);
    std::vector<float> values(count);
    std::vector<int> dx(count);
    std::vector<int> dy(count);
    learning.masks.resize(count);
    const cv::Mat margin = cv::getStructuringElement(
        cv::MORPH_RECT, cv::Size(2 * kOutlierMarginPx + 1, 2 * kOutlierMarginPx + 1));
    cv::Mat outliers(m_height, m_width, CV_8U);
    for (std::size_t i = 0; i < count; ++i) {
        for (std::size_t k = 0; k < count; ++k) {
            // Frame k shows the place of frame i's pixel p at p + (phase_i − phase_k).
            dx[k] = static_cast<int>(std::lround(learning.registrations[i].phaseX - learning.registrations[k].phaseX));
            dy[k] = static_cast<int>(std::lround(learning.registrations[i].phaseY - learning.registrations[k].phaseY));
        }
        for (int y = 0; y < m_height; ++y) {
            const float *own = residuals[i].ptr<float>(y);
            std::uint8_t *out = outliers.ptr<std::uint8_t>(y);
            for (int x = 0; x < m_width; ++x) {
                for (std::size_t k = 0; k < count; ++k) {
                    values[k] = residuals[k].at<float>(std::clamp(y + dy[k], 0, m_height - 1),
                                                       std::clamp(x + dx[k], 0, m_width - 1));
                }
                const Consensus c = consensus(values);
                out[x] = (own[x] < c.low || own[x] > c.high) && std::abs(own[x] - c.centre) > limit ? 1 : 0;
            }
        }
        cv::dilate(outliers, outliers, margin);
        cv::subtract(cv::Scalar(1), outliers, learning.masks[i]);
    }
}

void ReferenceModel::computeGradients()
{
    m_gradientX.setTo(0);
    m_gradientY.setTo(0);
    for (int y = 1; y < m_image.rows - 1; ++y) {
        const float *above = m_image.ptr<float>(y - 1);
        const float *row = m_image.ptr<float>(y);
        const float *below = m_image.ptr<float>(y + 1);
        float *gx = m_gradientX.ptr<float>(y);
        float *gy = m_gradientY.ptr<float>(y);
        for (int x = 1; x < m_image.cols - 1; ++x) {
            gx[x] = 0.5F * (row[x + 1] - row[x - 1]);
            gy[x] = 0.5F * (below[x] - above[x]);
        }
    }
}

cv::Rect ReferenceModel::inspectableArea(const Registration &registration) const noexcept
{
    // The outermost columns and rows of the support are pinned by fewer frames, each through only
    // part of a pixel: keep kSupportMarginPx off them.
    const double first = kSupportMarginPx - kPad;
    const double lastX = m_supported.x + m_supported.width - 1 - kSupportMarginPx - kPad;
    const double lastY = m_supported.y + m_supported.height - 1 - kSupportMarginPx - kPad;
    const int left = std::max(0, static_cast<int>(std::ceil(m_supported.x + first - registration.phaseX)));
    const int top = std::max(0, static_cast<int>(std::ceil(m_supported.y + first - registration.phaseY)));
    const int right = std::min(m_width - 1, static_cast<int>(std::ceil(lastX - registration.phaseX)) - 1);
    const int bottom = std::min(m_height - 1, static_cast<int>(std::ceil(lastY - registration.phaseY)) - 1);
    if (right < left || bottom < top) {
        return {};
    }
    return {left, top, right - left + 1, bottom - top + 1};
}

void ReferenceModel::predictRow(const Registration &registration, int y, float *out, float *scratch) const noexcept
{
    const BilinearShift shift(m_image, kPad + registration.phaseX, kPad + registration.phaseY);
    shift.row(y, m_width, out, scratch);
    const auto gain = static_cast<float>(registration.gain);
    const auto offset = static_cast<float>(registration.offset);
    for (int x = 0; x < m_width; ++x) {
        out[x] = gain * out[x] + offset;
    }
}

float ReferenceModel::predictAt(const Registration &registration, int x, int y) const noexcept
{
    const double px = x + kPad + registration.phaseX;
    const double py = y + kPad + registration.phaseY;
    const int ix = static_cast<int>(std::floor(px));
    const int iy = static_cast<int>(std::floor(py));
    const auto fx = static_cast<float>(px - ix);
    const auto fy = static_cast<float>(py - iy);
    const float *upper = m_image.ptr<float>(iy);
    const float *lower = m_image.ptr<float>(iy + 1);
    const float top = (1.0F - fx) * upper[ix] + fx * upper[ix + 1];
    const float bottom = (1.0F - fx) * lower[ix] + fx * lower[ix + 1];
    return static_cast<float>(registration.gain) * ((1.0F - fy) * top + fy * bottom) +
           static_cast<float>(registration.offset);
}

double ReferenceModel::mismatch(const std::uint8_t *frame, const Registration &registration,
                                float cap) const noexcept
{
    const double reach = kPad - 3.0;
    const double px = kPad + std::clamp(registration.phaseX, -reach, reach);
    const double py = kPad + std::clamp(registration.phaseY, -reach, reach);
    const int ix = static_cast<int>(std::floor(px));
    const int iy = static_cast<int>(std::floor(py));
    const auto fx = static_cast<float>(px - ix);
    const auto fy = static_cast<float>(py - iy);
    const auto gain = static_cast<float>(registration.gain);
    const auto offset = static_cast<float>(registration.offset);
    const int step = kMismatchStride * m_sampleStep;
    const int stagger = columnStagger(m_sampleStep);
    double sum = 0.0;
    std::size_t count = 0;
    for (int j = 0;; ++j) {
        const int y = 2 + j * step + j % step;
        if (y >= m_height - 2) {
            break;
        }
        const float *t0 = m_image.ptr<float>(y + iy) + ix;
        const float *t1 = m_image.ptr<float>(y + iy + 1) + ix;
        const std::uint8_t *f = frame + static_cast<std::ptrdiff_t>(y) * m_width;
        float row = 0.0F;
        for (int x = 2 + (j * stagger) % step; x < m_width - 2; x += step) {
            const float top = t0[x] + fx * (t0[x + 1] - t0[x]);
            const float bottom = t1[x] + fx * (t1[x + 1] - t1[x]);
            const float predicted = gain * (top + fy * (bottom - top)) + offset;
            row += std::min(std::abs(static_cast<float>(f[x]) - predicted), cap);
            ++count;
        }
        sum += row;
    }
    return count == 0 ? 0.0 : sum / static_cast<double>(count);
}

Registration ReferenceModel::refine(const std::uint8_t *frame, Registration start, double outlierLimit,
                                  int iterations) const noexcept
{
    Registration r = start;
    const double reach = kPad - 3.0;
    for (int iteration = 0; iteration < iterations; ++iteration) {
        r.phaseX = std::clamp(r.phaseX, -reach, reach);
        r.phaseY = std::clamp(r.phaseY, -reach, reach);
        const double px = kPad + r.phaseX;
        const double py = kPad + r.phaseY;
        const int ix = static_cast<int>(std::floor(px));
        const int iy = static_cast<int>(std::floor(py));
        const double fx = px - ix;
        const double fy = py - iy;
        const auto w00 = static_cast<float>((1.0 - fx) * (1.0 - fy));
        const auto w01 = static_cast<float>(fx * (1.0 - fy));
        const auto w10 = static_cast<float>((1.0 - fx) * fy);
        const auto w11 = static_cast<float>(fx * fy);
        const auto gain = static_cast<float>(r.gain);
        const auto offset = static_cast<float>(r.offset);
        // The first step starts up to a few tenths of a pixel off, where edges leave residues that
        // are not defects: it keeps every pixel. Later steps leave out what differs by the limit.
        const auto limit = static_cast<float>(iteration == 0 ? kUnlimitedOutlier : outlierLimit);
        // Normal equations of [phaseX, phaseY, gain, offset]: the upper triangle, then the right side.
        double sums[14] = {};
        const int stagger = columnStagger(m_sampleStep);
        for (int j = 0;; ++j) {
            const int y = 2 + j * m_sampleStep + j % m_sampleStep;
            if (y >= m_height - 2) {
                break;
            }
            const float *t0 = m_image.ptr<float>(y + iy) + ix;
            const float *t1 = m_image.ptr<float>(y + iy + 1) + ix;
            const float *gx0 = m_gradientX.ptr<float>(y + iy) + ix;
            const float *gx1 = m_gradientX.ptr<float>(y + iy + 1) + ix;
            const float *gy0 = m_gradientY.ptr<float>(y + iy) + ix;
            const float *gy1 = m_gradientY.ptr<float>(y + iy + 1) + ix;
            const std::uint8_t *f = frame + static_cast<std::ptrdiff_t>(y) * m_width;
            float row[14] = {};
            for (int x = 2 + (j * stagger) % m_sampleStep; x < m_width - 2; x += m_sampleStep) {
                const float v = w00 * t0[x] + w01 * t0[x + 1] + w10 * t1[x] + w11 * t1[x + 1];
                const float residual = static_cast<float>(f[x]) - (gain * v + offset);
                const float keep = std::abs(residual) <= limit ? 1.0F : 0.0F;
                const float jx = keep * gain * (w00 * gx0[x] + w01 * gx0[x + 1] + w10 * gx1[x] + w11 * gx1[x + 1]);
                const float jy = keep * gain * (w00 * gy0[x] + w01 * gy0[x + 1] + w10 * gy1[x] + w11 * gy1[x + 1]);
                const float jv = keep * v;
                const float jc = keep;
                row[0] += jx * jx;
                row[1] += jx * jy;
                row[2] += jx * jv;
                row[3] += jx * jc;
                row[4] += jy * jy;
                row[5] += jy * jv;
                row[6] += jy * jc;
                row[7] += jv * jv;
                row[8] += jv * jc;
                row[9] += jc;
                row[10] += jx * residual;
                row[11] += jy * residual;
                row[12] += jv * residual;
                row[13] += jc * residual;
            }
            for (int k = 0; k < 14; ++k) {
                sums[k] += row[k];
            }
        }
        const double a[4][4] = {{sums[0], sums[1], sums[2], sums[3]},
                                {sums[1], sums[4], sums[5], sums[6]},
                                {sums[2], sums[5], sums[7], sums[8]},
                                {sums[3], sums[6], sums[8], sums[9]}};
        const double b[4] = {sums[10], sums[11], sums[12], sums[13]};
        // Cholesky of the 4 × 4 system.
        double l[4][4] = {};
        bool isSolvable = true;
        for (int p = 0; p < 4 && isSolvable; ++p) {
            for (int q = 0; q <= p; ++q) {
                double sum = a[p][q];
                for (int k = 0; k < q; ++k) {
                    sum -= l[p][k] * l[q][k];
                }
                if (p == q) {
                    if (sum <= 0.0) {
                        isSolvable = false;
                        break;
                    }
                    l[p][p] = std::sqrt(sum);
                } else {
                    l[p][q] = sum / l[q][q];
                }
            }
        }
        if (!isSolvable) {
            break;
        }
        double z[4];
        for (int p = 0; p < 4; ++p) {
            double sum = b[p];
            for (int k = 0; k < p; ++k) {
                sum -= l[p][k] * z[k];
            }
            z[p] = sum / l[p][p];
        }
        double step[4];
        for (int p = 3; p >= 0; --p) {
            double sum = z[p];
            for (int k = p + 1; k < 4; ++k) {
                sum -= l[k][p] * step[k];
            }
            step[p] = sum / l[p][p];
        }
        r.phaseX += std::clamp(step[0], -0.5, 0.5);
        r.phaseY += std::clamp(step[1], -0.5, 0.5);
        r.gain += step[2];
        r.offset += step[3];
        if (iteration > 0 && std::abs(step[0]) < kConvergedPx && std::abs(step[1]) < kConvergedPx) {
            break;
        }
    }
    r.phaseX = std::clamp(r.phaseX, -reach, reach);
    r.phaseY = std::clamp(r.phaseY, -reach, reach);
    return r;
}

} // namespace waferscope::pipelines::detail
