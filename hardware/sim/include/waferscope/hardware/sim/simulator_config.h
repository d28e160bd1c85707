#pragma once

/// SimulatorConfig: everything that makes one simulated machine — the seed, the wafers' geometry,
/// the images, the defects, the timing, the devices and the fault timeline. The same configuration
/// gives the same wafers, byte for byte.
/// Validation: validate() throws core::ValidationError naming every wrong field ("image.width",
/// "wafer.pitch_x_mm", "faults[1]") and what is wrong with it.
/// Threads: a value. Allocates: the fault list.

#include <chrono>
#include <cstdint>
#include <vector>

#include <waferscope/core/wafer_geometry.h>
#include <waferscope/hardware/image_format.h>
#include <waferscope/hardware/sim/fault_spec.h>
#include <waferscope/runtime/executor.h>

namespace waferscope::hardware::sim {

struct SimulatorConfig {
    /// Realtime: frames come at the frame rate and stage moves take their time, on the current
    /// executor's clock. Unpaced: every frame as soon as the pipeline asks for it, moves take no time.
    enum class Pacing : std::uint8_t { Realtime, Unpaced };

    struct Image {
        int width = 1024;             ///< pixels, 16…4096
        int height = 1024;            ///< pixels, 16…4096
        double pixelSizeUm = 12.0;    ///< on the wafer; 1024 px × 12 µm sees a whole 10 × 12 mm die
        double noiseSigma = 2.5;      ///< sensor noise, standard deviation in grey levels
        double maxMisregistrationPx = 0.5; ///< each die lands up to ± this far off, on each axis
        double illuminationDrift = 0.04;   ///< brightness varies across the wafer by up to ± this share
    };

    /// How often each class is drawn, relative to the others.
    struct DefectMix {
        double particleBright = 0.3;
        double particleDark = 0.3;
        double scratch = 0.05;
        double missingFeature = 0.12;
        double extraFeature = 0.12;
        double bridge = 0.11;
    };

    struct Defects {
        double densityPerCm2 = 0.05; ///< over the area of the dies
        DefectMix mix;
        int minParticlePx = 2;  ///< particle diameters, in pixels
        int maxParticlePx = 40;
        double minScratchMm = 2.0;
        double maxScratchMm = 25.0;
    };

    struct Timing {
        Pacing pacing = Pacing::Realtime;
        double framesPerSecond = 50.0;
        std::chrono::microseconds exposure{200};
        double stageSpeedMmPerS = 1000.0;
        runtime::Clock::duration settleTime = std::chrono::milliseconds(2);
        runtime::Clock::duration heartbeatPeriod = std::chrono::milliseconds(100);
        runtime::Clock::duration stageSamplePeriod = std::chrono::milliseconds(1);
        runtime::Clock::duration sensorSamplePeriod = std::chrono::milliseconds(10);
    };

    struct Devices {
        double vacuumKpa = 80.0;         ///< hold-down pressure with the vacuum on
        double clampThresholdKpa = 60.0; ///< the wafer counts as clamped at or above this
        double illuminationPercent = 80.0; ///< set-point at power-on; frames are exposed for it
        double lampHours = 1200.0;       ///< hours on the lamp at power-on
    };

    std::uint64_t seed = 1;
    core::WaferGeometry wafer;
    Image image;
    Defects defects;
    Timing timing;
    Devices devices;
    std::vector<FaultSpec> faults;

    [[nodiscard]] ImageFormat imageFormat() const noexcept { return {image.width, image.height, image.pixelSizeUm}; }
    [[nodiscard]] runtime::Clock::duration framePeriod() const noexcept
    {
        return std::chrono::duration_cast<runtime::Clock::duration>(
            std::chrono::duration<double>(1.0 / timing.framesPerSecond));
    }

    /// Throws core::ValidationError (subject "simulator configuration") listing every wrong field.
    void validate() const;
};

} // namespace waferscope::hardware::sim
