#pragma once
// Typed tests run over every registered row, and name each instantiation after the row, so
// `ctest -R intrusive` selects exactly the intrusive tests.

#include <gtest/gtest.h>

#include <string>
#include <type_traits>

#include "wakerbench/registry.hpp"

// Guards the rest of a typed test body on the row carrying payload T. A row that cannot (boost_lockfree
// with a std::string) skips with the registry's reason, "n/a: requires trivially copyable T", so the
// cell shows as n/a in the results instead of failing to compile or silently vanishing. Usage:
//     TYPED_TEST(Suite, Name) { WB_WITH_PAYLOAD(TypeParam, std::string) { ...body... } }
// `if constexpr` keeps the body uninstantiated for such rows.
#define WB_WITH_PAYLOAD(Row, T)                                                                   \
    if constexpr (!Row::template supports_payload<T>) GTEST_SKIP() << ::wakerbench::payload_requirement(Row::info.payload); \
    else

namespace wakerbench::test {

using AllRows = Rows::apply<::testing::Types>;

struct RowName {
    template <class Row>
    static std::string GetName(int) {
        return std::string(Row::info.name);
    }
};

// Wait lists by themselves, for list-level tests (order, marks, abort on misuse): every mutex row's.
template <class... Rows>
using ListsOf = ::testing::Types<typename Rows::template wait_list<StdSync>...>;
using AllLists = MutexRows::apply<ListsOf>;

// The wake-one ones (pass-on, FIFO order of takes).
template <class Row>
struct WakesOne : std::bool_constant<Row::info.wake == WakePolicy::one> {};
using WakeOneLists = FilterRows<WakesOne, MutexRows>::type::apply<ListsOf>;

struct ListName {
    template <class List>
    static std::string GetName(int) {
        return List::kName;
    }
};

}  // namespace wakerbench::test
