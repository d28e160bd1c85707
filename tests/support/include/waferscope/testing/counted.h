#pragma once

/// Counted: a value type that counts its constructions, copies, moves and destructions, so a test
/// can prove that a primitive neither leaks nor double-destroys what passes through it.

#include <atomic>
#include <cstdint>

namespace waferscope::testing {

struct Counted {
    static inline std::atomic<int> alive{0};
    static inline std::atomic<int> copies{0};

    int value = 0;

    explicit Counted(int v = 0) noexcept
        : value(v)
    {
        ++alive;
    }
    Counted(const Counted &other) noexcept
        : value(other.value)
    {
        ++alive;
        ++copies;
    }
    Counted(Counted &&other) noexcept
        : value(other.value)
    {
        ++alive;
    }
    Counted &operator=(const Counted &other) noexcept
    {
        value = other.value;
        ++copies;
        return *this;
    }
    Counted &operator=(Counted &&other) noexcept = default;
    ~Counted() { --alive; }

    static void reset() noexcept
    {
        alive = 0;
        copies = 0;
    }
};

} // namespace waferscope::testing
