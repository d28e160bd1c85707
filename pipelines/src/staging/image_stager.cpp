#include <waferscope/pipelines/staging/image_stager.h>

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <unistd.h>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

namespace waferscope::pipelines {

namespace {

constexpr std::string_view kTemporaryPrefix = ".tmp-";

/// Writes `bytes` to `path` durably: temporary file, fsync, rename, fsync of the folder.
/// Returns an empty string on success, else what failed.
std::string writeDurably(const std::filesystem::path &path, const std::vector<unsigned char> &bytes)
{
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    if (ec) {
        return "cannot create " + path.parent_path().string() + ": " + ec.message();
    }
    const std::filesystem::path temporary = path.parent_path() / (std::string(kTemporaryPrefix) + path.filename().string());
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        return "cannot create " + temporary.string() + ": " + std::strerror(errno);
    }
    std::size_t written = 0;
    while (written < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            const std::string error = "cannot write " + temporary.string() + ": " + std::strerror(errno);
            ::close(fd);
            ::unlink(temporary.c_str());
            return error;
        }
        written += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0) {
        const std::string error = "cannot flush " + temporary.string() + ": " + std::strerror(errno);
        ::close(fd);
        ::unlink(temporary.c_str());
        return error;
    }
    ::close(fd);
    if (::rename(temporary.c_str(), path.c_str()) != 0) {
        const std::string error = "cannot rename " + temporary.string() + ": " + std::strerror(errno);
        ::unlink(temporary.c_str());
        return error;
    }
    // The rename itself is durable once the folder is flushed.
    const int dir = ::open(path.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir >= 0) {
        ::fsync(dir);
        ::close(dir);
    }
    return {};
}

} // namespace

ImageStager::ImageStager(RunLedger &ledger, runtime::StatsRegistry *stats)
    : m_ledger(ledger)
{
    m_registration = runtime::registerStats(stats, "stage", "staging", *this);
}

void ImageStager::collect(runtime::MetricSink &sink) const
{
    sink.add("crops", m_writeTime.count());
    sink.add("latency_p50_us", m_writeTime.percentileUs(0.50));
    sink.add("latency_p99_us", m_writeTime.percentileUs(0.99));
}

runtime::Job ImageStager::run(runtime::Channel<DefectCrop> &crops, std::function<void()> finished)
{
    for (;;) {
        try {
            const DefectCrop crop = co_await crops.read();
            write(crop);
        } catch (const runtime::ChannelClosed &) {
            break;
        }
    }
    if (finished) {
        finished();
    }
}

bool ImageStager::write(const DefectCrop &crop)
{
    const runtime::TimePoint started = runtime::Clock::now();
    std::string error;
    try {
        // cv::Mat over the lease's bytes: no copy. The encoder's buffer is reused between crops.
        const cv::Mat image(crop.height, crop.width, CV_8UC1, crop.pixels.bytes().data());
        if (!cv::imencode(".png", image, m_encoded)) {
            error = "cannot encode the crop of defect " + std::to_string(crop.defectId) + " as PNG";
        }
    } catch (const cv::Exception &e) {
        error = "cannot encode the crop of defect " + std::to_string(crop.defectId) + ": " + e.what();
    }
    if (error.empty()) {
        error = writeDurably(crop.path, m_encoded);
    }
    if (!error.empty()) {
        m_ledger.cropDropped(CropDropReason::WriteFailed);
        const std::lock_guard lock(m_errorMutex);
        m_lastError = std::move(error);
        return false;
    }
    m_ledger.cropStaged();
    m_writeTime.record(runtime::Clock::now() - started);
    return true;
}

std::size_t ImageStager::removeStrayTemporaries(const std::filesystem::path &folder)
{
    std::size_t removed = 0;
    std::error_code ec;
    if (!std::filesystem::exists(folder, ec)) {
        return 0;
    }
    for (auto it = std::filesystem::recursive_directory_iterator(folder, ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
        if (it->is_regular_file(ec) && it->path().filename().string().starts_with(kTemporaryPrefix)) {
            std::filesystem::remove(it->path(), ec);
            ++removed;
        }
    }
    return removed;
}

std::string ImageStager::lastError() const
{
    const std::lock_guard lock(m_errorMutex);
    return m_lastError;
}

} // namespace waferscope::pipelines
