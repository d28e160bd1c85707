#pragma once

// Scores detections against the simulator's ground truth, die by die: a detection matches a truth
// defect when their boxes overlap once the truth box is grown by a tolerance; matches are one to
// one, best overlap (intersection over union) first — except that two truth defects drawn over each
// other (their boxes overlap) are one blob on the frame, and the detection matched to one also finds
// the other if it overlaps it (as the headless summary counts them). A scratch crossing several dies
// is one truth defect per die, so each die's piece is matched on its own frame. Truth defects smaller
// than the minimum size are not counted: a detection matched to one is neither right nor wrong. A
// defect's size is its box's longer side, or, given the pixel size, its own extent
// (DefectTruth::sizeUm, which leaves out the margin a pattern defect's box has) in pixels.

#include <algorithm>
#include <array>
#include <cstddef>
#include <span>
#include <string>
#include <tuple>
#include <vector>

#include <waferscope/core/defect_class.h>
#include <waferscope/core/die_index.h>
#include <waferscope/hardware/sim/defect_truth.h>
#include <waferscope/pipelines/detection/detected_defect.h>

namespace waferscope::testing {

struct DetectionScore {
    static constexpr std::size_t kClasses = std::size(core::kAllDefectClasses);

    std::size_t truthCount = 0;        ///< truth defects of at least the minimum size
    std::size_t matchedTruth = 0;
    std::size_t detectionCount = 0;    ///< detections, less those matched to a smaller truth defect
    std::size_t matchedDetections = 0;
    /// [truth class][detected class] of every match that counts.
    std::array<std::array<std::size_t, kClasses>, kClasses> confusion{};
    std::array<std::size_t, kClasses> truthByClass{};
    std::array<std::size_t, kClasses> missedByClass{};
    std::vector<std::string> misses;       ///< one line per truth defect not found
    std::vector<std::string> falseAlarms;  ///< one line per detection that matched nothing

    [[nodiscard]] double recall() const { return truthCount == 0 ? 1.0 : double(matchedTruth) / double(truthCount); }
    [[nodiscard]] double precision() const
    {
        return detectionCount == 0 ? 1.0 : double(matchedDetections) / double(detectionCount);
    }
    /// Matches whose detected class is the truth class.
    [[nodiscard]] std::size_t classAgreements() const
    {
        std::size_t n = 0;
        for (std::size_t c = 0; c < kClasses; ++c) {
            n += confusion[c][c];
        }
        return n;
    }
};

class DetectionScorer
{
public:
    DetectionScorer(int minTruthSizePx, int tolerancePx, double pixelUm = 0.0)
        : m_minSize(minTruthSizePx)
        , m_tolerance(tolerancePx)
        , m_pixelUm(pixelUm)
    {
    }

    [[nodiscard]] const DetectionScore &score() const noexcept { return m_score; }

    /// Scores one die's detections against that die's truth.
    void addDie(core::DieIndex die, std::span<const hardware::sim::DefectTruth> truth,
                std::span<const pipelines::DetectedDefect> detections)
    {
        struct Pair {
            double overlap;
            std::size_t truth;
            std::size_t detection;
        };
        std::vector<Pair> pairs;
        for (std::size_t i = 0; i < truth.size(); ++i) {
            const Box t = boxOf(truth[i]);
            for (std::size_t j = 0; j < detections.size(); ++j) {
                const Box d = boxOf(detections[j]);
                if (intersection(grown(t), d) > 0) {
                    const double iou = double(intersection(t, d)) / double(area(t) + area(d) - intersection(t, d));
                    pairs.push_back({iou + 1e-9 * double(intersection(grown(t), d)), i, j});
                }
            }
        }
        std::sort(pairs.begin(), pairs.end(), [](const Pair &a, const Pair &b) {
            return std::tie(b.overlap, a.truth, a.detection) < std::tie(a.overlap, b.truth, b.detection);
        });
        std::vector<int> truthMatch(truth.size(), -1);
        std::vector<int> detectionMatch(detections.size(), -1);
        for (const Pair &p : pairs) {
            if (truthMatch[p.truth] < 0 && detectionMatch[p.detection] < 0) {
                truthMatch[p.truth] = int(p.detection);
                detectionMatch[p.detection] = int(p.truth);
            }
        }
        // Two defects drawn over each other are one blob on the frame, as on the wafer: the detection
        // matched to one of them also finds the other, when it overlaps it too.
        std::vector<int> truthFound = truthMatch;
        for (std::size_t i = 0; i < truth.size(); ++i) {
            for (std::size_t k = 0; k < truth.size() && truthFound[i] < 0; ++k) {
                if (k != i && truthMatch[k] >= 0 && intersection(boxOf(truth[i]), boxOf(truth[k])) > 0 &&
                    intersection(grown(boxOf(truth[i])), boxOf(detections[std::size_t(truthMatch[k])])) > 0) {
                    truthFound[i] = truthMatch[k];
                }
            }
        }
        for (std::size_t i = 0; i < truth.size(); ++i) {
            if (!counts(truth[i])) {
                continue;
            }
            const auto c = std::size_t(truth[i].defectClass);
            ++m_score.truthCount;
            ++m_score.truthByClass[c];
            if (truthFound[i] >= 0) {
                ++m_score.matchedTruth;
                ++m_score.confusion[c][std::size_t(detections[std::size_t(truthFound[i])].defectClass)];
            } else {
                ++m_score.missedByClass[c];
                m_score.misses.push_back(core::toText(die) + " " + std::string(core::toText(truth[i].defectClass)) +
                                         " at " + describe(boxOf(truth[i])));
            }
        }
        for (std::size_t j = 0; j < detections.size(); ++j) {
            const int matched = detectionMatch[j];
            if (matched >= 0 && !counts(truth[std::size_t(matched)])) {
                continue;
            }
            ++m_score.detectionCount;
            if (matched >= 0) {
                ++m_score.matchedDetections;
            } else {
                m_score.falseAlarms.push_back(core::toText(die) + " " +
                                              std::string(core::toText(detections[j].defectClass)) + " at " +
                                              describe(boxOf(detections[j])) + ", " +
                                              std::to_string(detections[j].contrastSigma) + " sigma");
            }
        }
    }

private:
    struct Box {
        int x0; ///< inclusive
        int y0;
        int x1; ///< inclusive
        int y1;
    };

    static Box boxOf(const hardware::sim::DefectTruth &t)
    {
        return {t.pixels.x, t.pixels.y, t.pixels.x + t.pixels.width - 1, t.pixels.y + t.pixels.height - 1};
    }
    static Box boxOf(const pipelines::DetectedDefect &d)
    {
        return {d.box.x, d.box.y, d.box.x + d.box.width - 1, d.box.y + d.box.height - 1};
    }
    [[nodiscard]] Box grown(const Box &b) const
    {
        return {b.x0 - m_tolerance, b.y0 - m_tolerance, b.x1 + m_tolerance, b.y1 + m_tolerance};
    }
    static long area(const Box &b) { return long(b.x1 - b.x0 + 1) * long(b.y1 - b.y0 + 1); }
    static long intersection(const Box &a, const Box &b)
    {
        const int w = std::min(a.x1, b.x1) - std::max(a.x0, b.x0) + 1;
        const int h = std::min(a.y1, b.y1) - std::max(a.y0, b.y0) + 1;
        return w > 0 && h > 0 ? long(w) * long(h) : 0;
    }
    static std::string describe(const Box &b)
    {
        return "(" + std::to_string(b.x0) + "," + std::to_string(b.y0) + ") " + std::to_string(b.x1 - b.x0 + 1) +
               "x" + std::to_string(b.y1 - b.y0 + 1);
    }
    [[nodiscard]] bool counts(const hardware::sim::DefectTruth &t) const
    {
        if (m_pixelUm > 0.0) {
            return t.sizeUm / m_pixelUm >= m_minSize;
        }
        return std::max(t.pixels.width, t.pixels.height) >= m_minSize;
    }

    int m_minSize;
    int m_tolerance;
    double m_pixelUm; ///< 0: sizes are boxes
    DetectionScore m_score;
};

} // namespace waferscope::testing
