#include <waferscope/hardware/sim/wafer_renderer.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <stdexcept>
#include <vector>

#include "die_pattern.h"
#include "frame_mapping.h"
#include "random.h"
#include "render_kernel.h"
#include "wafer_planner.h"

namespace waferscope::hardware::sim {

namespace {

using detail::DefectShape;

constexpr std::size_t kNoiseTableBits = 18;
constexpr std::size_t kNoiseMask = (std::size_t{1} << kNoiseTableBits) - 1;
constexpr std::uint64_t kNoiseTableStream = 0x6e6f697365746162ULL;
constexpr std::uint64_t kFrameStream = 0x6672616d65726f77ULL;

} // namespace

struct WaferRenderer::Impl {
    explicit Impl(const SimulatorConfig &configuration)
        : config((configuration.validate(), configuration))
        , grid(config.wafer)
        , format(config.imageFormat())
        , pattern(config.wafer.pitchXMm * 1000.0, config.wafer.pitchYMm * 1000.0)
        , mapping(config)
        , margin(static_cast<int>(std::ceil(config.image.maxMisregistrationPx)) + 2)
        , templateWidth(format.width + 2 * margin)
        , templateHeight(format.height + 2 * margin)
        , rowA(static_cast<std::size_t>(format.width))
        , rowB(static_cast<std::size_t>(format.width))
    {
        buildTemplate();
        buildNoise();
    }

    /// Paints one period of the lattice per die cell the template window meets, each edge covered
    /// in proportion to its overlap with a pixel, so the pattern is antialiased once, here.
    void buildTemplate()
    {
        const double pixel = mapping.pixelUm;
        const double u0 = mapping.toDieU(-margin, 0.0);
        const double v0 = mapping.toDieV(-margin, 0.0);
        std::vector<float> canvas(static_cast<std::size_t>(templateWidth) * static_cast<std::size_t>(templateHeight),
                                  detail::DiePattern::kStreetLevel);
        const auto paint = [&](const detail::RectUm &rect, double offsetU, double offsetV, float level) {
            const double a0 = (rect.left + offsetU - u0) / pixel;
            const double a1 = (rect.right + offsetU - u0) / pixel;
            const double b0 = (rect.top + offsetV - v0) / pixel;
            const double b1 = (rect.bottom + offsetV - v0) / pixel;
            const int x0 = std::max(0, static_cast<int>(std::floor(a0)));
            const int x1 = std::min(templateWidth, static_cast<int>(std::ceil(a1)));
            const int y0 = std::max(0, static_cast<int>(std::floor(b0)));
            const int y1 = std::min(templateHeight, static_cast<int>(std::ceil(b1)));
            for (int y = y0; y < y1; ++y) {
                const double cy = std::min(b1, y + 1.0) - std::max(b0, static_cast<double>(y));
                float *row = canvas.data() + static_cast<std::ptrdiff_t>(y) * templateWidth;
                for (int x = x0; x < x1; ++x) {
                    const double cx = std::min(a1, x + 1.0) - std::max(a0, static_cast<double>(x));
                    const auto cover = static_cast<float>(cx * cy);
                    row[x] += cover * (level - row[x]);
                }
            }
        };
        const double pitchU = mapping.pitchXUm;
        const double pitchV = mapping.pitchYUm;
        const double u1 = u0 + templateWidth * pixel;
        const double v1 = v0 + templateHeight * pixel;
        for (double offsetV = std::floor(v0 / pitchV) * pitchV; offsetV < v1; offsetV += pitchV) {
            for (double offsetU = std::floor(u0 / pitchU) * pitchU; offsetU < u1; offsetU += pitchU) {
                paint(pattern.body(), offsetU, offsetV, detail::DiePattern::kBackgroundLevel);
                for (const detail::PatternFeature &feature : pattern.features()) {
                    paint(feature.rect, offsetU, offsetV, feature.level);
                }
            }
        }
        templ.resize(canvas.size());
        std::transform(canvas.begin(), canvas.end(), templ.begin(), [](float value) {
            return static_cast<std::uint8_t>(std::clamp(std::lround(value), 0L, 255L));
        });
    }

    void buildNoise()
    {
        detail::SplitMix64 random(detail::mixSeed(config.seed, kNoiseTableStream));
        noise.resize(kNoiseMask + 1 + static_cast<std::size_t>(format.width));
        for (std::int8_t &n : noise) {
            n = static_cast<std::int8_t>(std::clamp(std::lround(random.normal() * config.image.noiseSigma), -127L, 127L));
        }
    }

    [[nodiscard]] float noiseAt(std::size_t index) const noexcept { return noise[index & kNoiseMask]; }

    /// Precondition: the shape lies inside the frame (the planner keeps it in the visible area).
    void draw(const DefectShape &shape, const DefectTruth::PixelBox &box, std::uint8_t *frame, float gain,
              std::size_t noiseOffset) const noexcept
    {
        const int width = format.width;
        const float target = shape.level * gain;
        const auto blend = [&](int x, int y, double alpha) {
            if (alpha <= 0.0) {
                return;
            }
            const std::size_t index = static_cast<std::size_t>(y) * static_cast<std::size_t>(width) +
                                      static_cast<std::size_t>(x);
            const float value = frame[index];
            const float wanted = target + noiseAt(index + noiseOffset);
            const float mixed = value + static_cast<float>(std::min(alpha, 1.0)) * (wanted - value);
            frame[index] = static_cast<std::uint8_t>(std::clamp(std::lround(mixed), 0L, 255L));
        };
        switch (shape.kind) {
        case DefectShape::Kind::Disc:
            for (int y = box.y; y < box.y + box.height; ++y) {
                for (int x = box.x; x < box.x + box.width; ++x) {
                    const double d = std::hypot(x + 0.5 - shape.x0, y + 0.5 - shape.y0);
                    blend(x, y, shape.radius + 0.5 - d);
                }
            }
            break;
        case DefectShape::Kind::Box:
            for (int y = box.y; y < box.y + box.height; ++y) {
                const double cy = std::min(shape.y1, y + 1.0) - std::max(shape.y0, static_cast<double>(y));
                for (int x = box.x; x < box.x + box.width; ++x) {
                    const double cx = std::min(shape.x1, x + 1.0) - std::max(shape.x0, static_cast<double>(x));
                    blend(x, y, cx * cy);
                }
            }
            break;
        case DefectShape::Kind::Segment: {
            const double dx = shape.x1 - shape.x0;
            const double dy = shape.y1 - shape.y0;
            const double lengthSquared = dx * dx + dy * dy;
            const double reach = shape.radius + 1.0;
            for (int y = box.y; y < box.y + box.height; ++y) {
                int first = box.x;
                int last = box.x + box.width - 1;
                // Only the pixels near the line in this row: a long diagonal crosses a die's whole box.
                if (std::abs(dy) > 1e-9) {
                    const double along = shape.x0 + (y + 0.5 - shape.y0) * dx / dy;
                    const double spread = reach * std::sqrt(lengthSquared) / std::abs(dy);
                    first = std::max(first, static_cast<int>(std::floor(along - spread)));
                    last = std::min(last, static_cast<int>(std::ceil(along + spread)));
                }
                for (int x = first; x <= last; ++x) {
                    const double px = x + 0.5 - shape.x0;
                    const double py = y + 0.5 - shape.y0;
                    const double t = std::clamp((px * dx + py * dy) / lengthSquared, 0.0, 1.0);
                    const double d = std::hypot(px - t * dx, py - t * dy);
                    blend(x, y, shape.radius + 0.5 - d);
                }
            }
            break;
        }
        }
    }

    SimulatorConfig config;
    core::DieGrid grid;
    ImageFormat format;
    detail::DiePattern pattern;
    detail::FrameMapping mapping;
    int margin;
    int templateWidth;
    int templateHeight;
    std::vector<std::uint8_t> templ;
    std::vector<std::int8_t> noise;
    std::vector<std::uint16_t> rowA;
    std::vector<std::uint16_t> rowB;
    std::optional<detail::WaferPlan> plan;
};

WaferRenderer::WaferRenderer(const SimulatorConfig &config)
    : m_impl(std::make_unique<Impl>(config))
{
}

WaferRenderer::~WaferRenderer() = default;

const ImageFormat &WaferRenderer::format() const noexcept
{
    return m_impl->format;
}

const core::DieGrid &WaferRenderer::dieGrid() const noexcept
{
    return m_impl->grid;
}

void WaferRenderer::loadWafer(const core::WaferId &waferId)
{
    m_impl->plan.emplace(detail::WaferPlanner::plan(m_impl->config, m_impl->grid, m_impl->pattern, waferId));
}

bool WaferRenderer::hasWafer() const noexcept
{
    return m_impl->plan.has_value();
}

const WaferTruth &WaferRenderer::truth() const
{
    if (!m_impl->plan) {
        throw std::logic_error("WaferRenderer: no wafer loaded; call loadWafer() first");
    }
    return m_impl->plan->truth;
}

void WaferRenderer::render(core::DieIndex die, std::span<std::byte> frame, double illuminationFactor)
{
    Impl &impl = *m_impl;
    const WaferTruth &truth = this->truth();
    if (frame.size() < impl.format.frameBytes()) {
        throw std::invalid_argument("WaferRenderer: a frame of " + std::to_string(frame.size()) +
                                    " bytes cannot hold a " + std::to_string(impl.format.width) + " x " +
                                    std::to_string(impl.format.height) + " Mono8 image");
    }
    const auto position = impl.grid.scanPosition(die);
    if (!position) {
        throw std::out_of_range("WaferRenderer: die " + core::toText(die) + " is not on the wafer's die grid");
    }
    const WaferTruth::DieRegistration &registration = truth.registration(die);
    const float gain = static_cast<float>(registration.illuminationGain * std::max(0.0, illuminationFactor));

    // Content moves by +shift: output pixel x samples template position x + margin − shift.
    const auto split = [](double at, int &whole, int &sixteenths) {
        whole = static_cast<int>(std::floor(at));
        sixteenths = static_cast<int>(std::lround((at - whole) * 16.0));
        if (sixteenths == 16) {
            whole += 1;
            sixteenths = 0;
        }
    };
    int ix = 0;
    int fx = 0;
    int iy = 0;
    int fy = 0;
    split(impl.margin - registration.shiftXPx, ix, fx);
    split(impl.margin - registration.shiftYPx, iy, fy);

    detail::SplitMix64 random(detail::mixSeed(impl.plan->seed, kFrameStream + *position));
    auto *pixels = reinterpret_cast<std::uint8_t *>(frame.data());
    const detail::ResampleJob job{
        impl.templ.data() + static_cast<std::ptrdiff_t>(iy) * impl.templateWidth + ix,
        impl.templateWidth,
        fx,
        fy,
        static_cast<std::uint16_t>(std::clamp(std::lround(gain * 256.0F), 0L, 65535L)),
        impl.noise.data(),
        kNoiseMask,
        pixels,
        impl.format.width,
        impl.format.height,
        impl.rowA.data(),
        impl.rowB.data(),
    };
    detail::resample(job, random);

    const auto defects = truth.defectsOn(die);
    if (!defects.empty()) {
        const std::size_t first = static_cast<std::size_t>(defects.data() - truth.defects().data());
        const std::size_t noiseOffset = random.next();
        for (std::size_t i = 0; i < defects.size(); ++i) {
            impl.draw(impl.plan->shapes[first + i], defects[i].pixels, pixels, gain, noiseOffset);
        }
    }
}

} // namespace waferscope::hardware::sim
