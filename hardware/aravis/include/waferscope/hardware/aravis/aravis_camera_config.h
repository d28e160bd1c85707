#pragma once

/// AravisCameraConfig: how a GigE Vision camera is opened and set up — its IPv4 address (never a
/// name: nothing is looked up and nothing is discovered), the image, the exposure, the free-running
/// frame rate, the GVSP packet size, how many pool buffers wait in the stream, and when packet loss
/// counts as a lost link. Every feature listed here is written at open, whatever the camera kept
/// from an earlier connection.
/// Link: GigE opens `address` over the network (loopback in tests); InProcessFake opens Aravis'
/// in-process fake device (no network at all), for tests.
/// Validation: validate() throws HardwareError naming the camera and every wrong field.
/// Threads: a value. Allocates: its strings.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include <waferscope/hardware/image_format.h>

namespace waferscope::hardware::aravis {

struct AravisCameraConfig {
    enum class Link : std::uint8_t { GigE, InProcessFake };

    Link link = Link::GigE;
    std::string address;          ///< dotted IPv4 address of the camera (GigE), or the fake's serial
    ImageFormat format;           ///< width × height, and the pixel size on the wafer
    std::string pixelFormat = "Mono8"; ///< the only format the pipeline reads
    std::chrono::microseconds exposure{2000};
    double framesPerSecond = 50.0; ///< free-running frame rate
    int packetSizeBytes = 1500;    ///< GVSP packet size (GevSCPSPacketSize), GigE only
    std::size_t streamBuffers = 8; ///< pool buffers queued in the stream, 1…64
    double maxBadFrameRatio = 0.5; ///< above this share of bad frames in the window, the link counts as lost
    std::size_t badFrameWindow = 16; ///< frames the ratio is taken over, 1…64

    /// "gige:ADDRESS" or "fake:SERIAL": how errors and logs name the camera.
    [[nodiscard]] std::string name() const;
    /// Throws HardwareError (device name()) listing every field out of range.
    void validate() const;
};

} // namespace waferscope::hardware::aravis
