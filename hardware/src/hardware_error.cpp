#include <waferscope/hardware/hardware_error.h>

namespace waferscope::hardware {

HardwareError::HardwareError(std::string device, const std::string &problem)
    : std::runtime_error(device + ": " + problem)
    , m_device(std::move(device))
{
}

} // namespace waferscope::hardware
