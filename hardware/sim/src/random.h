#pragma once

/// Seeded pseudo-random numbers whose sequence is fixed by the seed on every platform and standard
/// library: SplitMix64 and the few distributions the simulator needs, written out here because the
/// standard distributions may differ between library versions.
/// Threads: a generator is a value; one thread uses it at a time. Allocates: nothing.

#include <cmath>
#include <cstdint>
#include <string_view>

namespace waferscope::hardware::sim::detail {

/// Mixes two values into a well-spread seed; used to derive independent streams (per wafer, per die,
/// per frame) from one configured seed.
[[nodiscard]] constexpr std::uint64_t mixSeed(std::uint64_t a, std::uint64_t b) noexcept
{
    std::uint64_t z = a ^ (b + 0x9e3779b97f4a7c15ULL + (a << 6) + (a >> 2));
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/// FNV-1a: a stable hash of a wafer id's text.
[[nodiscard]] constexpr std::uint64_t hashText(std::string_view text) noexcept
{
    std::uint64_t hash = 0xcbf29ce484222325ULL;
    for (const char c : text) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 0x100000001b3ULL;
    }
    return hash;
}

class SplitMix64
{
public:
    explicit constexpr SplitMix64(std::uint64_t seed) noexcept
        : m_state(seed)
    {
    }

    constexpr std::uint64_t next() noexcept
    {
        std::uint64_t z = (m_state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }

    /// Uniform in [0, 1), from the top 53 bits.
    double uniform() noexcept { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    double uniform(double low, double high) noexcept { return low + (high - low) * uniform(); }
    /// Uniform integer in [low, high]. Precondition: low <= high.
    std::int64_t uniformInt(std::int64_t low, std::int64_t high) noexcept
    {
        const auto span = static_cast<std::uint64_t>(high - low) + 1;
        return low + static_cast<std::int64_t>(span == 0 ? next() : next() % span);
    }
    /// Standard normal, by Box–Muller.
    double normal() noexcept
    {
        const double u1 = 1.0 - uniform(); // (0, 1]: log() stays finite
        const double u2 = uniform();
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
    }
    /// Poisson with the given mean: counting for small means, the normal approximation above 64.
    std::uint64_t poisson(double mean) noexcept
    {
        if (mean <= 0.0) {
            return 0;
        }
        if (mean > 64.0) {
            const double value = std::round(mean + std::sqrt(mean) * normal());
            return value < 0.0 ? 0 : static_cast<std::uint64_t>(value);
        }
        const double limit = std::exp(-mean);
        std::uint64_t count = 0;
        double product = uniform();
        while (product > limit) {
            ++count;
            product *= uniform();
        }
        return count;
    }

private:
    std::uint64_t m_state;
};

} // namespace waferscope::hardware::sim::detail
