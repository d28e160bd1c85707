#include "wafer_planner.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <optional>

#include "frame_mapping.h"
#include "random.h"

namespace waferscope::hardware::sim::detail {

namespace {

using core::DefectClass;
using core::DieIndex;

constexpr float kBrightParticleLevel = 245.0F;
constexpr float kDarkParticleLevel = 12.0F;
constexpr float kBrightScratchLevel = 225.0F;
constexpr float kDarkScratchLevel = 20.0F;
// Pattern edges are antialiased and then resampled, so a repair must reach this far past a
// feature's nominal edge to leave no trace of it.
constexpr double kFeatureSpreadPx = 1.5;

// Streams derived from the wafer's seed; distinct constants keep them independent.
constexpr std::uint64_t kRegistrationStream = 0x7265676973747279ULL;
constexpr std::uint64_t kDefectStream = 0x6465666563747321ULL;

struct Pending {
    std::size_t scanPosition;
    std::uint32_t sourceId;
    DefectClass defectClass;
    DieIndex die;
    DefectShape shape;
    double sizeUm;
};

/// Pixel indices whose centres lie in [low, high] (pixel i has its centre at i + 0.5).
struct IndexRange {
    int first;
    int last;
};
IndexRange centresWithin(double low, double high)
{
    return {static_cast<int>(std::ceil(low - 0.5)), static_cast<int>(std::floor(high - 0.5))};
}
/// Pixel indices whose area meets [low, high).
IndexRange pixelsMeeting(double low, double high)
{
    return {static_cast<int>(std::floor(low)), static_cast<int>(std::ceil(high)) - 1};
}

class Planner
{
public:
    Planner(const SimulatorConfig &config, const core::DieGrid &grid, const DiePattern &pattern)
        : m_config(config)
        , m_grid(grid)
        , m_pattern(pattern)
        , m_mapping(config)
    {
    }

    std::vector<WaferTruth::DieRegistration> registrations(std::uint64_t seed) const
    {
        const double maxShift = m_config.image.maxMisregistrationPx;
        const double radius = m_grid.geometry().usableRadiusMm();
        std::vector<WaferTruth::DieRegistration> result;
        result.reserve(m_grid.dieCount());
        for (std::size_t i = 0; i < m_grid.dieCount(); ++i) {
            SplitMix64 random(mixSeed(seed, kRegistrationStream + i));
            WaferTruth::DieRegistration registration;
            registration.shiftXPx = random.uniform(-maxShift, maxShift);
            registration.shiftYPx = random.uniform(-maxShift, maxShift);
            // A smooth tilt and bowl across the wafer, the shape a lamp and condenser leave.
            const core::PointMm c = m_grid.dieCentre(m_grid.scanOrder()[i]);
            const double x = c.x / radius;
            const double y = c.y / radius;
            const double shape = std::clamp(0.6 * x - 0.5 * y + 0.4 * (x * x + y * y - 0.5), -1.0, 1.0);
            registration.illuminationGain = 1.0 + m_config.image.illuminationDrift * shape;
            result.push_back(registration);
        }
        return result;
    }

    std::vector<Pending> defects(std::uint64_t seed, const std::vector<WaferTruth::DieRegistration> &registrations)
    {
        m_registrations = &registrations;
        SplitMix64 random(mixSeed(seed, kDefectStream));
        const double dieAreaCm2 = m_config.wafer.pitchXMm * m_config.wafer.pitchYMm / 100.0;
        const double mean = m_config.defects.densityPerCm2 * dieAreaCm2 * static_cast<double>(m_grid.dieCount());
        const std::uint64_t count = random.poisson(mean);
        std::vector<Pending> pending;
        for (std::uint64_t k = 0; k < count; ++k) {
            const auto source = static_cast<std::uint32_t>(k);
            const DefectClass defectClass = pickClass(random);
            if (defectClass == DefectClass::Scratch) {
                addScratch(random, source, pending);
                continue;
            }
            const auto position =
                static_cast<std::size_t>(random.uniformInt(0, static_cast<std::int64_t>(m_grid.dieCount()) - 1));
            std::optional<DefectShape> shape;
            switch (defectClass) {
            case DefectClass::ParticleBright:
            case DefectClass::ParticleDark:
                shape = particle(random, position, defectClass == DefectClass::ParticleBright);
                break;
            case DefectClass::MissingFeature:
                shape = missingFeature(random, position);
                break;
            case DefectClass::ExtraFeature:
                shape = extraFeature(random, position);
                break;
            default:
                shape = bridge(random, position);
                break;
            }
            if (shape) {
                pending.push_back({position, source, defectClass, m_grid.scanOrder()[position], *shape, sizeOf(*shape, defectClass)});
            }
        }
        // Group by die in scan order; within a die, keep the order they were drawn in.
        std::stable_sort(pending.begin(), pending.end(),
                         [](const Pending &a, const Pending &b) { return a.scanPosition < b.scanPosition; });
        return pending;
    }

    /// The truth of a shape on its die: the pixels its drawing touches, and the same box in µm.
    DefectTruth truthOf(const Pending &p) const
    {
        const DefectShape &s = p.shape;
        IndexRange xs{};
        IndexRange ys{};
        switch (s.kind) {
        case DefectShape::Kind::Disc:
            xs = centresWithin(s.x0 - s.radius - 0.5, s.x0 + s.radius + 0.5);
            ys = centresWithin(s.y0 - s.radius - 0.5, s.y0 + s.radius + 0.5);
            break;
        case DefectShape::Kind::Segment:
            xs = centresWithin(std::min(s.x0, s.x1) - s.radius - 0.5, std::max(s.x0, s.x1) + s.radius + 0.5);
            ys = centresWithin(std::min(s.y0, s.y1) - s.radius - 0.5, std::max(s.y0, s.y1) + s.radius + 0.5);
            break;
        case DefectShape::Kind::Box:
            xs = pixelsMeeting(s.x0, s.x1);
            ys = pixelsMeeting(s.y0, s.y1);
            break;
        }
        DefectTruth truth;
        truth.sourceId = p.sourceId;
        truth.defectClass = p.defectClass;
        truth.die = p.die;
        truth.pixels = {xs.first, ys.first, xs.last - xs.first + 1, ys.last - ys.first + 1};
        const WaferTruth::DieRegistration &r = (*m_registrations)[p.scanPosition];
        const double uMin = std::max(0.0, m_mapping.toDieU(xs.first, r.shiftXPx));
        const double uMax = std::min(m_mapping.pitchXUm, m_mapping.toDieU(xs.last + 1, r.shiftXPx));
        const double vTop = std::max(0.0, m_mapping.toDieV(ys.first, r.shiftYPx));
        const double vBottom = std::min(m_mapping.pitchYUm, m_mapping.toDieV(ys.last + 1, r.shiftYPx));
        truth.microns = {uMin, m_mapping.pitchYUm - vBottom, uMax, m_mapping.pitchYUm - vTop};
        truth.sizeUm = p.sizeUm;
        return truth;
    }

private:
    /// A shape's own longer extent in µm: a disc's diameter, a segment's length, a box's longer side
    /// less the margin a repair reaches past the feature it removes.
    double sizeOf(const DefectShape &shape, DefectClass defectClass) const
    {
        const double pixel = m_mapping.pixelUm;
        switch (shape.kind) {
        case DefectShape::Kind::Disc:
            return 2.0 * shape.radius * pixel;
        case DefectShape::Kind::Segment:
            return std::hypot(shape.x1 - shape.x0, shape.y1 - shape.y0) * pixel;
        case DefectShape::Kind::Box:
            break;
        }
        const double side = std::max(shape.x1 - shape.x0, shape.y1 - shape.y0) * pixel;
        return defectClass == DefectClass::MissingFeature ? side - 2.0 * kFeatureSpreadPx * pixel : side;
    }

    DefectClass pickClass(SplitMix64 &random) const
    {
        const SimulatorConfig::DefectMix &m = m_config.defects.mix;
        const std::pair<double, DefectClass> weights[] = {
            {m.particleBright, DefectClass::ParticleBright}, {m.particleDark, DefectClass::ParticleDark},
            {m.scratch, DefectClass::Scratch},               {m.missingFeature, DefectClass::MissingFeature},
            {m.extraFeature, DefectClass::ExtraFeature},     {m.bridge, DefectClass::Bridge},
        };
        double total = 0.0;
        for (const auto &[weight, c] : weights) {
            total += weight;
        }
        double pick = random.uniform() * total;
        for (const auto &[weight, c] : weights) {
            if (pick < weight) {
                return c;
            }
            pick -= weight;
        }
        return DefectClass::ParticleBright;
    }

    const WaferTruth::DieRegistration &registration(std::size_t position) const
    {
        return (*m_registrations)[position];
    }

    /// A rectangle in die-local µm as a Box shape in the frame of die `position`.
    DefectShape box(std::size_t position, const RectUm &rect, float level) const
    {
        const auto &r = registration(position);
        return {DefectShape::Kind::Box,
                m_mapping.toPixelX(rect.left, r.shiftXPx),
                m_mapping.toPixelY(rect.top, r.shiftYPx),
                m_mapping.toPixelX(rect.right, r.shiftXPx),
                m_mapping.toPixelY(rect.bottom, r.shiftYPx),
                0.0,
                level};
    }

    RectUm grown(const RectUm &rect, double byPx) const
    {
        const double by = byPx * m_mapping.pixelUm;
        return {rect.left - by, rect.top - by, rect.right + by, rect.bottom + by};
    }

    std::optional<DefectShape> particle(SplitMix64 &random, std::size_t position, bool isBright) const
    {
        const RectUm &v = m_mapping.visible;
        const auto diameter = static_cast<double>(
            random.uniformInt(m_config.defects.minParticlePx, m_config.defects.maxParticlePx));
        const double radiusUm =
            std::min({diameter / 2.0 * m_mapping.pixelUm, (v.right - v.left) / 2.0, (v.bottom - v.top) / 2.0});
        const double u = random.uniform(v.left + radiusUm, v.right - radiusUm);
        const double w = random.uniform(v.top + radiusUm, v.bottom - radiusUm);
        const auto &r = registration(position);
        return DefectShape{DefectShape::Kind::Disc,
                           m_mapping.toPixelX(u, r.shiftXPx),
                           m_mapping.toPixelY(w, r.shiftYPx),
                           0.0,
                           0.0,
                           radiusUm / m_mapping.pixelUm,
                           isBright ? kBrightParticleLevel : kDarkParticleLevel};
    }

    /// Picks one of `candidates` that lies wholly in the visible part of the die, or nothing.
    std::optional<RectUm> pickVisible(SplitMix64 &random, std::span<const RectUm> candidates, double spreadPx) const
    {
        if (candidates.empty()) {
            return std::nullopt;
        }
        // A few tries: candidates crowd the middle of the die, which every frame shows.
        for (int attempt = 0; attempt < 8; ++attempt) {
            const RectUm &rect = candidates[static_cast<std::size_t>(
                random.uniformInt(0, static_cast<std::int64_t>(candidates.size()) - 1))];
            const RectUm spread = grown(rect, spreadPx);
            if (m_mapping.visible.contains(spread)) {
                return spread;
            }
        }
        return std::nullopt;
    }

    std::optional<DefectShape> missingFeature(SplitMix64 &random, std::size_t position) const
    {
        // Vias outnumber pads twenty to one; choose the kind first so pads go missing too.
        const bool pad = random.uniform() < 0.3;
        const auto rect = pickVisible(random, pad ? m_pattern.pads() : m_pattern.vias(), kFeatureSpreadPx);
        if (!rect) {
            return std::nullopt;
        }
        return box(position, *rect, DiePattern::kBackgroundLevel);
    }

    std::optional<DefectShape> extraFeature(SplitMix64 &random, std::size_t position) const
    {
        // A via in the middle of four: the diagonal gap of the via array is empty background.
        const auto vias = m_pattern.vias();
        const int columns = m_pattern.viaColumns();
        if (columns < 2 || vias.size() < 2 * static_cast<std::size_t>(columns)) {
            return std::nullopt;
        }
        const int rows = static_cast<int>(vias.size()) / columns;
        for (int attempt = 0; attempt < 8; ++attempt) {
            const auto column = random.uniformInt(0, columns - 2);
            const auto row = random.uniformInt(0, rows - 2);
            const RectUm &via = vias[static_cast<std::size_t>(row * columns + column)];
            const double half = DiePattern::kViaPitchUm / 2.0;
            const RectUm extra{via.left + half, via.top + half, via.right + half, via.bottom + half};
            if (m_mapping.visible.contains(grown(extra, 1.0))) {
                return box(position, extra, DiePattern::kViaLevel);
            }
        }
        return std::nullopt;
    }

    std::optional<DefectShape> bridge(SplitMix64 &random, std::size_t position) const
    {
        const auto lines = m_pattern.lines();
        if (lines.size() < 2) {
            return std::nullopt;
        }
        for (int attempt = 0; attempt < 8; ++attempt) {
            const auto k = static_cast<std::size_t>(random.uniformInt(0, static_cast<std::int64_t>(lines.size()) - 2));
            const RectUm &upper = lines[k];
            const RectUm &lower = lines[k + 1];
            const double width = DiePattern::kLineWidthUm;
            const double centre = random.uniform(upper.left + width, upper.right - width);
            const RectUm link{centre - width / 2.0, upper.bottom, centre + width / 2.0, lower.top};
            if (m_mapping.visible.contains(grown(link, 1.0))) {
                return box(position, link, DiePattern::kLineLevel);
            }
        }
        return std::nullopt;
    }

    void addScratch(SplitMix64 &random, std::uint32_t source, std::vector<Pending> &pending) const
    {
        const double radius = m_grid.geometry().usableRadiusMm();
        const double startRadius = radius * std::sqrt(random.uniform());
        const double startAngle = random.uniform(0.0, 2.0 * std::numbers::pi);
        const double direction = random.uniform(0.0, std::numbers::pi);
        const double length = random.uniform(m_config.defects.minScratchMm, m_config.defects.maxScratchMm);
        const double halfWidthPx = random.uniform(1.0, 3.0) / 2.0;
        const float level = random.uniform() < 0.5 ? kBrightScratchLevel : kDarkScratchLevel;
        const core::PointMm a{startRadius * std::cos(startAngle), startRadius * std::sin(startAngle)};
        const core::PointMm b{a.x + length * std::cos(direction), a.y + length * std::sin(direction)};

        const double pitchYUm = m_mapping.pitchYUm;
        const double insetMm = (halfWidthPx + 1.0) * m_mapping.pixelUm / 1000.0;
        const RectUm &v = m_mapping.visible;
        for (std::size_t position = 0; position < m_grid.dieCount(); ++position) {
            const core::PointMm origin = m_grid.dieOrigin(m_grid.scanOrder()[position]);
            // The visible part of this die in wafer mm (y up), inset so the whole width stays inside.
            const double xMin = origin.x + v.left / 1000.0 + insetMm;
            const double xMax = origin.x + v.right / 1000.0 - insetMm;
            const double yMin = origin.y + (pitchYUm - v.bottom) / 1000.0 + insetMm;
            const double yMax = origin.y + (pitchYUm - v.top) / 1000.0 - insetMm;
            double t0 = 0.0;
            double t1 = 1.0;
            if (!clip(a, b, xMin, xMax, yMin, yMax, t0, t1)) {
                continue;
            }
            const auto &r = registration(position);
            const auto toPixel = [&](double t) {
                const double x = a.x + t * (b.x - a.x);
                const double y = a.y + t * (b.y - a.y);
                const double u = (x - origin.x) * 1000.0;
                const double w = pitchYUm - (y - origin.y) * 1000.0;
                return std::pair{m_mapping.toPixelX(u, r.shiftXPx), m_mapping.toPixelY(w, r.shiftYPx)};
            };
            const auto [x0, y0] = toPixel(t0);
            const auto [x1, y1] = toPixel(t1);
            if (std::hypot(x1 - x0, y1 - y0) < 1.0) {
                continue; // a clipped corner too short to see
            }
            const DefectShape shape{DefectShape::Kind::Segment, x0, y0, x1, y1, halfWidthPx, level};
            pending.push_back({position, source, DefectClass::Scratch, m_grid.scanOrder()[position], shape, sizeOf(shape, DefectClass::Scratch)});
        }
    }

    /// Liang–Barsky: narrows [t0, t1] of a→b to the part inside the rectangle; false if none is.
    static bool clip(core::PointMm a, core::PointMm b, double xMin, double xMax, double yMin, double yMax,
                     double &t0, double &t1)
    {
        if (xMin >= xMax || yMin >= yMax) {
            return false;
        }
        const double dx = b.x - a.x;
        const double dy = b.y - a.y;
        const double p[] = {-dx, dx, -dy, dy};
        const double q[] = {a.x - xMin, xMax - a.x, a.y - yMin, yMax - a.y};
        for (int i = 0; i < 4; ++i) {
            if (p[i] == 0.0) {
                if (q[i] < 0.0) {
                    return false;
                }
                continue;
            }
            const double t = q[i] / p[i];
            if (p[i] < 0.0) {
                t0 = std::max(t0, t);
            } else {
                t1 = std::min(t1, t);
            }
        }
        return t0 < t1;
    }

    const SimulatorConfig &m_config;
    const core::DieGrid &m_grid;
    const DiePattern &m_pattern;
    FrameMapping m_mapping;
    const std::vector<WaferTruth::DieRegistration> *m_registrations = nullptr;
};

} // namespace

WaferPlan WaferPlanner::plan(const SimulatorConfig &config, const core::DieGrid &grid, const DiePattern &pattern,
                             const core::WaferId &waferId)
{
    const std::uint64_t seed = mixSeed(config.seed, hashText(waferId.text()));
    Planner planner(config, grid, pattern);
    WaferTruth truth(waferId, grid);
    truth.m_registrations = planner.registrations(seed);
    const std::vector<Pending> pending = planner.defects(seed, truth.m_registrations);

    std::vector<DefectShape> shapes;
    shapes.reserve(pending.size());
    truth.m_defects.reserve(pending.size());
    truth.m_firstDefect.assign(grid.dieCount() + 1, 0);
    for (const Pending &p : pending) {
        DefectTruth defect = planner.truthOf(p);
        defect.id = static_cast<std::uint32_t>(truth.m_defects.size());
        truth.m_defects.push_back(defect);
        shapes.push_back(p.shape);
        truth.m_firstDefect[p.scanPosition + 1] += 1;
    }
    for (std::size_t i = 1; i < truth.m_firstDefect.size(); ++i) {
        truth.m_firstDefect[i] += truth.m_firstDefect[i - 1];
    }
    return WaferPlan{std::move(truth), std::move(shapes), seed};
}

} // namespace waferscope::hardware::sim::detail
