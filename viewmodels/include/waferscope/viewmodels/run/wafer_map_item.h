#pragma once

/// WaferMapItem (QML: WaferMap): draws a WaferMapModel with scene-graph nodes — the wafer outline
/// with its notch, every die coloured by its defect count, and each defect as a dot coloured by its
/// class — so 100 000 defects stay smooth: a new batch adds geometry for the new dots only.
/// Colours: defect_class_palette.h (colorOf, dieHeatColor). Dots keep their size on screen (about
/// 4 px) at every zoom; outside the wafer the item draws nothing.
/// Zoom and pan: `zoom` (1 = the whole wafer fits the item, clamped to 1 … 200) and `panX`/`panY`
/// (item pixels); wheel zooms about the cursor, dragging pans, double click resets. Clicking (a
/// press and release without a drag) reports the nearest defect within 6 px (defectClicked) or
/// else the die under the cursor (dieClicked); off every die, nothing.
/// Model: not owned; a destroyed model leaves an empty map (modelChanged is emitted).
/// Backends: with the software backend, which draws no geometry nodes, the map is painted into
/// two image layers instead (wafer and dies; dots, painted incrementally).
/// Threads: the GUI thread; updatePaintNode() on the render thread with the GUI thread blocked, as
/// Qt Quick requires. Allocates: per batch nothing on the render side but a new chunk of 8192
/// dots' geometry when the last one is full.

#include <QPointF>
#include <QPointer>
#include <QQuickItem>
#include <QtQml/qqmlregistration.h>

#include <memory>

#include <waferscope/viewmodels/run/wafer_map_model.h>

namespace waferscope::viewmodels {

class WaferMapItem : public QQuickItem
{
    Q_OBJECT
    QML_NAMED_ELEMENT(WaferMap)
    Q_PROPERTY(waferscope::viewmodels::WaferMapModel *model READ model WRITE setModel NOTIFY modelChanged)
    Q_PROPERTY(double zoom READ zoom WRITE setZoom NOTIFY viewChanged)
    Q_PROPERTY(double panX READ panX WRITE setPanX NOTIFY viewChanged)
    Q_PROPERTY(double panY READ panY WRITE setPanY NOTIFY viewChanged)

public:
    explicit WaferMapItem(QQuickItem *parent = nullptr);
    ~WaferMapItem() override;

    [[nodiscard]] WaferMapModel *model() const noexcept { return m_model; }
    void setModel(WaferMapModel *model);
    [[nodiscard]] double zoom() const noexcept { return m_zoom; }
    void setZoom(double zoom);
    [[nodiscard]] double panX() const noexcept { return m_panX; }
    void setPanX(double panX);
    [[nodiscard]] double panY() const noexcept { return m_panY; }
    void setPanY(double panY);

    /// Back to the whole wafer.
    Q_INVOKABLE void resetView();
    /// Item coordinates of a point in wafer mm, for tests and overlays.
    Q_INVOKABLE QPointF mapFromWafer(double xMm, double yMm) const;

Q_SIGNALS:
    void modelChanged();
    void viewChanged();
    void dieClicked(int column, int row, int defects);
    void defectClicked(qulonglong id, QString defectClass, int column, int row);

protected:
    QSGNode *updatePaintNode(QSGNode *oldNode, UpdatePaintNodeData *data) override;
    void geometryChange(const QRectF &newGeometry, const QRectF &oldGeometry) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;

private:
    /// The wafer point under item point `p`; precondition: a model with a grid.
    [[nodiscard]] QPointF mapToWafer(QPointF p) const;
    /// Item pixels per wafer mm at zoom 1 (the whole wafer fits, with a small margin).
    [[nodiscard]] double fitPixelsPerMm() const noexcept;
    void click(QPointF p);
    void setView(double zoom, double panX, double panY);

    QPointer<WaferMapModel> m_model; // a destroyed model reads as none

    double m_zoom = 1.0;
    double m_panX = 0.0;
    double m_panY = 0.0;
    // Render bookkeeping, private to the .cpp (see its comments).
    struct State;
    std::unique_ptr<State> m_state;
};

} // namespace waferscope::viewmodels
