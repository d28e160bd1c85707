#pragma once

// A FrameAnalyzer for the engine's tests: it finds one defect in every die whose column plus row is
// a multiple of `every`, defers the first `deferred` frames of each wafer the way a detector learning
// its reference does, and records which run and wafer each frame came from in a FrameLog that
// outlives it (the engine destroys a run's analyzer when the run ends).

#include <deque>
#include <mutex>
#include <vector>

#include <waferscope/pipelines/engine/frame_analyzer.h>

namespace waferscope::testing {

/// The metadata of every frame a ScriptedAnalyzer saw, in order. Threads: any.
class FrameLog
{
public:
    void add(const hardware::FrameMetadata &metadata)
    {
        const std::lock_guard lock(m_mutex);
        m_frames.push_back(metadata);
    }
    std::vector<hardware::FrameMetadata> frames() const
    {
        const std::lock_guard lock(m_mutex);
        return m_frames;
    }

private:
    mutable std::mutex m_mutex;
    std::vector<hardware::FrameMetadata> m_frames;
};

class ScriptedAnalyzer final : public pipelines::FrameAnalyzer
{
public:
    explicit ScriptedAnalyzer(FrameLog &log, int every = 3, std::size_t deferred = 2)
        : m_log(log)
        , m_every(every)
        , m_deferred(deferred)
    {
    }

    void beginWafer(const core::WaferId &) override { m_heldThisWafer = 0; }

    void inspect(std::span<const std::byte> pixels, const hardware::FrameMetadata &metadata, ReportSink &sink) override
    {
        m_log.add(metadata);
        m_width = metadata.format.width;
        m_height = metadata.format.height;
        if (m_heldThisWafer < m_deferred) { // held back, as a detector learning its reference does
            ++m_heldThisWafer;
            m_held.push_back({metadata, std::vector<std::byte>(pixels.begin(), pixels.end())});
            return;
        }
        flush(sink);
        report(metadata, pixels, sink);
    }

    void finishWafer(ReportSink &sink) override { flush(sink); }
    [[nodiscard]] std::size_t deferredFrames() const noexcept override { return m_held.size(); }

private:
    struct Held {
        hardware::FrameMetadata metadata;
        std::vector<std::byte> pixels;
    };

    void flush(ReportSink &sink)
    {
        while (!m_held.empty()) {
            Held held = std::move(m_held.front());
            m_held.pop_front();
            report(held.metadata, held.pixels, sink);
        }
    }

    void report(const hardware::FrameMetadata &metadata, std::span<const std::byte> pixels, ReportSink &sink)
    {
        m_found.clear();
        if ((metadata.die.column + metadata.die.row) % m_every == 0) {
            pipelines::FoundDefect defect;
            defect.die = metadata.die;
            defect.frameSequence = metadata.sequence;
            defect.box = {m_width / 2, m_height / 2, 4, 4};
            defect.xRelUm = 500.0;
            defect.yRelUm = 600.0;
            defect.xSizeUm = 40.0;
            defect.ySizeUm = 40.0;
            defect.areaUm2 = 1200.0;
            defect.defectClass = core::DefectClass::ParticleBright;
            m_found.push_back(defect);
        }
        FrameReport r;
        r.metadata = &metadata;
        r.defects = m_found;
        r.pixels = pixels;
        r.width = m_width;
        r.height = m_height;
        sink.frameInspected(r);
    }

    FrameLog &m_log;
    int m_every;
    std::size_t m_deferred;
    std::size_t m_heldThisWafer = 0;
    int m_width = 0;
    int m_height = 0;
    std::deque<Held> m_held;
    std::vector<pipelines::FoundDefect> m_found;
};

} // namespace waferscope::testing
