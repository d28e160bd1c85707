#pragma once

// Private to core: a multi-page TIFF of 8-bit grey images, written under a temporary name beside
// its target and renamed over it only when every page is on disk.

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>

struct tiff;

namespace waferscope::core::detail {

/// TiffPages: "<target>.XXXXXX" is created by the constructor; addPage() appends one page;
/// finish() flushes, syncs and closes it; rename() moves it over the target. Until rename(), the
/// destructor removes the temporary file. Every failure throws KlarfWriteError naming the target.
/// Threads: one owner. Allocates: libtiff's buffers.
class TiffPages
{
public:
    /// `pageCount` pages will be added (each page's PageNumber tag says "k of pageCount").
    TiffPages(std::filesystem::path target, int pageCount);
    ~TiffPages();
    TiffPages(const TiffPages &) = delete;
    TiffPages &operator=(const TiffPages &) = delete;

    /// Appends a page of `width` × `height` grey pixels, rows packed; `description` goes into its
    /// ImageDescription tag.
    void addPage(int width, int height, std::span<const std::uint8_t> pixels, const std::string &description);
    /// Precondition: pages were added. Makes the temporary file complete and durable.
    void finish();
    /// Precondition: finish() succeeded. Renames the temporary file over the target.
    void rename();

    [[nodiscard]] const std::filesystem::path &target() const noexcept { return m_target; }

private:
    [[noreturn]] void fail(const std::string &what, int error);

    std::filesystem::path m_target;
    std::filesystem::path m_temporary;
    tiff *m_tiff = nullptr;
    int m_fd = -1;
    int m_pages = 0;
    int m_pageCount = 0;
};

} // namespace waferscope::core::detail
