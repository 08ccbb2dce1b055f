#pragma once
// Everything a user of the channel needs.
#include "wakerbench/channel/handles.hpp"
#include "wakerbench/registry.hpp"
#include "wakerbench/runtime/run_loop.hpp"
#include "wakerbench/runtime/thread_pool.hpp"
#include "wakerbench/runtime/yield.hpp"
