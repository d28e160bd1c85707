#include <waferscope/hardware/aravis/aravis_camera_config.h>

#include <waferscope/hardware/hardware_error.h>

namespace waferscope::hardware::aravis {

std::string AravisCameraConfig::name() const
{
    return (link == Link::GigE ? "gige:" : "fake:") + address;
}

void AravisCameraConfig::validate() const
{
    std::string problems;
    auto check = [&problems](bool isRight, const std::string &problem) {
        if (!isRight) {
            problems += (problems.empty() ? "" : "; ") + problem;
        }
    };
    check(!address.empty(), link == Link::GigE ? "address: empty; give the camera's IPv4 address"
                                               : "address: empty; give the fake camera's serial");
    check(format.width >= 16 && format.width <= 16384, "width: " + std::to_string(format.width) + " is not in 16…16384");
    check(format.height >= 16 && format.height <= 16384,
          "height: " + std::to_string(format.height) + " is not in 16…16384");
    check(exposure.count() > 0, "exposure: " + std::to_string(exposure.count()) + " µs is not more than 0");
    check(framesPerSecond > 0.0 && framesPerSecond <= 10000.0,
          "framesPerSecond: " + std::to_string(framesPerSecond) + " is not in (0, 10000]");
    check(packetSizeBytes >= 576 && packetSizeBytes <= 65000,
          "packetSizeBytes: " + std::to_string(packetSizeBytes) + " is not in 576…65000");
    check(streamBuffers >= 1 && streamBuffers <= 64,
          "streamBuffers: " + std::to_string(streamBuffers) + " is not in 1…64");
    check(maxBadFrameRatio > 0.0 && maxBadFrameRatio <= 1.0,
          "maxBadFrameRatio: " + std::to_string(maxBadFrameRatio) + " is not in (0, 1]");
    check(badFrameWindow >= 1 && badFrameWindow <= 64,
          "badFrameWindow: " + std::to_string(badFrameWindow) + " is not in 1…64");
    if (!problems.empty()) {
        throw HardwareError("camera " + name(), problems);
    }
}

} // namespace waferscope::hardware::aravis
