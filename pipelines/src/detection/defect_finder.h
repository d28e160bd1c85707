#pragma once

/// DefectFinder: the per-frame half of the detector — from a registered frame to its defects.
///   1. the difference from the reference's prediction, over the inspectable area, and its noise:
///      1.4826 × the median absolute difference (a histogram of every other row), so defects and
///      leftover edges barely move it;
///   2. candidates: pixels beyond 0.7 × thresholdSigma noise sigmas; seeds: beyond thresholdSigma;
///   3. cv::connectedComponentsWithStats over the candidates; each component splits into its bright
///      and its dark pixels, and a part that holds a seed is a blob: pixels of the other sign never
///      widen a blob;
///   3a. where a component holds a bright and a dark blob and one of them is a fringe of the other —
///      less than half its peak and half its summed difference — the fringe is dropped: a feature gone
///      from the die at a coarse pixel size leaves a dark core and a faint bright rim beside it, one
///      defect; a particle over another of the other polarity has its full contrast and stays;
///   4. a large sparse blob made of two crossing lines (two scratches crossing) is split in two: the
///      strongest line of a Hough transform of its pixels, then the strongest line of the rest;
///   5. blobs of one polarity join when their boxes are within two pixels, or when one is long and
///      thin and the other lies on its line within sixteen pixels of its end (a scratch crossing
///      features it barely differs from breaks into pieces along its line);
///   6. a blob's size is its box's larger side plus one (the rim a defect covers only in part
///      mostly stays below the threshold); blobs smaller than minDefectSizePx are dropped, and so
///      are blobs whose differences do not add up to three thresholds (noise pushes a pixel or two
///      past the threshold, never a blob's worth); the rest, in raster order of their boxes, are
///      measured and classed (DefectClassifier) — as many as the output holds, the others counted
///      as overflow.
/// Threads: one thread at a time. Allocates: every buffer at construction; find() itself nothing.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include <opencv2/core/mat.hpp>
#include <waferscope/pipelines/detection/detected_defect.h>
#include <waferscope/pipelines/detection/detector_config.h>

#include "blob_stats.h"
#include "defect_classifier.h"
#include "reference_model.h"
#include "registration.h"

namespace waferscope::pipelines::detail {

class DefectFinder
{
public:
    struct Outcome {
        std::size_t count = 0;    ///< defects written to the output
        std::size_t overflow = 0; ///< defects found beyond the output's size
        double noiseSigma = 0.0;
        cv::Rect inspected;
    };

    explicit DefectFinder(const DetectorConfig &config);

    /// Finds the defects of `frame` (Mono8, the configured size) registered at `registration`.
    /// The threshold is set from the noise measured in the frame times `noiseScale`: a frame the
    /// reference was fitted to shows less noise than the frames it predicts, and is held to theirs.
    [[nodiscard]] Outcome find(const std::uint8_t *frame, const ReferenceModel &reference,
                               const Registration &registration, double noiseScale,
                               std::span<DetectedDefect> out);

private:
    static constexpr int kHistogramBins = 1024;
    static constexpr float kBinsPerGreyLevel = 16.0F;

    [[nodiscard]] double difference(const std::uint8_t *frame, const ReferenceModel &reference,
                                    const Registration &registration, const cv::Rect &area);
    /// Splits every seeded component into its bright and dark blobs. Precondition: the difference,
    /// the seeds and the labels are those of `frame`.
    void collectBlobs(const std::uint8_t *frame);
    /// Drops the part of a component that is a fringe of its other part: of the other polarity, and
    /// below kFringeShare of its peak and of its summed difference. Precondition: as collectBlobs()
    /// left them, before any split.
    void dropFringes();
    void joinBlobs();
    /// A line through the points picked by `isUsed` with the most of them on it: unit normal at
    /// `angleIndex`, `distance` from `centre`, and how many lie within kLineTolerancePx.
    struct Line {
        int angleIndex = 0;
        double distance = 0.0;
        std::size_t support = 0;
    };
    template<typename Predicate>
    [[nodiscard]] Line strongestLine(cv::Point2d centre, int reach, Predicate isUsed);
    [[nodiscard]] double distanceTo(const Line &line, cv::Point2d centre, cv::Point point) const noexcept;
    void splitCrossingLines(const std::uint8_t *frame);
    [[nodiscard]] std::size_t root(std::size_t blob) noexcept;
    void measure(const BlobStats &blob, const ReferenceModel &reference,
                 const Registration &registration, const cv::Rect &area, double noiseSigma,
                 DetectedDefect &defect);

    DetectorConfig m_config;
    int m_width;
    int m_height;
    DefectClassifier m_classifier;
    cv::Mat m_difference; ///< CV_32F
    cv::Mat m_candidates; ///< CV_8U
    cv::Mat m_labels;     ///< CV_32S
    cv::Mat m_stats;
    cv::Mat m_centroids;
    std::vector<float> m_row;
    std::vector<float> m_scratch;
    std::vector<std::uint32_t> m_histogram;
    std::vector<cv::Point> m_seeds;
    std::vector<std::uint8_t> m_labelPolarities; ///< per component: bit 0 holds a bright seed, bit 1 a dark one
    std::vector<int> m_seededLabels;
    std::vector<BlobStats> m_blobs;
    std::vector<int> m_blobLabels; ///< the component each blob came from (the part of a split blob too)
    std::vector<BlobShape> m_shapes;
    std::vector<std::size_t> m_parents;
    std::vector<BlobStats> m_groups;
    std::vector<std::size_t> m_order;
    std::vector<cv::Point> m_points;         ///< the pixels of a blob being split
    std::vector<std::uint8_t> m_pointLines;  ///< which of the two lines each point went to
    std::vector<std::uint16_t> m_votes;      ///< Hough accumulator: angle × distance
    std::vector<double> m_cosines;
    std::vector<double> m_sines;
    std::size_t m_blobOverflow = 0;
};

} // namespace waferscope::pipelines::detail
