#pragma once

#include <cstddef>
#include <stdexcept>

namespace wakerbench {

struct Unbounded {
    explicit constexpr Unbounded() = default;
};
inline constexpr Unbounded unbounded{};

// N >= 1 is a bounded channel; `unbounded` is a distinct value, never a magic number.
class Capacity {
public:
    Capacity(std::size_t n) : n_(n) {  // NOLINT(google-explicit-constructor): make_channel<I, T>(64)
        if (n == 0)
            throw std::invalid_argument(
                "wakerbench: channel capacity 0 is not supported (there are no rendezvous channels); "
                "pass a capacity >= 1 for a bounded channel, or wakerbench::unbounded");
    }
    constexpr Capacity(Unbounded) noexcept : n_(0) {}  // NOLINT(google-explicit-constructor)

    [[nodiscard]] constexpr bool bounded() const noexcept { return n_ != 0; }
    // Precondition: bounded().
    [[nodiscard]] constexpr std::size_t limit() const noexcept { return n_; }

private:
    std::size_t n_;  // 0 encodes unbounded internally only
};

}  // namespace wakerbench
