#pragma once

/// DiePattern: the layout drawn on every die — streets around the die body, a ring of bond pads,
/// and inside it three blocks: horizontal lines (left), a via array (top right) and vertical lines
/// (bottom right). Coordinates are die-local µm from the die's top-left corner, v growing down, the
/// way the image is drawn. Blocks that do not fit a small die are left out.
/// Threads: immutable once built. Allocates: at construction only.

#include <span>
#include <vector>

namespace waferscope::hardware::sim::detail {

/// A rectangle in die-local µm: left ≤ u < right, top ≤ v < bottom.
struct RectUm {
    double left = 0.0;
    double top = 0.0;
    double right = 0.0;
    double bottom = 0.0;

    [[nodiscard]] bool contains(const RectUm &other) const noexcept
    {
        return other.left >= left && other.right <= right && other.top >= top && other.bottom <= bottom;
    }
};

struct PatternFeature {
    RectUm rect;
    float level;
};

class DiePattern
{
public:
    static constexpr float kStreetLevel = 48.0F;
    static constexpr float kBackgroundLevel = 96.0F;
    static constexpr float kPadLevel = 210.0F;
    static constexpr float kLineLevel = 176.0F;
    static constexpr float kViaLevel = 28.0F;
    static constexpr float kColumnLevel = 150.0F;

    static constexpr double kLineWidthUm = 48.0;
    static constexpr double kViaSizeUm = 36.0;
    static constexpr double kViaPitchUm = 108.0;

    DiePattern(double pitchXUm, double pitchYUm);

    [[nodiscard]] double pitchXUm() const noexcept { return m_pitchXUm; }
    [[nodiscard]] double pitchYUm() const noexcept { return m_pitchYUm; }
    /// The die body, inside the streets; painted kBackgroundLevel over the street level.
    [[nodiscard]] const RectUm &body() const noexcept { return m_body; }
    /// Everything painted on the body, in painting order.
    [[nodiscard]] std::span<const PatternFeature> features() const noexcept { return m_features; }

    [[nodiscard]] std::span<const RectUm> pads() const noexcept { return m_pads; }
    /// Horizontal lines, top to bottom; neighbours are candidates for a bridge.
    [[nodiscard]] std::span<const RectUm> lines() const noexcept { return m_lines; }
    /// Vias, row by row; viaColumns() of them per row.
    [[nodiscard]] std::span<const RectUm> vias() const noexcept { return m_vias; }
    [[nodiscard]] int viaColumns() const noexcept { return m_viaColumns; }

private:
    void add(std::vector<RectUm> &kind, RectUm rect, float level);

    double m_pitchXUm;
    double m_pitchYUm;
    RectUm m_body;
    std::vector<PatternFeature> m_features;
    std::vector<RectUm> m_pads;
    std::vector<RectUm> m_lines;
    std::vector<RectUm> m_vias;
    int m_viaColumns = 0;
};

} // namespace waferscope::hardware::sim::detail
