#include "tiff_pages.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <tiffio.h>
#include <unistd.h>

#include <waferscope/core/results/klarf_write_error.h>

namespace waferscope::core::detail {

TiffPages::TiffPages(std::filesystem::path target, int pageCount)
    : m_target(std::move(target))
    , m_pageCount(pageCount)
{
    std::string pattern = m_target.string() + ".XXXXXX";
    m_fd = ::mkostemp(pattern.data(), O_CLOEXEC);
    if (m_fd < 0) {
        throw KlarfWriteError(m_target, std::strerror(errno));
    }
    m_temporary = pattern;
    static_cast<void>(::fchmod(m_fd, 0644));
    // libtiff writes through the descriptor; TIFFClose() closes it, so it is ours again only if
    // TIFFFdOpen fails.
    m_tiff = TIFFFdOpen(m_fd, m_temporary.c_str(), "w");
    if (m_tiff == nullptr) {
        fail("libtiff cannot open the file", errno);
    }
}

TiffPages::~TiffPages()
{
    if (m_tiff != nullptr) {
        TIFFClose(m_tiff);
    } else if (m_fd >= 0) {
        ::close(m_fd);
    }
    if (!m_temporary.empty()) {
        ::unlink(m_temporary.c_str());
    }
}

void TiffPages::fail(const std::string &what, int error)
{
    std::string problem = what;
    if (error != 0) {
        problem += std::string(": ") + std::strerror(error);
    }
    throw KlarfWriteError(m_target, problem);
}

void TiffPages::addPage(int width, int height, std::span<const std::uint8_t> pixels, const std::string &description)
{
    const auto page = static_cast<std::uint16_t>(m_pages);
    errno = 0;
    const bool tagsSet =
        TIFFSetField(m_tiff, TIFFTAG_SUBFILETYPE, FILETYPE_PAGE) == 1 &&
        TIFFSetField(m_tiff, TIFFTAG_IMAGEWIDTH, static_cast<std::uint32_t>(width)) == 1 &&
        TIFFSetField(m_tiff, TIFFTAG_IMAGELENGTH, static_cast<std::uint32_t>(height)) == 1 &&
        TIFFSetField(m_tiff, TIFFTAG_BITSPERSAMPLE, 8) == 1 && TIFFSetField(m_tiff, TIFFTAG_SAMPLESPERPIXEL, 1) == 1 &&
        TIFFSetField(m_tiff, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISBLACK) == 1 &&
        TIFFSetField(m_tiff, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG) == 1 &&
        TIFFSetField(m_tiff, TIFFTAG_COMPRESSION, COMPRESSION_NONE) == 1 &&
        TIFFSetField(m_tiff, TIFFTAG_ROWSPERSTRIP, static_cast<std::uint32_t>(height)) == 1 &&
        TIFFSetField(m_tiff, TIFFTAG_PAGENUMBER, page, static_cast<std::uint16_t>(m_pageCount)) == 1 &&
        TIFFSetField(m_tiff, TIFFTAG_IMAGEDESCRIPTION, description.c_str()) == 1;
    if (!tagsSet) {
        fail("cannot describe page " + std::to_string(m_pages + 1), errno);
    }
    const auto rowBytes = static_cast<std::size_t>(width);
    std::vector<std::uint8_t> row(rowBytes); // TIFFWriteScanline takes a non-const buffer
    for (int y = 0; y < height; ++y) {
        std::memcpy(row.data(), pixels.data() + static_cast<std::size_t>(y) * rowBytes, rowBytes);
        errno = 0;
        if (TIFFWriteScanline(m_tiff, row.data(), static_cast<std::uint32_t>(y), 0) < 0) {
            fail("cannot write page " + std::to_string(m_pages + 1), errno);
        }
    }
    errno = 0;
    if (TIFFWriteDirectory(m_tiff) != 1) {
        fail("cannot write page " + std::to_string(m_pages + 1), errno);
    }
    ++m_pages;
}

void TiffPages::finish()
{
    errno = 0;
    if (TIFFFlush(m_tiff) != 1) {
        fail("cannot write the file", errno);
    }
    if (::fsync(m_fd) != 0) {
        fail("cannot flush the file to disk", errno);
    }
    TIFFClose(m_tiff); // closes m_fd
    m_tiff = nullptr;
    m_fd = -1;
}

void TiffPages::rename()
{
    if (::rename(m_temporary.c_str(), m_target.c_str()) != 0) {
        fail("cannot rename " + m_temporary.string() + " over it", errno);
    }
    m_temporary.clear();
}

} // namespace waferscope::core::detail
