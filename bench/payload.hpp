#pragma once
// The three payloads every workload runs with. Each carries a 64-bit key, so consumers can sum what
// they received and the run can check that every item arrived exactly once (see rig.hpp).

#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace wakerbench::bench {

enum class PayloadKind { u64, blob64, str32 };

// A 64-byte trivially copyable record: a cache line's worth of data to move per message.
struct Blob64 {
    std::array<std::uint64_t, 8> words;
};
static_assert(sizeof(Blob64) == 64);

template <class T>
struct Payload;

template <>
struct Payload<std::uint64_t> {
    static constexpr PayloadKind kKind = PayloadKind::u64;
    static std::uint64_t make(std::uint64_t key) noexcept { return key; }
    static std::uint64_t key(std::uint64_t v) noexcept { return v; }
};

template <>
struct Payload<Blob64> {
    static constexpr PayloadKind kKind = PayloadKind::blob64;
    static Blob64 make(std::uint64_t key) noexcept {
        Blob64 b;
        b.words.fill(key);
        return b;
    }
    static std::uint64_t key(const Blob64& b) noexcept { return b.words[0]; }
};

// 32 characters: past libstdc++'s 15-byte small-string buffer, so making one allocates, as a real
// string message would. That allocation is the payload's, and shows in allocs_per_msg for every row.
template <>
struct Payload<std::string> {
    static constexpr PayloadKind kKind = PayloadKind::str32;
    static constexpr std::size_t kLength = 32;
    static std::string make(std::uint64_t key) {
        std::string s(kLength, 'x');
        std::memcpy(s.data(), &key, sizeof key);  // the key rides in the first 8 bytes
        return s;
    }
    static std::uint64_t key(const std::string& s) noexcept {
        std::uint64_t k;
        std::memcpy(&k, s.data(), sizeof k);
        return k;
    }
};

constexpr std::string_view name_of(PayloadKind p) noexcept {
    switch (p) {
        case PayloadKind::u64: return "u64";
        case PayloadKind::blob64: return "blob64";
        case PayloadKind::str32: return "str32";
    }
    return "?";
}

}  // namespace wakerbench::bench
