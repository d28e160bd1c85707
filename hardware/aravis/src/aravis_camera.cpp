// Aravis first: GLib declares a member named `signals`, which Qt headers would turn into a keyword.
#include <arv.h>

#include <waferscope/hardware/aravis/aravis_camera.h>

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>

#include <atomic>
#include <cmath>
#include <cstring>
#include <exception>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#include <waferscope/hardware/aravis/frame_id_unwrapper.h>
#include <waferscope/hardware/hardware_error.h>
#include <waferscope/hardware/detail/in_flight_scope.h>

namespace waferscope::hardware::aravis {

namespace {

using detail::InFlightScope;
using runtime::ValueTask;
using Status = AcquiredFrame::Status;

/// The message of `error`, which is cleared; "unknown error" when Aravis gave none.
std::string takeMessage(GError *&error)
{
    std::string text = error != nullptr && error->message != nullptr ? error->message : "unknown error";
    g_clear_error(&error);
    return text;
}

/// The local IPv4 address that reaches `device` without sending anything: 127.0.0.1 for a loopback
/// camera, else the address of the interface whose subnet holds it. Empty when none does.
std::string interfaceAddressFor(const in_addr &device)
{
    if ((ntohl(device.s_addr) >> 24) == 127) {
        return "127.0.0.1";
    }
    ifaddrs *list = nullptr;
    if (::getifaddrs(&list) != 0) {
        return {};
    }
    std::string found;
    for (const ifaddrs *entry = list; entry != nullptr && found.empty(); entry = entry->ifa_next) {
        if (entry->ifa_addr == nullptr || entry->ifa_netmask == nullptr || entry->ifa_addr->sa_family != AF_INET) {
            continue;
        }
        in_addr address{};
        in_addr mask{};
        std::memcpy(&address, &reinterpret_cast<const sockaddr_in *>(entry->ifa_addr)->sin_addr, sizeof address);
        std::memcpy(&mask, &reinterpret_cast<const sockaddr_in *>(entry->ifa_netmask)->sin_addr, sizeof mask);
        if ((address.s_addr & mask.s_addr) == (device.s_addr & mask.s_addr)) {
            char text[INET_ADDRSTRLEN] = {};
            ::inet_ntop(AF_INET, &address, text, sizeof text);
            found = text;
        }
    }
    ::freeifaddrs(list);
    return found;
}

std::optional<AravisCamera::DropReason> dropReasonOf(ArvBufferStatus status) noexcept
{
    using Reason = AravisCamera::DropReason;
    switch (status) {
    case ARV_BUFFER_STATUS_SUCCESS:
        return std::nullopt;
    case ARV_BUFFER_STATUS_MISSING_PACKETS:
        return Reason::MissingPackets;
    case ARV_BUFFER_STATUS_TIMEOUT:
        return Reason::Timeout;
    case ARV_BUFFER_STATUS_SIZE_MISMATCH:
        return Reason::SizeMismatch;
    case ARV_BUFFER_STATUS_WRONG_PACKET_ID:
        return Reason::WrongPacketId;
    case ARV_BUFFER_STATUS_ABORTED:
        return Reason::Aborted;
    default:
        return Reason::Other;
    }
}

} // namespace

const char *toText(AravisCamera::DropReason reason) noexcept
{
    switch (reason) {
    case AravisCamera::DropReason::MissingPackets:
        return "missing_packets";
    case AravisCamera::DropReason::Timeout:
        return "timeout";
    case AravisCamera::DropReason::SizeMismatch:
        return "size_mismatch";
    case AravisCamera::DropReason::WrongPacketId:
        return "wrong_packet_id";
    case AravisCamera::DropReason::Aborted:
        return "aborted";
    case AravisCamera::DropReason::WrongImage:
        return "wrong_image";
    case AravisCamera::DropReason::Late:
        return "late";
    case AravisCamera::DropReason::Other:
        return "other";
    case AravisCamera::DropReason::Missed:
        return "missed";
    }
    return "other";
}

struct AravisCamera::Impl {
    /// A pool buffer as the stream knows it: the Aravis wrapper around the buffer's bytes (made once,
    /// kept while the bytes stay where they are) and, while it is queued, the detached lease.
    struct StreamSlot {
        ArvBuffer *buffer = nullptr;
        const void *data = nullptr;
        runtime::FrameTicket ticket;
        bool isQueued = false;
    };

    explicit Impl(AravisCameraConfig configuration)
        : config(std::move(configuration))
        , device("camera " + config.name())
    {
    }

    ~Impl()
    {
        teardownStream();
        for (StreamSlot &slot : slots) {
            if (slot.buffer != nullptr) {
                g_object_unref(slot.buffer);
            }
        }
        closeCamera();
    }

    Impl(const Impl &) = delete;
    Impl &operator=(const Impl &) = delete;

    [[noreturn]] void fail(const std::string &problem) const { throw HardwareError(device, problem); }
    [[noreturn]] void failFeature(const char *feature, GError *&error) const
    {
        fail("feature " + std::string(feature) + ": " + takeMessage(error));
    }

    // ---- open and set up --------------------------------------------------------------------

    void open()
    {
        GError *error = nullptr;
        ArvDevice *arvDevice = nullptr;
        if (config.link == AravisCameraConfig::Link::InProcessFake) {
            arvDevice = arv_fake_device_new(config.address.c_str(), &error);
        } else {
            in_addr parsed{};
            if (::inet_pton(AF_INET, config.address.c_str(), &parsed) != 1) {
                fail("'" + config.address + "' is not an IPv4 address (cameras are opened by address, never by name)");
            }
            const std::string local = interfaceAddressFor(parsed);
            if (local.empty()) {
                fail("no network interface of this computer is on the subnet of " + config.address);
            }
            GInetAddress *interfaceAddress = g_inet_address_new_from_string(local.c_str());
            GInetAddress *deviceAddress = g_inet_address_new_from_string(config.address.c_str());
            arvDevice = arv_gv_device_new(interfaceAddress, deviceAddress, &error);
            g_object_unref(interfaceAddress);
            g_object_unref(deviceAddress);
        }
        if (arvDevice == nullptr || error != nullptr) {
            if (arvDevice != nullptr) {
                g_object_unref(arvDevice);
            }
            fail("cannot be opened: " + takeMessage(error));
        }
        camera = arv_camera_new_with_device(arvDevice, &error);
        g_object_unref(arvDevice); // the camera holds its own reference
        if (camera == nullptr || error != nullptr) {
            fail("cannot be opened: " + takeMessage(error));
        }
        isControlLost.store(false, std::memory_order_release);
        if (ARV_IS_GV_DEVICE(arv_camera_get_device(camera))) {
            controlLostHandler = g_signal_connect(arv_camera_get_device(camera), "control-lost",
                                                  G_CALLBACK(&Impl::onControlLost), this);
        }
        arv_camera_set_range_check_policy(camera, ARV_RANGE_CHECK_POLICY_ENABLE);
        configure();
    }

    void closeCamera()
    {
        if (camera == nullptr) {
            return;
        }
        if (controlLostHandler != 0) {
            g_signal_handler_disconnect(arv_camera_get_device(camera), controlLostHandler);
            controlLostHandler = 0;
        }
        g_object_unref(camera); // the device goes with it; its heartbeat thread joins
        camera = nullptr;
    }

    void setInteger(const char *feature, gint64 value)
    {
        GError *error = nullptr;
        arv_camera_set_integer(camera, feature, value, &error);
        if (error != nullptr) {
            gint64 minimum = 0;
            gint64 maximum = 0;
            GError *boundsError = nullptr;
            arv_camera_get_integer_bounds(camera, feature, &minimum, &maximum, &boundsError);
            const std::string range = boundsError == nullptr ? " (the camera allows " + std::to_string(minimum) +
                                                                   "…" + std::to_string(maximum) + ")"
                                                             : std::string();
            g_clear_error(&boundsError);
            fail("feature " + std::string(feature) + " refuses " + std::to_string(value) + range + ": " +
                 takeMessage(error));
        }
        const gint64 readBack = arv_camera_get_integer(camera, feature, &error);
        if (error != nullptr) {
            failFeature(feature, error);
        }
        if (readBack != value) {
            fail("feature " + std::string(feature) + " was set to " + std::to_string(value) + " but reads " +
                 std::to_string(readBack));
        }
    }

    void configure()
    {
        GError *error = nullptr;
        // A camera may still stream for an earlier connection, and keeps every register it was given.
        if (arv_camera_is_feature_available(camera, "AcquisitionStop", nullptr)) {
            arv_camera_execute_command(camera, "AcquisitionStop", &error);
            g_clear_error(&error);
        }
        if (config.pixelFormat != "Mono8") {
            fail("feature PixelFormat: '" + config.pixelFormat + "' is not supported; the pipeline reads Mono8");
        }
        if (!arv_camera_is_enumeration_entry_available(camera, "PixelFormat", "Mono8", &error)) {
            if (error != nullptr) {
                failFeature("PixelFormat", error);
            }
            fail("feature PixelFormat: the camera does not offer Mono8, the only format the pipeline reads");
        }
        arv_camera_set_string(camera, "AcquisitionMode", "Continuous", &error);
        if (error != nullptr) {
            failFeature("AcquisitionMode", error);
        }
        arv_camera_set_pixel_format_from_string(camera, "Mono8", &error);
        if (error != nullptr) {
            failFeature("PixelFormat", error);
        }
        const char *pixelFormat = arv_camera_get_pixel_format_as_string(camera, &error);
        if (error != nullptr) {
            failFeature("PixelFormat", error);
        }
        if (pixelFormat == nullptr || std::string(pixelFormat) != "Mono8") {
            fail("feature PixelFormat was set to Mono8 but reads " +
                 std::string(pixelFormat != nullptr ? pixelFormat : "nothing"));
        }
        for (const char *feature : {"BinningHorizontal", "BinningVertical"}) {
            if (arv_camera_is_feature_available(camera, feature, nullptr)) {
                setInteger(feature, 1);
            }
        }
        // Offsets first, so the region fits whatever offsets the camera kept.
        const bool hasOffsets = arv_camera_is_feature_available(camera, "OffsetX", nullptr) &&
                                arv_camera_is_feature_available(camera, "OffsetY", nullptr);
        if (hasOffsets) {
            setInteger("OffsetX", 0);
            setInteger("OffsetY", 0);
        }
        setInteger("Width", config.format.width);
        setInteger("Height", config.format.height);

        if (arv_camera_is_exposure_auto_available(camera, nullptr)) {
            arv_camera_set_exposure_time_auto(camera, ARV_AUTO_OFF, &error);
            if (error != nullptr) {
                failFeature("ExposureAuto", error);
            }
        }
        const double exposureUs = static_cast<double>(config.exposure.count());
        arv_camera_set_exposure_time(camera, exposureUs, &error);
        if (error != nullptr) {
            fail("feature ExposureTime refuses " + std::to_string(config.exposure.count()) + " µs: " +
                 takeMessage(error));
        }
        const double exposureRead = arv_camera_get_exposure_time(camera, &error);
        if (error != nullptr) {
            failFeature("ExposureTime", error);
        }
        if (std::abs(exposureRead - exposureUs) > std::max(1.0, exposureUs * 0.01)) {
            fail("feature ExposureTime was set to " + std::to_string(config.exposure.count()) + " µs but reads " +
                 std::to_string(exposureRead) + " µs");
        }

        arv_camera_clear_triggers(camera, &error);
        if (error != nullptr) {
            failFeature("TriggerMode", error);
        }
        if (arv_camera_is_frame_rate_available(camera, nullptr)) {
            arv_camera_set_frame_rate(camera, config.framesPerSecond, &error);
            if (error != nullptr) {
                fail("feature AcquisitionFrameRate refuses " + std::to_string(config.framesPerSecond) + " fps: " +
                     takeMessage(error));
            }
            const double rate = arv_camera_get_frame_rate(camera, &error);
            if (error != nullptr) {
                failFeature("AcquisitionFrameRate", error);
            }
            if (std::abs(rate - config.framesPerSecond) > config.framesPerSecond * 0.01) {
                fail("feature AcquisitionFrameRate was set to " + std::to_string(config.framesPerSecond) +
                     " fps but reads " + std::to_string(rate));
            }
        }
        if (arv_camera_is_gv_device(camera)) {
            arv_camera_gv_set_packet_size(camera, config.packetSizeBytes, &error);
            if (error != nullptr) {
                fail("feature GevSCPSPacketSize refuses " + std::to_string(config.packetSizeBytes) + " bytes: " +
                     takeMessage(error));
            }
            const guint packetSize = arv_camera_gv_get_packet_size(camera, &error);
            if (error != nullptr) {
                failFeature("GevSCPSPacketSize", error);
            }
            if (static_cast<int>(packetSize) != config.packetSizeBytes) {
                fail("feature GevSCPSPacketSize was set to " + std::to_string(config.packetSizeBytes) +
                     " bytes but reads " + std::to_string(packetSize));
            }
        }
        const guint payload = arv_camera_get_payload(camera, &error);
        if (error != nullptr) {
            failFeature("PayloadSize", error);
        }
        if (payload != config.format.frameBytes()) {
            fail("feature PayloadSize: " + std::to_string(payload) + " bytes a frame, but a " +
                 std::to_string(config.format.width) + " x " + std::to_string(config.format.height) +
                 " Mono8 image is " + std::to_string(config.format.frameBytes()) + " (chunk data or padding is on)");
        }
    }

    void setTrigger(TriggerMode triggerMode)
    {
        GError *error = nullptr;
        if (triggerMode == TriggerMode::Software) {
            arv_camera_set_trigger(camera, "Software", &error);
            if (error != nullptr) {
                fail("feature TriggerSource refuses Software: " + takeMessage(error));
            }
        } else {
            arv_camera_clear_triggers(camera, &error);
            if (error != nullptr) {
                failFeature("TriggerMode", error);
            }
        }
    }

    // ---- the stream -------------------------------------------------------------------------

    void createStream()
    {
        GError *error = nullptr;
        stream = arv_camera_create_stream(camera, nullptr, nullptr, &error);
        if (stream == nullptr || error != nullptr) {
            if (stream != nullptr) {
                g_object_unref(stream);
                stream = nullptr;
            }
            fail("its stream cannot be opened: " + takeMessage(error));
        }
        newBufferHandler = g_signal_connect(stream, "new-buffer", G_CALLBACK(&Impl::onNewBuffer), this);
        arv_stream_set_emit_signals(stream, TRUE);
    }

    /// Stops the camera and the stream and gives every pool buffer the stream held back to the
    /// pool. Idempotent.
    void teardownStream()
    {
        if (stream == nullptr) {
            return;
        }
        if (!isControlLost.load(std::memory_order_acquire)) {
            GError *error = nullptr;
            arv_camera_stop_acquisition(camera, &error); // a camera that cannot answer is gone anyway
            g_clear_error(&error);
        }
        arv_stream_set_emit_signals(stream, FALSE);
        g_signal_handler_disconnect(stream, newBufferHandler);
        newBufferHandler = 0;
        // Finalizing the stream joins its thread and drops its references to the queued buffers;
        // the wrappers stay ours.
        g_object_unref(stream);
        stream = nullptr;
        for (StreamSlot &slot : slots) {
            if (slot.isQueued) {
                slot.isQueued = false;
                pool->giveBack(slot.ticket);
            }
        }
        queued = 0;
    }

    /// Queues `lease`'s buffer in the stream. Precondition: the stream exists.
    void queue(runtime::FrameLease lease)
    {
        const std::uint32_t index = lease.index();
        StreamSlot &slot = slots[index];
        void *data = lease.bytes().data();
        if (slot.buffer != nullptr && slot.data != data) {
            g_object_unref(slot.buffer);
            slot.buffer = nullptr;
        }
        if (slot.buffer == nullptr) {
            slot.buffer = arv_buffer_new_full(config.format.frameBytes(), data,
                                              reinterpret_cast<void *>(static_cast<std::uintptr_t>(index)), nullptr);
            slot.data = data;
        }
        slot.ticket = lease.detach();
        slot.isQueued = true;
        ++queued;
        arv_stream_push_buffer(stream, static_cast<ArvBuffer *>(g_object_ref(slot.buffer)));
    }

    /// Puts a buffer the stream handed back, still detached, into the stream again.
    void requeue(StreamSlot &slot)
    {
        slot.isQueued = true;
        ++queued;
        arv_stream_push_buffer(stream, static_cast<ArvBuffer *>(g_object_ref(slot.buffer)));
    }

    /// Tops the stream up to `streamBuffers` from the pool, without counting an underrun when the
    /// pipeline holds every buffer.
    void refill()
    {
        for (std::size_t i = queued; i < config.streamBuffers && pool->inUse() < pool->capacity(); ++i) {
            std::optional<runtime::FrameLease> lease = pool->tryRent();
            if (!lease) {
                break;
            }
            queue(std::move(*lease));
        }
    }

    void countDrop(DropReason reason) noexcept
    {
        dropped[static_cast<std::size_t>(reason)].fetch_add(1, std::memory_order_relaxed);
    }

    /// Records one frame in the bad-frame window; true when this frame tipped the link to lost.
    bool recordFrame(bool isBad) noexcept
    {
        const std::size_t size = config.badFrameWindow;
        if (windowFill == size) {
            windowBad -= window[windowPosition] ? 1 : 0;
        } else {
            ++windowFill;
        }
        window[windowPosition] = isBad;
        windowBad += isBad ? 1 : 0;
        windowPosition = (windowPosition + 1) % size;
        if (windowFill == size && static_cast<double>(windowBad) > config.maxBadFrameRatio * static_cast<double>(size) &&
            !isLinkDegraded.exchange(true, std::memory_order_acq_rel)) {
            return true;
        }
        return false;
    }

    [[nodiscard]] FrameMetadata metadata(std::size_t slot) const
    {
        return FrameMetadata{sequenceBase + slot, runtime::Clock::now(), config.exposure, config.format,
                             plan.runId,          plan.waferId,          plan.dies[slot]};
    }

    AcquiredFrame disconnected(std::size_t slot)
    {
        reportedDisconnect = true;
        AcquiredFrame lost;
        lost.status = Status::Disconnected;
        lost.metadata = metadata(slot);
        nextSlot = slot + 1;
        nextSequence.store(sequenceBase + nextSlot, std::memory_order_relaxed);
        return lost;
    }

    /// What a buffer the stream handed back comes to: a frame, a Disconnected report, or nothing
    /// (dropped and counted, or past the plan's end, which ends the scan).
    std::optional<AcquiredFrame> take(ArvBuffer *buffer)
    {
        const auto index = static_cast<std::uint32_t>(reinterpret_cast<std::uintptr_t>(arv_buffer_get_user_data(buffer)));
        StreamSlot &slot = slots[index];
        slot.isQueued = false;
        --queued;
        const ArvBufferStatus status = arv_buffer_get_status(buffer);
        const guint64 frameId = arv_buffer_get_frame_id(buffer);
        std::optional<DropReason> reason = dropReasonOf(status);
        if (!reason && (arv_buffer_get_payload_type(buffer) != ARV_BUFFER_PAYLOAD_TYPE_IMAGE ||
                        arv_buffer_get_image_width(buffer) != config.format.width ||
                        arv_buffer_get_image_height(buffer) != config.format.height ||
                        arv_buffer_get_image_pixel_format(buffer) != ARV_PIXEL_FORMAT_MONO_8)) {
            reason = DropReason::WrongImage;
        }
        g_object_unref(buffer); // the stream's reference; the wrapper stays ours

        const std::optional<std::uint64_t> count = ids.next(frameId);
        if (count && *count > lastCount + 1) {
            // Ids that never came out of the stream: no pool buffer was queued, or no packet came.
            dropped[static_cast<std::size_t>(DropReason::Missed)].fetch_add(*count - lastCount - 1,
                                                                             std::memory_order_relaxed);
        }
        if (count) {
            lastCount = *count;
        }
        if (!count || *count < nextSlot) {
            countDrop(reason.value_or(DropReason::Late));
            requeue(slot);
            return std::nullopt;
        }
        const auto frameSlot = static_cast<std::size_t>(*count);
        if (reason) {
            countDrop(*reason);
            requeue(slot);
            const bool isTipped = recordFrame(true);
            if (isTipped && !reportedDisconnect && frameSlot < plan.dies.size()) {
                return disconnected(frameSlot);
            }
            return std::nullopt;
        }
        static_cast<void>(recordFrame(false));
        if (frameSlot >= plan.dies.size()) {
            requeue(slot);
            ended = Status::EndOfScan;
            return std::nullopt;
        }
        AcquiredFrame frame;
        frame.status = Status::Frame;
        frame.lease = pool->adopt(slot.ticket);
        frame.metadata = metadata(frameSlot);
        nextSlot = frameSlot + 1;
        nextSequence.store(sequenceBase + nextSlot, std::memory_order_relaxed);
        framesDelivered.fetch_add(1, std::memory_order_relaxed);
        return frame;
    }

    AcquiredFrame finish(Status status)
    {
        if (!ended || stream != nullptr) {
            ended = ended.value_or(status);
            teardownStream();
            isAcquiring.store(false, std::memory_order_release);
        }
        AcquiredFrame frame;
        frame.status = *ended;
        return frame;
    }

    [[nodiscard]] bool isConnected() const noexcept
    {
        return !isControlLost.load(std::memory_order_acquire) && !isLinkDegraded.load(std::memory_order_acquire);
    }

    // ---- waking the acquiring side ----------------------------------------------------------

    void wake()
    {
        runtime::Continuation *woken = nullptr;
        {
            const std::lock_guard lock(waitMutex);
            isSignalled = true;
            woken = std::exchange(waiter, nullptr);
        }
        if (woken != nullptr) {
            woken->resume(); // posted to the acquiring executor
        }
    }

    /// On the stream's thread, after a buffer was put on the output queue.
    static void onNewBuffer(ArvStream * /*stream*/, gpointer self) { static_cast<Impl *>(self)->wake(); }

    /// On Aravis' heartbeat thread: marshalled as an atomic flag and a wake-up of the acquiring side.
    static void onControlLost(ArvGvDevice * /*device*/, gpointer self)
    {
        auto *impl = static_cast<Impl *>(self);
        impl->isControlLost.store(true, std::memory_order_release);
        impl->wake();
    }

    /// Waits for a buffer, a stop or a lost link. Resumes on the awaiting coroutine's executor.
    class [[nodiscard]] BufferOperation
    {
    public:
        explicit BufferOperation(Impl &impl) noexcept
            : m_impl(impl)
        {
        }
        [[nodiscard]] bool await_ready() const noexcept { return false; }
        bool await_suspend(std::coroutine_handle<> handle)
        {
            m_continuation.handle = handle;
            m_continuation.executor = runtime::Executor::current();
            if (m_continuation.executor == nullptr) {
                // Resuming inline would run the coroutine on Aravis' own threads.
                throw HardwareError(m_impl.device, "acquire() must be awaited on an executor");
            }
            const std::lock_guard lock(m_impl.waitMutex);
            if (m_impl.isSignalled || m_impl.isStopRequested.load(std::memory_order_acquire) ||
                (!m_impl.isConnected() && !m_impl.reportedDisconnect)) {
                m_impl.isSignalled = false;
                return false;
            }
            m_impl.waiter = &m_continuation;
            return true;
        }
        void await_resume() const noexcept {}

    private:
        Impl &m_impl;
        runtime::Continuation m_continuation;
    };

    ValueTask<AcquiredFrame> acquireNext()
    {
        const InFlightScope inFlight(isInFlight);
        for (;;) {
            if (ended) {
                co_return finish(*ended);
            }
            if (isStopRequested.load(std::memory_order_acquire)) {
                co_return finish(Status::Stopped);
            }
            if (nextSlot >= plan.dies.size()) {
                co_return finish(Status::EndOfScan);
            }
            if (!isControlLost.load(std::memory_order_acquire)) {
                refill();
                if (queued == 0) {
                    // The pipeline holds every pool buffer: no frame can land until one comes back.
                    queue(co_await pool->rent());
                    continue;
                }
            }
            if (ArvBuffer *buffer = arv_stream_try_pop_buffer(stream)) {
                if (std::optional<AcquiredFrame> frame = take(buffer)) {
                    co_return std::move(*frame);
                }
                continue;
            }
            // Everything received has been handed on: now a lost link may be reported.
            if (!isConnected() && !reportedDisconnect) {
                co_return disconnected(nextSlot);
            }
            co_await BufferOperation(*this);
        }
    }

    AravisCameraConfig config;
    std::string device; ///< "camera gige:ADDRESS", how errors name it
    ArvCamera *camera = nullptr;
    gulong controlLostHandler = 0;
    ArvStream *stream = nullptr;
    gulong newBufferHandler = 0;

    // The scan: written by start() and the acquiring coroutine, which never run at once.
    ScanPlan plan;
    runtime::FramePool *pool = nullptr;
    TriggerMode mode = TriggerMode::FreeRun;
    std::size_t nextSlot = 0;
    std::uint64_t sequenceBase = 0;
    bool isStarted = false;
    bool reportedDisconnect = false;
    std::optional<Status> ended;
    FrameIdUnwrapper ids;
    std::uint64_t lastCount = 0; ///< count of the last frame id the stream handed back, good or bad
    std::vector<StreamSlot> slots; ///< by pool frame index
    std::size_t queued = 0;
    std::array<bool, 64> window{};
    std::size_t windowPosition = 0;
    std::size_t windowFill = 0;
    std::size_t windowBad = 0;

    std::atomic<bool> isInFlight{false};
    std::atomic<bool> isStopRequested{false};
    std::atomic<bool> isAcquiring{false};
    std::atomic<bool> isControlLost{false};
    std::atomic<bool> isLinkDegraded{false};
    std::atomic<std::uint64_t> nextSequence{0};
    std::atomic<std::uint64_t> framesDelivered{0};
    std::array<std::atomic<std::uint64_t>, kDropReasons> dropped{};

    std::mutex waitMutex; // guards the two below
    bool isSignalled = false;
    runtime::Continuation *waiter = nullptr;
};

AravisCamera::AravisCamera(AravisCameraConfig config)
{
    config.validate();
    m_impl = std::make_unique<Impl>(std::move(config));
    m_impl->open();
}

AravisCamera::~AravisCamera() = default;

ImageFormat AravisCamera::format() const
{
    return m_impl->config.format;
}

const AravisCameraConfig &AravisCamera::config() const noexcept
{
    return m_impl->config;
}

void AravisCamera::start(ScanPlan plan, runtime::FramePool &pool, TriggerMode mode)
{
    Impl &d = *m_impl;
    if (d.isInFlight.load(std::memory_order_acquire)) {
        throw HardwareError(d.device, "start() while an acquire() is in flight; await it first");
    }
    if (d.isAcquiring.load(std::memory_order_acquire)) {
        throw HardwareError(d.device, "start() during a scan; stop() it or acquire() to its end first");
    }
    if (pool.frameBytes() < d.config.format.frameBytes()) {
        throw HardwareError(d.device, "frame pool '" + pool.name() + "' has frames of " +
                                          std::to_string(pool.frameBytes()) + " bytes; a " +
                                          std::to_string(d.config.format.width) + " x " +
                                          std::to_string(d.config.format.height) + " Mono8 image needs " +
                                          std::to_string(d.config.format.frameBytes()));
    }
    if (d.isControlLost.load(std::memory_order_acquire)) {
        d.closeCamera();
        d.open(); // throws HardwareError when the camera is still gone
    }
    d.setTrigger(mode);
    d.plan = std::move(plan);
    d.pool = &pool;
    d.mode = mode;
    d.nextSlot = 0;
    d.sequenceBase = d.nextSequence.load(std::memory_order_relaxed);
    d.reportedDisconnect = false;
    d.ended.reset();
    d.ids.reset();
    d.lastCount = 0;
    d.isLinkDegraded.store(false, std::memory_order_release);
    d.window.fill(false);
    d.windowPosition = 0;
    d.windowFill = 0;
    d.windowBad = 0;
    if (d.slots.size() < pool.capacity()) {
        d.slots.resize(pool.capacity());
    }
    {
        const std::lock_guard lock(d.waitMutex);
        d.isSignalled = false;
    }
    d.isStopRequested.store(false, std::memory_order_release);
    d.createStream();
    d.refill();
    GError *error = nullptr;
    arv_camera_start_acquisition(d.camera, &error);
    if (error != nullptr) {
        const std::string message = takeMessage(error);
        d.teardownStream();
        throw HardwareError(d.device, "feature AcquisitionStart: " + message);
    }
    d.isStarted = true;
    d.isAcquiring.store(true, std::memory_order_release);
}

void AravisCamera::stop()
{
    m_impl->isStopRequested.store(true, std::memory_order_release);
    m_impl->wake();
}

void AravisCamera::trigger()
{
    Impl &d = *m_impl;
    if (d.mode != TriggerMode::Software || !d.isAcquiring.load(std::memory_order_acquire) ||
        d.isControlLost.load(std::memory_order_acquire)) {
        return;
    }
    GError *error = nullptr;
    arv_camera_software_trigger(d.camera, &error);
    g_clear_error(&error); // a trigger the camera missed shows as a frame that never comes
}

ValueTask<AcquiredFrame> AravisCamera::acquire()
{
    Impl &d = *m_impl;
    if (!d.isStarted) {
        return ValueTask<AcquiredFrame>::fromException(
            std::make_exception_ptr(HardwareError(d.device, "acquire() before start()")));
    }
    if (d.isInFlight.exchange(true, std::memory_order_acq_rel)) {
        return ValueTask<AcquiredFrame>::fromException(std::make_exception_ptr(
            HardwareError(d.device, "acquire() while another acquire() is in flight; await it first")));
    }
    return d.acquireNext();
}

ValueTask<CameraState> AravisCamera::state()
{
    const Impl &d = *m_impl;
    const runtime::Executor *executor = runtime::Executor::current();
    return ValueTask<CameraState>::fromResult(CameraState{
        d.isConnected(),
        d.isAcquiring.load(std::memory_order_acquire),
        d.framesDelivered.load(std::memory_order_relaxed),
        d.nextSequence.load(std::memory_order_relaxed),
        executor != nullptr ? executor->now() : runtime::Clock::now(),
    });
}

std::array<std::uint64_t, AravisCamera::kDropReasons> AravisCamera::droppedFrames() const noexcept
{
    std::array<std::uint64_t, kDropReasons> counts{};
    for (std::size_t i = 0; i < kDropReasons; ++i) {
        counts[i] = m_impl->dropped[i].load(std::memory_order_relaxed);
    }
    return counts;
}

std::uint64_t AravisCamera::framesDelivered() const noexcept
{
    return m_impl->framesDelivered.load(std::memory_order_relaxed);
}

} // namespace waferscope::hardware::aravis
