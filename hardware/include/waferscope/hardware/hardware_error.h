#pragma once

/// HardwareError: a device refused a command or cannot do what was asked — acquire() before
/// start(), a move while a scan owns the stage, frames too small for the camera's images. Its
/// what() begins with the device's name.
/// Faults of a running machine (a vacuum drop, a camera that disconnects) are not errors: they show
/// in the device's state.
/// Threads: a value. Allocates: its text.

#include <stdexcept>
#include <string>

namespace waferscope::hardware {

class HardwareError : public std::runtime_error
{
public:
    HardwareError(std::string device, const std::string &problem);

    [[nodiscard]] const std::string &device() const noexcept { return m_device; }

private:
    std::string m_device;
};

} // namespace waferscope::hardware
