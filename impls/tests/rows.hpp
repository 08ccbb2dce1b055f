#pragma once
// Typed tests run over every registered row, and name each instantiation after the row, so
// `ctest -R intrusive` selects exactly the intrusive tests.

#include <gtest/gtest.h>

#include <string>

#include "wakerbench/registry.hpp"

namespace wakerbench::test {

using AllRows = Rows::apply<::testing::Types>;

struct RowName {
    template <class Row>
    static std::string GetName(int) {
        return std::string(Row::info.name);
    }
};

// Wait lists by themselves, for list-level tests (order, marks, abort on misuse).
using AllLists = ::testing::Types<VecWaitList<StdSync>, VecReuseWaitList<StdSync>, SlabWaitList<StdSync>, IntrusiveWaitList<StdSync>>;

struct ListName {
    template <class List>
    static std::string GetName(int) {
        return List::kName;
    }
};

}  // namespace wakerbench::test
