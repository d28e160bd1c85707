#include <waferscope/hardware/sim/simulator_config.h>

#include <cmath>
#include <string>

#include <waferscope/core/validation_error.h>
#include <waferscope/hardware/sim/fault_spec_error.h>

namespace waferscope::hardware::sim {

namespace {

using Issues = std::vector<core::ValidationError::Issue>;

std::string number(double value)
{
    std::string text = std::to_string(value);
    while (!text.empty() && text.back() == '0') {
        text.pop_back();
    }
    if (!text.empty() && text.back() == '.') {
        text.pop_back();
    }
    return text;
}

void requireRange(Issues &issues, const char *field, double value, double low, double high, const char *unit)
{
    if (!std::isfinite(value) || value < low || value > high) {
        issues.push_back({field, number(value) + " is outside " + number(low) + "…" + number(high) + unit});
    }
}

void requirePositive(Issues &issues, const char *field, double value, const char *unit)
{
    if (!std::isfinite(value) || value <= 0.0) {
        issues.push_back({field, number(value) + unit + " must be more than zero"});
    }
}

} // namespace

void SimulatorConfig::validate() const
{
    Issues issues;
    try {
        wafer.validate();
    } catch (const core::ValidationError &e) {
        for (const auto &issue : e.issues()) {
            issues.push_back({"wafer." + issue.field, issue.problem});
        }
    }

    requireRange(issues, "image.width", image.width, 16, 4096, " pixels");
    requireRange(issues, "image.height", image.height, 16, 4096, " pixels");
    requireRange(issues, "image.pixel_size_um", image.pixelSizeUm, 0.1, 1000.0, " µm");
    requireRange(issues, "image.noise_sigma", image.noiseSigma, 0.0, 40.0, " grey levels");
    requireRange(issues, "image.max_misregistration_px", image.maxMisregistrationPx, 0.0, 8.0, " pixels");
    requireRange(issues, "image.illumination_drift", image.illuminationDrift, 0.0, 0.5, "");

    requireRange(issues, "defects.density_per_cm2", defects.densityPerCm2, 0.0, 100.0, " defects/cm²");
    const DefectMix &m = defects.mix;
    const double weights[] = {m.particleBright, m.particleDark, m.scratch, m.missingFeature, m.extraFeature, m.bridge};
    double total = 0.0;
    bool negative = false;
    for (const double w : weights) {
        negative = negative || !std::isfinite(w) || w < 0.0;
        total += w;
    }
    if (negative) {
        issues.push_back({"defects.mix", "every weight must be zero or more"});
    } else if (total <= 0.0 && defects.densityPerCm2 > 0.0) {
        issues.push_back({"defects.mix", "all weights are zero, so no defect class can be drawn"});
    }
    requireRange(issues, "defects.min_particle_px", defects.minParticlePx, 2, 40, " pixels");
    requireRange(issues, "defects.max_particle_px", defects.maxParticlePx, 2, 40, " pixels");
    if (defects.minParticlePx > defects.maxParticlePx) {
        issues.push_back({"defects.max_particle_px", "is smaller than defects.min_particle_px"});
    }
    requirePositive(issues, "defects.min_scratch_mm", defects.minScratchMm, " mm");
    if (!(defects.maxScratchMm >= defects.minScratchMm)) {
        issues.push_back({"defects.max_scratch_mm", "is smaller than defects.min_scratch_mm"});
    }

    requireRange(issues, "timing.frames_per_second", timing.framesPerSecond, 0.1, 10000.0, " fps");
    if (timing.exposure.count() <= 0) {
        issues.push_back({"timing.exposure", "must be longer than zero"});
    } else if (std::isfinite(timing.framesPerSecond) && timing.framesPerSecond > 0.0 &&
               std::chrono::duration<double>(timing.exposure).count() > 1.0 / timing.framesPerSecond) {
        issues.push_back({"timing.exposure", "is longer than a frame period at timing.frames_per_second"});
    }
    requirePositive(issues, "timing.stage_speed_mm_per_s", timing.stageSpeedMmPerS, " mm/s");
    if (timing.settleTime.count() < 0) {
        issues.push_back({"timing.settle_time", "must not be negative"});
    }
    if (timing.heartbeatPeriod.count() <= 0) {
        issues.push_back({"timing.heartbeat_period", "must be longer than zero"});
    }
    if (timing.stageSamplePeriod.count() <= 0) {
        issues.push_back({"timing.stage_sample_period", "must be longer than zero"});
    }
    if (timing.sensorSamplePeriod.count() <= 0) {
        issues.push_back({"timing.sensor_sample_period", "must be longer than zero"});
    }

    requireRange(issues, "devices.vacuum_kpa", devices.vacuumKpa, 0.0, 101.3, " kPa");
    requireRange(issues, "devices.clamp_threshold_kpa", devices.clampThresholdKpa, 0.0, 101.3, " kPa");
    if (devices.clampThresholdKpa > devices.vacuumKpa) {
        issues.push_back({"devices.clamp_threshold_kpa", "is above devices.vacuum_kpa, so no wafer would ever clamp"});
    }
    requireRange(issues, "devices.illumination_percent", devices.illuminationPercent, 1.0, 100.0, " %");
    requireRange(issues, "devices.lamp_hours", devices.lampHours, 0.0, 1e6, " h");

    for (std::size_t i = 0; i < faults.size(); ++i) {
        // A fault is valid exactly when its text form parses: one set of rules for both ways in.
        try {
            static_cast<void>(FaultSpec::parse(faults[i].toString()));
        } catch (const FaultSpecError &e) {
            issues.push_back({"faults[" + std::to_string(i) + "]", e.key() + ": " + e.problem()});
        }
    }

    if (!issues.empty()) {
        throw core::ValidationError("simulator configuration", std::move(issues));
    }
}

} // namespace waferscope::hardware::sim
