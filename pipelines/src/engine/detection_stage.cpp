#include <waferscope/pipelines/engine/detection_stage.h>

#include <algorithm>
#include <chrono>
#include <cstring>

#include <waferscope/core/child_path.h>

namespace waferscope::pipelines {

DetectionStage::DetectionStage(FrameAnalyzer &analyzer, RunLedger &ledger, DefectIdSource &ids, Outputs outputs,
                               Options options)
    : m_analyzer(analyzer)
    , m_ledger(ledger)
    , m_ids(ids)
    , m_outputs(outputs)
    , m_options(std::move(options))
{
    m_pending.reserve(256);
    m_registration = runtime::registerStats(m_options.stats, "stage", "detection", *this);
}

void DetectionStage::collect(runtime::MetricSink &sink) const
{
    sink.add("frames", m_inspectTime.count());
    sink.add("latency_p50_us", m_frameAge.percentileUs(0.50));
    sink.add("latency_p99_us", m_frameAge.percentileUs(0.99));
    sink.add("inspect_p50_us", m_inspectTime.percentileUs(0.50));
    sink.add("inspect_p99_us", m_inspectTime.percentileUs(0.99));
}

runtime::Job DetectionStage::run(runtime::Channel<hardware::AcquiredFrame> &frames)
{
    for (;;) {
        hardware::AcquiredFrame frame;
        try {
            frame = co_await frames.read();
        } catch (const runtime::ChannelClosed &) {
            break;
        }
        if (frame.hasFrame()) {
            if (!(frame.metadata.waferId == m_currentWafer)) { // the wafer is in the data, never ambient
                m_currentWafer = frame.metadata.waferId;
                m_analyzer.beginWafer(m_currentWafer);
            }
            const runtime::TimePoint started = runtime::Clock::now();
            try {
                m_analyzer.inspect(frame.lease.bytes(), frame.metadata, *this);
            } catch (const std::exception &) {
                m_ledger.frameDropped(FrameDropReason::DetectionFailed);
            }
            const runtime::TimePoint ended = runtime::Clock::now();
            m_inspectTime.record(ended - started);
            // A frame's age: from its exposure (the camera's stamp, on this clock) to now. A stamp
            // from another clock or a simulated future slot is left out rather than counted wrong.
            if (const auto age = ended - frame.metadata.timestamp;
                frame.metadata.timestamp != runtime::TimePoint{} && age >= runtime::Clock::duration::zero() &&
                age < std::chrono::minutes(10)) {
                m_frameAge.record(age);
            }
            frame.lease.reset(); // the crops are out: the frame goes back to the camera's pool
            co_await handOn();
            continue;
        }
        // The end of the wafer or a stop: inspect what the analyzer still holds, then report.
        m_analyzer.finishWafer(*this);
        co_await handOn();
        WaferSegment segment(frame.status == hardware::AcquiredFrame::Status::EndOfScan, m_segmentFrames,
                             std::move(m_segmentDies), std::move(m_segmentDefects));
        m_segmentFrames = 0;
        m_segmentDies.clear();
        m_segmentDefects.clear();
        co_await m_outputs.segments.write(std::move(segment));
    }
    m_outputs.segments.complete();
}

void DetectionStage::frameInspected(const FrameAnalyzer::FrameReport &report)
{
    m_ledger.frameProcessed();
    ++m_segmentFrames;
    const hardware::FrameMetadata &metadata = *report.metadata;
    m_segmentDies.push_back(metadata.die);
    const auto now = std::chrono::system_clock::now();
    for (const FoundDefect &found : report.defects) {
        core::DefectRecord &record = m_pending.emplace_back();
        record.id = m_ids.next();
        record.runId = metadata.runId;
        record.waferId = metadata.waferId;
        record.die = found.die;
        record.box = found.box;
        record.xRelUm = found.xRelUm;
        record.yRelUm = found.yRelUm;
        record.xSizeUm = found.xSizeUm;
        record.ySizeUm = found.ySizeUm;
        record.areaUm2 = found.areaUm2;
        record.defectClass = found.defectClass;
        record.polarity = found.polarity;
        record.frameSequence = found.frameSequence;
        record.detectedAt = now;
        const bool staged = m_options.stageCrops && stageCrop(report, found, record);

        // The KLARF entry is made from the stored record, so the file says what the store holds.
        core::WaferResult::Defect klarf;
        klarf.id = static_cast<int>(m_segmentDefects.size()) + 1;
        klarf.die = record.die;
        klarf.xRelUm = record.xRelUm;
        klarf.yRelUm = record.yRelUm;
        klarf.xSizeUm = record.xSizeUm;
        klarf.ySizeUm = record.ySizeUm;
        klarf.areaUm2 = record.areaUm2;
        const auto classIndex = static_cast<std::size_t>(record.defectClass);
        klarf.classNumber = classIndex < m_options.classNumbers.size() ? m_options.classNumbers[classIndex] : 0;
        if (staged) {
            klarf.images.emplace_back(*record.imagePath);
        }
        m_segmentDefects.push_back(std::move(klarf));
    }
}

bool DetectionStage::stageCrop(const FrameAnalyzer::FrameReport &report, const FoundDefect &defect,
                               core::DefectRecord &record)
{
    const int size = std::min({m_options.cropSize, report.width, report.height});
    std::optional<runtime::FrameLease> lease = m_outputs.cropPool.tryRent();
    if (!lease) {
        m_ledger.cropDropped(CropDropReason::NoBuffer);
        return false;
    }
    // Centre the crop on the defect's box, clamped so it stays inside the frame.
    const int centreX = defect.box.x + defect.box.width / 2;
    const int centreY = defect.box.y + defect.box.height / 2;
    const int left = std::clamp(centreX - size / 2, 0, report.width - size);
    const int top = std::clamp(centreY - size / 2, 0, report.height - size);
    std::byte *out = lease->bytes().data();
    for (int row = 0; row < size; ++row) {
        const std::byte *in = report.pixels.data() + static_cast<std::size_t>(top + row) * report.width + left;
        std::memcpy(out + static_cast<std::size_t>(row) * size, in, static_cast<std::size_t>(size));
    }
    std::filesystem::path path = core::childPath(m_options.stagingFolder, {record.runId.toString(), record.waferId.text(),
                                                                          std::to_string(record.id) + ".png"});
    DefectCrop crop(std::move(*lease), size, size, record.id, path);
    if (!m_outputs.crops.tryWrite(std::move(crop))) {
        m_ledger.cropDropped(CropDropReason::Backlog); // the crop's buffer goes back with it
        return false;
    }
    m_ledger.cropQueued();
    record.imagePath = path.string();
    return true;
}

runtime::ValueTask<void> DetectionStage::handOn()
{
    if (m_pending.empty()) {
        co_return;
    }
    m_ledger.defectsDetected(m_pending.size());
    if (m_outputs.listener != nullptr) {
        m_outputs.listener->defectsFound(m_pending);
    }
    m_ledger.defectsSentToUi(m_pending.size());
    for (core::DefectRecord &record : m_pending) {
        PersistenceCommand command(std::move(record));
        co_await m_outputs.persistence.write(std::move(command));
    }
    m_pending.clear();
}

} // namespace waferscope::pipelines
