#pragma once

/// DefectClassifier: the class of one blob, by simple measured rules, in this order:
///   1. long and thin (BlobShape::isElongated()) → Scratch;
///   2. brighter than anything the reference shows within four pixels around it, by four noise
///      sigmas → ParticleBright; darker than anything there, likewise → ParticleDark: a foreign body
///      reflects in a way the die's own materials do not;
///   3. otherwise the pattern's own material is in the wrong place. Against the background (the
///      reference's median level within eight pixels around): if the reference inside the blob
///      stands out from it more than the frame does, a feature the reference has is gone →
///      MissingFeature; else material was added: where it touches reference features of its own
///      level on two opposite sides it joins them → Bridge; else ExtraFeature.
/// Threads: one thread at a time. Allocates: its sample buffer at construction.

#include <cstdint>
#include <vector>

#include <opencv2/core/types.hpp>
#include <waferscope/core/defect_class.h>

#include "blob_stats.h"
#include "reference_model.h"
#include "registration.h"

namespace waferscope::pipelines::detail {

class DefectClassifier
{
public:
    DefectClassifier();

    /// Precondition: the blob lies inside `inspected`, the area of the frame that was inspected.
    [[nodiscard]] core::DefectClass classify(const BlobStats &blob, const BlobShape &shape,
                                             const ReferenceModel &reference, const Registration &registration,
                                             const cv::Rect &inspected, double noiseSigma);

private:
    /// The share of the pixels in `side` (clipped to the inspected area) whose reference level is
    /// within `tolerance` of `level`; 0 for an empty side.
    [[nodiscard]] double shareAtLevel(cv::Rect side, const cv::Rect &inspected, const ReferenceModel &reference,
                                      const Registration &registration, float level, float tolerance) const;

    std::vector<float> m_samples;
};

} // namespace waferscope::pipelines::detail
