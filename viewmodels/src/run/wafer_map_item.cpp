#include <waferscope/viewmodels/run/wafer_map_item.h>

#include <QGuiApplication>
#include <QMouseEvent>
#include <QPainter>
#include <QQuickWindow>
#include <QSGGeometryNode>
#include <QSGImageNode>
#include <QSGRendererInterface>
#include <QSGTexture>
#include <QSGTransformNode>
#include <QSGVertexColorMaterial>
#include <QStyleHints>
#include <QWheelEvent>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <memory>
#include <numbers>
#include <vector>

#include <waferscope/viewmodels/run/defect_class_palette.h>

// Scene graph, as built by updatePaintNode():
//   MapNode (QSGTransformNode: wafer mm → item pixels, y flipped; zoom and pan change only it)
//     wafer node   the wafer disc with its notch, the edge-exclusion ring and the outline
//     die node     one quad per die, coloured by dieHeatColor()
//     dot chunks   kChunkDots quads each, allocated whole, filled as dots arrive
// With the software backend (no GPU; also what the offscreen platform gets), which draws no
// geometry nodes, the map is two painted image layers instead: the wafer with its dies, repainted
// when counts or the view change, and the dots, painted incrementally until the view changes.
// Geometry is in wafer mm. What must keep a constant size on screen (dots, outline, die gaps) is
// built for a zoom "step" — the pixels per mm rounded to a quarter power of two — and rebuilt only
// when the step changes, so panning and zooming within a step touch nothing but the matrix.

namespace waferscope::viewmodels {

namespace {

constexpr int kChunkDots = 8192;           // 4 vertices a dot: fits 16-bit indices
constexpr double kDotHalfPx = 2.0;         // dots are 4 px squares
constexpr double kHitRadiusPx = 6.0;       // a click this near a dot picks the dot
constexpr double kOutlinePx = 1.25;        // wafer outline width
constexpr double kFitMargin = 0.96;        // the wafer fills 96 % of the item's shorter side
constexpr double kMinZoom = 1.0;
constexpr double kMaxZoom = 200.0;
constexpr double kZoomPerNotch = 1.25;     // one wheel notch (120 eighths of a degree)
constexpr int kCircleSegments = 360;

const QColor kWaferColor(0x1A, 0x1F, 0x25);
const QColor kExclusionColor(0x25, 0x2B, 0x33);
const QColor kOutlineColor(0x7D, 0x88, 0x94);

using Vertex = QSGGeometry::ColoredPoint2D;

void setVertex(Vertex &v, double x, double y, QColor c) noexcept
{
    // QSGVertexColorMaterial wants premultiplied colours; ours are opaque.
    v.set(static_cast<float>(x), static_cast<float>(y), static_cast<uchar>(c.red()), static_cast<uchar>(c.green()),
          static_cast<uchar>(c.blue()), static_cast<uchar>(c.alpha()));
}

QSGGeometryNode *newColouredNode(int vertices, int indices, int indexType)
{
    auto *geometry = new QSGGeometry(QSGGeometry::defaultAttributes_ColoredPoint2D(), vertices, indices, indexType);
    geometry->setDrawingMode(QSGGeometry::DrawTriangles);
    auto *node = new QSGGeometryNode;
    node->setGeometry(geometry);
    node->setFlag(QSGNode::OwnsGeometry);
    node->setMaterial(new QSGVertexColorMaterial);
    node->setFlag(QSGNode::OwnsMaterial);
    return node;
}

/// The whole map, and what it was built from. Lives as long as the scene graph keeps it: when the
/// scene graph drops it, the next updatePaintNode() starts from nothing.
class MapNode : public QSGTransformNode
{
public:
    std::uint64_t generation = 0; // the item's m_generation this was built for; 0 = never built
    double step = 0.0;            // pixels per mm the constant-size parts were built for
    std::size_t uploadedDots = 0; // model dots already in chunks
    QSGGeometryNode *wafer = nullptr;
    QSGGeometryNode *dies = nullptr;
    std::vector<QSGGeometryNode *> chunks;
    // Software backend: the painted layers; the textures are ours, not the nodes'.
    QSGImageNode *waferLayer = nullptr;
    QSGImageNode *dotLayer = nullptr;
    std::unique_ptr<QSGTexture> waferTexture;
    std::unique_ptr<QSGTexture> dotTexture;
    QImage dotImage;
    QTransform paintedView; // device transform dotImage was painted with

    /// Forgets the drawn map. Geometry nodes go (owned by this node, deleting one unlinks it); the
    /// software layers stay, to be repainted whole: the software renderer does not take nodes
    /// replaced in the middle of a frame well.
    void reset()
    {
        for (QSGNode *node : chunks) {
            delete node;
        }
        delete wafer;
        delete dies;
        wafer = nullptr;
        dies = nullptr;
        chunks.clear();
        dotImage = QImage();
        uploadedDots = 0;
        step = 0.0;
    }
    ~MapNode() override
    {
        reset();
        delete waferLayer; // before the textures they show
        delete dotLayer;
    }
};

/// Pixels per mm rounded to the nearest quarter power of two: sizes built for it are within ±9 % of
/// their nominal size on screen.
double stepFor(double pixelsPerMm) noexcept
{
    return std::exp2(std::round(std::log2(pixelsPerMm) * 4.0) / 4.0);
}

/// Distance from the wafer centre to the wafer's edge along `angle`, the notch cut in.
/// The notch is a V of 90°, `depth` mm deep, straight down.
double edgeRadius(double angle, double radius, double depth) noexcept
{
    const double halfWidth = depth; // 90°: as wide on each side as it is deep
    const double cornerY = -std::sqrt(std::max(radius * radius - halfWidth * halfWidth, 0.0));
    const double dx = std::cos(angle);
    const double dy = std::sin(angle);
    if (dy >= 0.0 || std::abs(dx) * std::abs(cornerY) > halfWidth * std::abs(dy)) {
        return radius; // the ray leaves the wafer outside the notch's angular span
    }
    // Intersect with the V edge on the ray's side: from (±halfWidth, cornerY) to (0, -radius + depth).
    const double sx = dx < 0.0 ? -halfWidth : halfWidth;
    const double tipY = -radius + depth;
    // Points on the edge: (sx·(1−u), cornerY + u·(tipY − cornerY)); on the ray: t·(dx, dy).
    const double ex = -sx;
    const double ey = tipY - cornerY;
    const double det = dx * (-ey) - dy * (-ex);
    if (std::abs(det) < 1e-12) {
        return radius;
    }
    const double t = (sx * (-ey) - cornerY * (-ex)) / det;
    return std::clamp(t, 0.0, radius);
}

struct EdgeSample {
    double angle;
    double outer; // to the wafer's edge, notch included
    double inner; // to the usable area's edge
};

/// The wafer's edge, all the way round: sampled angles plus the notch's three corners.
std::vector<EdgeSample> waferEdge(const core::WaferGeometry &wafer, double step)
{
    const double radius = wafer.radiusMm();
    const double usable = std::max(wafer.usableRadiusMm(), 0.0);
    const double notchDepth = std::clamp(6.0 / step, 1.0, radius / 4.0);
    std::vector<double> angles;
    angles.reserve(kCircleSegments + 4);
    for (int i = 0; i < kCircleSegments; ++i) {
        angles.push_back(-std::numbers::pi + 2.0 * std::numbers::pi * i / kCircleSegments);
    }
    const double cornerY = -std::sqrt(radius * radius - notchDepth * notchDepth);
    angles.push_back(std::atan2(cornerY, -notchDepth));
    angles.push_back(-std::numbers::pi / 2.0);
    angles.push_back(std::atan2(cornerY, notchDepth));
    std::sort(angles.begin(), angles.end());
    angles.push_back(angles.front() + 2.0 * std::numbers::pi); // closes the loop
    std::vector<EdgeSample> edge;
    edge.reserve(angles.size());
    for (const double a : angles) {
        const double outer = edgeRadius(a, radius, notchDepth);
        edge.push_back({a, outer, std::min(usable, outer)});
    }
    return edge;
}

QPointF polar(double angle, double r) noexcept
{
    return {r * std::cos(angle), r * std::sin(angle)};
}

void buildWafer(QSGGeometryNode &node, const core::WaferGeometry &wafer, double step)
{
    const double outline = kOutlinePx / step;
    const std::vector<EdgeSample> edge = waferEdge(wafer, step);
    // Per step between neighbouring samples: a fan triangle of the usable disc, a quad of the
    // exclusion ring and a quad of the outline — 15 vertices, no indices.
    const int steps = static_cast<int>(edge.size()) - 1;
    QSGGeometry *geometry = node.geometry();
    geometry->allocate(steps * 15);
    Vertex *v = geometry->vertexDataAsColoredPoint2D();
    const auto put = [&v](QPointF p, QColor c) { setVertex(*v++, p.x(), p.y(), c); };
    const auto quad = [&put](QPointF a0, QPointF a1, QPointF b0, QPointF b1, QColor c) {
        for (const QPointF &p : {a0, b0, a1, a1, b0, b1}) {
            put(p, c);
        }
    };
    for (std::size_t i = 0; i + 1 < edge.size(); ++i) {
        const EdgeSample &a = edge[i];
        const EdgeSample &b = edge[i + 1];
        put({0.0, 0.0}, kWaferColor);
        put(polar(a.angle, a.inner), kWaferColor);
        put(polar(b.angle, b.inner), kWaferColor);
        quad(polar(a.angle, a.inner), polar(a.angle, a.outer), polar(b.angle, b.inner), polar(b.angle, b.outer),
             kExclusionColor);
        quad(polar(a.angle, std::max(a.outer - outline, 0.0)), polar(a.angle, a.outer),
             polar(b.angle, std::max(b.outer - outline, 0.0)), polar(b.angle, b.outer), kOutlineColor);
    }
    node.markDirty(QSGNode::DirtyGeometry);
}

/// Die rectangles in wafer mm, inset so neighbours show a thin gap of at least a pixel.
QRectF dieRect(const core::DieGrid &grid, core::DieIndex die, double step)
{
    const core::WaferGeometry &wafer = grid.geometry();
    const double pitch = std::min(wafer.pitchXMm, wafer.pitchYMm);
    const double inset = std::min(std::max(0.03 * pitch, 1.0 / step) / 2.0, 0.25 * pitch);
    const core::PointMm o = grid.dieOrigin(die);
    return {o.x + inset, o.y + inset, wafer.pitchXMm - 2.0 * inset, wafer.pitchYMm - 2.0 * inset};
}

void buildDies(QSGGeometryNode &node, const core::DieGrid &grid, double step)
{
    const auto dies = grid.scanOrder();
    QSGGeometry *geometry = node.geometry();
    geometry->allocate(static_cast<int>(dies.size()) * 4, static_cast<int>(dies.size()) * 6);
    Vertex *v = geometry->vertexDataAsColoredPoint2D();
    const bool wide = geometry->indexType() == QSGGeometry::UnsignedIntType;
    const QColor c = dieHeatColor(0, 0); // colourDies() follows
    for (std::size_t i = 0; i < dies.size(); ++i) {
        const QRectF r = dieRect(grid, dies[i], step);
        setVertex(v[i * 4 + 0], r.left(), r.top(), c);
        setVertex(v[i * 4 + 1], r.right(), r.top(), c);
        setVertex(v[i * 4 + 2], r.right(), r.bottom(), c);
        setVertex(v[i * 4 + 3], r.left(), r.bottom(), c);
        const std::array<std::uint32_t, 6> quad{0, 1, 2, 0, 2, 3};
        for (std::size_t k = 0; k < quad.size(); ++k) {
            const auto index = static_cast<std::uint32_t>(i * 4) + quad[k];
            if (wide) {
                geometry->indexDataAsUInt()[i * 6 + k] = index;
            } else {
                geometry->indexDataAsUShort()[i * 6 + k] = static_cast<quint16>(index);
            }
        }
    }
    node.markDirty(QSGNode::DirtyGeometry);
}

void colourDies(QSGGeometryNode &node, const WaferMapModel &model)
{
    const auto dies = model.grid()->scanOrder();
    Vertex *v = node.geometry()->vertexDataAsColoredPoint2D();
    const int top = model.maxDefectsPerDie();
    for (std::size_t i = 0; i < dies.size(); ++i) {
        const QColor c = dieHeatColor(model.defectsOn(dies[i]), top);
        for (std::size_t k = 0; k < 4; ++k) {
            Vertex &corner = v[i * 4 + k];
            setVertex(corner, corner.x, corner.y, c);
        }
    }
    node.markDirty(QSGNode::DirtyGeometry);
}

/// Writes dot `index` of its chunk: the quad's vertices and its two triangles.
void writeDot(QSGGeometry &geometry, int index, const WaferMapModel::Dot &dot, double half) noexcept
{
    const QColor c = colorOf(dot.defectClass);
    Vertex *v = geometry.vertexDataAsColoredPoint2D() + index * 4;
    setVertex(v[0], dot.xMm - half, dot.yMm - half, c);
    setVertex(v[1], dot.xMm + half, dot.yMm - half, c);
    setVertex(v[2], dot.xMm + half, dot.yMm + half, c);
    setVertex(v[3], dot.xMm - half, dot.yMm + half, c);
    quint16 *i = geometry.indexDataAsUShort() + index * 6;
    const auto base = static_cast<quint16>(index * 4);
    i[0] = base;
    i[1] = static_cast<quint16>(base + 1);
    i[2] = static_cast<quint16>(base + 2);
    i[3] = base;
    i[4] = static_cast<quint16>(base + 2);
    i[5] = static_cast<quint16>(base + 3);
}

QSGGeometryNode *newChunk()
{
    QSGGeometryNode *node = newColouredNode(kChunkDots * 4, kChunkDots * 6, QSGGeometry::UnsignedShortType);
    QSGGeometry *geometry = node->geometry();
    geometry->setVertexDataPattern(QSGGeometry::DynamicPattern);
    geometry->setIndexDataPattern(QSGGeometry::DynamicPattern);
    // Until a slot is filled its triangles are degenerate (all index 0) at the wafer centre, so the
    // renderer's bounds stay finite and nothing is drawn for it.
    std::memset(geometry->vertexData(), 0, static_cast<std::size_t>(geometry->vertexCount()) * sizeof(Vertex));
    std::memset(geometry->indexData(), 0, static_cast<std::size_t>(geometry->indexCount()) * sizeof(quint16));
    return node;
}

/// Shows `image` in `layer`, replacing (and then freeing) the texture it showed before.
void showImage(QQuickWindow &window, QSGImageNode &layer, std::unique_ptr<QSGTexture> &texture, const QImage &image,
               QSizeF size)
{
    std::unique_ptr<QSGTexture> next(window.createTextureFromImage(image));
    layer.setTexture(next.get());
    layer.setRect(QRectF(QPointF(0.0, 0.0), size));
    texture = std::move(next);
}

/// The software backend's map: `view` maps wafer mm to item pixels.
void paintSoftware(MapNode &root, QQuickWindow &window, const WaferMapModel &model, const QTransform &view,
                   QSizeF size, bool diesDirty)
{
    const qreal dpr = window.effectiveDevicePixelRatio();
    const QSize pixels = (size * dpr).toSize();
    const QTransform device = view * QTransform::fromScale(dpr, dpr);
    const bool viewChanged = root.dotImage.size() != pixels || root.paintedView != device;
    if (!root.waferLayer) {
        root.waferLayer = window.createImageNode();
        root.dotLayer = window.createImageNode();
        root.appendChildNode(root.waferLayer);
        root.appendChildNode(root.dotLayer);
    }
    const core::DieGrid &grid = *model.grid();
    if (viewChanged || diesDirty) {
        const double step = stepFor(view.m11());
        QImage image(pixels, QImage::Format_ARGB32_Premultiplied);
        image.fill(Qt::transparent);
        QPainter painter(&image);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setTransform(device);
        QPolygonF outer;
        QPolygonF inner;
        for (const EdgeSample &e : waferEdge(grid.geometry(), step)) {
            outer << polar(e.angle, e.outer);
            inner << polar(e.angle, e.inner);
        }
        painter.setPen(Qt::NoPen);
        painter.setBrush(kExclusionColor);
        painter.drawPolygon(outer);
        painter.setBrush(kWaferColor);
        painter.drawPolygon(inner);
        QPen pen(kOutlineColor, kOutlinePx * dpr);
        pen.setCosmetic(true);
        painter.setPen(pen);
        painter.setBrush(Qt::NoBrush);
        painter.drawPolygon(outer);
        painter.setRenderHint(QPainter::Antialiasing, false);
        const int top = model.maxDefectsPerDie();
        for (const core::DieIndex die : grid.scanOrder()) {
            painter.fillRect(dieRect(grid, die, step), dieHeatColor(model.defectsOn(die), top));
        }
        painter.end();
        showImage(window, *root.waferLayer, root.waferTexture, image, size);
    }
    const auto dots = model.dots();
    if (viewChanged) {
        root.dotImage = QImage(pixels, QImage::Format_ARGB32_Premultiplied);
        root.dotImage.fill(Qt::transparent);
        root.paintedView = device;
        root.uploadedDots = 0;
    }
    if (viewChanged || dots.size() > root.uploadedDots) {
        QPainter painter(&root.dotImage);
        const double half = kDotHalfPx * dpr;
        for (std::size_t i = root.uploadedDots; i < dots.size(); ++i) {
            const QPointF c = device.map(QPointF(dots[i].xMm, dots[i].yMm));
            painter.fillRect(QRectF(c.x() - half, c.y() - half, 2.0 * half, 2.0 * half), colorOf(dots[i].defectClass));
        }
        painter.end();
        root.uploadedDots = dots.size();
        showImage(window, *root.dotLayer, root.dotTexture, root.dotImage, size);
    }
}

} // namespace

// GUI-thread state that updatePaintNode() reads while the GUI thread is blocked.
struct WaferMapItem::State {
    std::uint64_t generation = 1; // bumped when the wafer or the model changes: rebuild everything
    bool dieColoursDirty = true;  // counts changed: recolour the die node
    // A press that may become a click (no drag) or a drag (pan).
    bool pressed = false;
    bool dragging = false;
    QPointF pressPos;
    QPointF lastPos;
};

WaferMapItem::WaferMapItem(QQuickItem *parent)
    : QQuickItem(parent)
    , m_state(std::make_unique<State>())
{
    setFlag(ItemHasContents);
    setAcceptedMouseButtons(Qt::LeftButton);
    setClip(true); // zoomed in, the map would cover its neighbours
}

WaferMapItem::~WaferMapItem() = default;

void WaferMapItem::setModel(WaferMapModel *model)
{
    if (m_model == model) {
        return;
    }
    if (m_model) {
        disconnect(m_model, nullptr, this, nullptr);
    }
    m_model = model;
    if (model) {
        connect(model, &WaferMapModel::waferChanged, this, [this] {
            ++m_state->generation;
            update();
        });
        connect(model, &WaferMapModel::defectsAdded, this, [this] {
            m_state->dieColoursDirty = true;
            update();
        });
        connect(model, &QObject::destroyed, this, [this] {
            ++m_state->generation;
            update();
            Q_EMIT modelChanged();
        });
    }
    ++m_state->generation;
    update();
    Q_EMIT modelChanged();
}

void WaferMapItem::setZoom(double zoom)
{
    setView(zoom, m_panX, m_panY);
}

void WaferMapItem::setPanX(double panX)
{
    setView(m_zoom, panX, m_panY);
}

void WaferMapItem::setPanY(double panY)
{
    setView(m_zoom, m_panX, panY);
}

void WaferMapItem::setView(double zoom, double panX, double panY)
{
    zoom = std::clamp(std::isfinite(zoom) ? zoom : kMinZoom, kMinZoom, kMaxZoom);
    if (!std::isfinite(panX) || !std::isfinite(panY)) {
        return;
    }
    if (zoom == m_zoom && panX == m_panX && panY == m_panY) {
        return;
    }
    m_zoom = zoom;
    m_panX = panX;
    m_panY = panY;
    update();
    Q_EMIT viewChanged();
}

void WaferMapItem::resetView()
{
    setView(1.0, 0.0, 0.0);
}

double WaferMapItem::fitPixelsPerMm() const noexcept
{
    const double diameter = m_model ? m_model->diameterMm() : 0.0;
    const double side = std::min(width(), height());
    return diameter > 0.0 && side > 0.0 ? side * kFitMargin / diameter : 1.0;
}

QPointF WaferMapItem::mapFromWafer(double xMm, double yMm) const
{
    const double k = fitPixelsPerMm() * m_zoom;
    return {width() / 2.0 + m_panX + xMm * k, height() / 2.0 + m_panY - yMm * k};
}

QPointF WaferMapItem::mapToWafer(QPointF p) const
{
    const double k = fitPixelsPerMm() * m_zoom;
    return {(p.x() - width() / 2.0 - m_panX) / k, -(p.y() - height() / 2.0 - m_panY) / k};
}

void WaferMapItem::geometryChange(const QRectF &newGeometry, const QRectF &oldGeometry)
{
    QQuickItem::geometryChange(newGeometry, oldGeometry);
    if (newGeometry.size() != oldGeometry.size()) {
        update(); // the fit scale changed: the matrix, maybe the step
    }
}

QSGNode *WaferMapItem::updatePaintNode(QSGNode *oldNode, UpdatePaintNodeData * /*data*/)
{
    auto *root = static_cast<MapNode *>(oldNode);
    const WaferMapModel *model = m_model.data();
    if (!model || !model->grid() || width() <= 0.0 || height() <= 0.0) {
        delete root;
        return nullptr;
    }
    if (!root) {
        root = new MapNode;
    }
    const core::DieGrid &grid = *model->grid();
    const auto dots = model->dots();

    // A new wafer (or model), or a model that lost dots without saying so: start over.
    if (root->generation != m_state->generation || dots.size() < root->uploadedDots) {
        root->reset();
        root->generation = m_state->generation;
        m_state->dieColoursDirty = true;
    }
    const double pixelsPerMm = fitPixelsPerMm() * m_zoom;
    if (window()->rendererInterface()->graphicsApi() == QSGRendererInterface::Software) {
        QTransform view;
        view.translate(width() / 2.0 + m_panX, height() / 2.0 + m_panY);
        view.scale(pixelsPerMm, -pixelsPerMm);
        paintSoftware(*root, *window(), *model, view, size(), m_state->dieColoursDirty);
        m_state->dieColoursDirty = false;
        return root;
    }
    if (!root->wafer) {
        root->wafer = newColouredNode(0, 0, QSGGeometry::UnsignedShortType);
        root->appendChildNode(root->wafer);
        const int dieVertices = static_cast<int>(grid.dieCount()) * 4;
        root->dies = newColouredNode(0, 0,
                                     dieVertices > 0xFFFF ? QSGGeometry::UnsignedIntType
                                                          : QSGGeometry::UnsignedShortType);
        root->appendChildNode(root->dies);
    }

    const double step = stepFor(pixelsPerMm);
    const double half = kDotHalfPx / step;
    if (root->step != step) {
        root->step = step;
        buildWafer(*root->wafer, grid.geometry(), step);
        buildDies(*root->dies, grid, step);
        m_state->dieColoursDirty = true;
        for (std::size_t c = 0; c < root->chunks.size(); ++c) {
            const std::size_t first = c * kChunkDots;
            const std::size_t last = std::min(first + kChunkDots, root->uploadedDots);
            QSGGeometry &geometry = *root->chunks[c]->geometry();
            for (std::size_t i = first; i < last; ++i) {
                writeDot(geometry, static_cast<int>(i - first), dots[i], half);
            }
            root->chunks[c]->markDirty(QSGNode::DirtyGeometry);
        }
    }
    if (m_state->dieColoursDirty) {
        colourDies(*root->dies, *model);
        m_state->dieColoursDirty = false;
    }

    // New dots: the tail of the last chunk, then new chunks. Nothing else is touched.
    if (dots.size() > root->uploadedDots) {
        std::size_t i = root->uploadedDots;
        while (i < dots.size()) {
            const std::size_t chunk = i / kChunkDots;
            if (chunk == root->chunks.size()) {
                root->chunks.push_back(newChunk());
                root->appendChildNode(root->chunks.back());
            }
            QSGGeometryNode *node = root->chunks[chunk];
            const std::size_t end = std::min(dots.size(), (chunk + 1) * kChunkDots);
            for (; i < end; ++i) {
                writeDot(*node->geometry(), static_cast<int>(i - chunk * kChunkDots), dots[i], half);
            }
            node->markDirty(QSGNode::DirtyGeometry);
        }
        root->uploadedDots = dots.size();
    }

    QMatrix4x4 matrix;
    matrix.translate(static_cast<float>(width() / 2.0 + m_panX), static_cast<float>(height() / 2.0 + m_panY));
    matrix.scale(static_cast<float>(pixelsPerMm), static_cast<float>(-pixelsPerMm));
    if (root->matrix() != matrix) {
        root->setMatrix(matrix); // marks DirtyMatrix
    }
    return root;
}

void WaferMapItem::mousePressEvent(QMouseEvent *event)
{
    m_state->pressed = true;
    m_state->dragging = false;
    m_state->pressPos = event->position();
    m_state->lastPos = event->position();
    event->accept();
}

void WaferMapItem::mouseMoveEvent(QMouseEvent *event)
{
    if (!m_state->pressed) {
        event->ignore();
        return;
    }
    const QPointF pos = event->position();
    if (!m_state->dragging &&
        (pos - m_state->pressPos).manhattanLength() >= QGuiApplication::styleHints()->startDragDistance()) {
        m_state->dragging = true;
        setKeepMouseGrab(true); // a Flickable around the map must not take the drag over
    }
    if (m_state->dragging) {
        const QPointF delta = pos - m_state->lastPos;
        m_state->lastPos = pos;
        setView(m_zoom, m_panX + delta.x(), m_panY + delta.y());
    }
    event->accept();
}

void WaferMapItem::mouseReleaseEvent(QMouseEvent *event)
{
    const bool wasClick = m_state->pressed && !m_state->dragging;
    m_state->pressed = false;
    m_state->dragging = false;
    setKeepMouseGrab(false);
    event->accept();
    if (wasClick) {
        click(event->position());
    }
}

void WaferMapItem::mouseDoubleClickEvent(QMouseEvent *event)
{
    // The release that follows must not count as a click on whatever the reset brings under it.
    m_state->pressed = false;
    m_state->dragging = false;
    resetView();
    event->accept();
}

void WaferMapItem::wheelEvent(QWheelEvent *event)
{
    const int notches = event->angleDelta().y();
    if (notches == 0) {
        event->ignore();
        return;
    }
    const QPointF cursor = event->position();
    const double zoom = std::clamp(m_zoom * std::pow(kZoomPerNotch, notches / 120.0), kMinZoom, kMaxZoom);
    // Keep the wafer point under the cursor where it is: cursor = centre + pan + point·k.
    const double k = fitPixelsPerMm() * zoom;
    const QPointF point = mapToWafer(cursor);
    setView(zoom, cursor.x() - width() / 2.0 - point.x() * k, cursor.y() - height() / 2.0 + point.y() * k);
    event->accept();
}

void WaferMapItem::click(QPointF p)
{
    const WaferMapModel *model = m_model.data();
    if (!model || !model->grid()) {
        return;
    }
    const QPointF wafer = mapToWafer(p);
    const double radius = kHitRadiusPx / (fitPixelsPerMm() * m_zoom);
    const WaferMapModel::Dot *nearest = nullptr;
    double best = radius * radius;
    for (const WaferMapModel::Dot &dot : model->dots()) {
        const double dx = dot.xMm - wafer.x();
        const double dy = dot.yMm - wafer.y();
        const double d2 = dx * dx + dy * dy;
        if (d2 <= best) { // on a tie the later dot wins: it is drawn on top
            best = d2;
            nearest = &dot;
        }
    }
    if (nearest) {
        const std::string_view name = core::toText(nearest->defectClass);
        Q_EMIT defectClicked(nearest->id, QString::fromLatin1(name.data(), static_cast<qsizetype>(name.size())),
                             nearest->die.column, nearest->die.row);
        return;
    }
    if (const auto die = model->grid()->dieAt({wafer.x(), wafer.y()})) {
        Q_EMIT dieClicked(die->column, die->row, model->defectsOn(*die));
    }
}

} // namespace waferscope::viewmodels
