// Prints the registry for CMake (impls/cmake/registry.cmake runs it at configure time), one
// implementation per line, in registry order:
//     <list> <core> <name>
// list: row, baseline or peer; core: mutex, lockfree or own (registry.hpp's core_of). CMake
// generates the per-row stress sources, the ctest tests and the benchmark counts from it, so no
// CMakeLists keeps a list of rows of its own.

#include <cstdio>
#include <string_view>

#include "wakerbench/registry.hpp"

namespace {

template <class List>
void print(std::string_view list) {
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        (std::printf("%.*s %.*s %.*s\n", static_cast<int>(list.size()), list.data(),
                     static_cast<int>(wakerbench::core_of<typename List::template at<I>>().size()),
                     wakerbench::core_of<typename List::template at<I>>().data(),
                     static_cast<int>(List::template at<I>::info.name.size()), List::template at<I>::info.name.data()),
         ...);
    }(std::make_index_sequence<List::size>{});
}

}  // namespace

int main() {
    print<wakerbench::Rows>("row");
    print<wakerbench::Baselines>("baseline");
    print<wakerbench::Peers>("peer");
    return 0;
}
