#include "render_kernel.h"

#include <utility>

namespace waferscope::hardware::sim::detail {

namespace {

/// One template row blended with its right neighbour: 16 × value, at most 4080.
void horizontal(const std::uint8_t *__restrict source, std::uint16_t *__restrict row, int width, int fraction) noexcept
{
    const auto left = static_cast<std::uint16_t>(16 - fraction);
    const auto right = static_cast<std::uint16_t>(fraction);
    for (int x = 0; x < width; ++x) {
        row[x] = static_cast<std::uint16_t>(source[x] * left + source[x + 1] * right);
    }
}

/// Two blended rows blended vertically (256 × value, at most 65280, so it stays in 16 bits), scaled
/// by the gain, noise added, clamped to a byte.
void vertical(const std::uint16_t *__restrict upper, const std::uint16_t *__restrict lower,
              const std::int8_t *__restrict noise, std::uint8_t *__restrict out, int width, int fraction,
              std::uint16_t gainQ8) noexcept
{
    const auto top = static_cast<std::uint16_t>(16 - fraction);
    const auto bottom = static_cast<std::uint16_t>(fraction);
    for (int x = 0; x < width; ++x) {
        const auto blended = static_cast<std::uint16_t>(upper[x] * top + lower[x] * bottom);
        const auto scaled = static_cast<std::uint16_t>((static_cast<std::uint32_t>(blended) * gainQ8) >> 16);
        const int value = scaled + noise[x];
        out[x] = static_cast<std::uint8_t>(value < 0 ? 0 : (value > 255 ? 255 : value));
    }
}

} // namespace

// The loops above vectorise; let the dynamic loader pick AVX2 where the processor has it. Not under
// ThreadSanitizer: an ifunc resolver runs before its runtime is up, and the program crashes at load.
#if defined(__GNUC__) && defined(__x86_64__) && !defined(__clang__) && !defined(__SANITIZE_THREAD__)
__attribute__((target_clones("avx2", "default")))
#endif
void resample(const ResampleJob &job, SplitMix64 &random) noexcept
{
    std::uint16_t *upper = job.rowA;
    std::uint16_t *lower = job.rowB;
    horizontal(job.source, upper, job.width, job.fractionX);
    for (int y = 0; y < job.height; ++y) {
        horizontal(job.source + static_cast<std::ptrdiff_t>(y + 1) * job.sourceStride, lower, job.width,
                   job.fractionX);
        const std::int8_t *noise = job.noise + (random.next() & job.noiseMask);
        vertical(upper, lower, noise, job.destination + static_cast<std::ptrdiff_t>(y) * job.width, job.width,
                 job.fractionY, job.gainQ8);
        std::swap(upper, lower);
    }
}

} // namespace waferscope::hardware::sim::detail
