#pragma once

#include <concepts>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <type_traits>

namespace wakerbench {

struct Unbounded {
    explicit constexpr Unbounded() = default;
};
inline constexpr Unbounded unbounded{};

// N >= 1 is a bounded channel; `unbounded` is a distinct value, never a magic number.
class Capacity {
public:
    // Implicit so that make_channel<I, T>(64) reads naturally. Signed so that a negative number is
    // reported as such instead of wrapping to a huge bound.
    template <std::integral N>
    Capacity(N n) : n_(checked(n)) {}  // NOLINT(google-explicit-constructor)
    constexpr Capacity(Unbounded) noexcept : n_(0) {}  // NOLINT(google-explicit-constructor)

    [[nodiscard]] constexpr bool bounded() const noexcept { return n_ != 0; }
    // Precondition: bounded().
    [[nodiscard]] constexpr std::size_t limit() const noexcept { return n_; }

private:
    template <std::integral N>
    static std::size_t checked(N n) {
        if (n == 0)
            throw std::invalid_argument(
                "wakerbench: channel capacity 0 is not supported (there are no rendezvous channels); "
                "pass a capacity >= 1 for a bounded channel, or wakerbench::unbounded");
        if constexpr (std::is_signed_v<N>)
            if (n < 0)
                throw std::invalid_argument("wakerbench: channel capacity " + std::to_string(n) +
                                            " is negative; pass a capacity >= 1, or wakerbench::unbounded");
        return static_cast<std::size_t>(n);
    }

    std::size_t n_;  // 0 encodes unbounded internally only
};

}  // namespace wakerbench
