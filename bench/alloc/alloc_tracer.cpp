// Counting definitions of every operator new/delete form and of the malloc family. Defined in the
// executable, they take precedence over libc's, libstdc++'s and libjemalloc's for every caller in
// the process: our code, third-party headers (moodycamel calls std::malloc, Boost.Lockfree goes
// through std::allocator), libc itself (strdup, stdio: its internal calls go through the PLT), and
// ld.so once relocation is done. They forward to backend.hpp, so every block, whoever asked for
// it, comes from and returns to the same allocator. Memory that ld.so's minimal malloc handed out
// before relocation never reaches our free: glibc abandons it rather than free it (resize_dtv).
//
// Counting: each thread owns a cache-line slot of counters, claimed on its first allocation or
// free; only the owner writes it, so no read-modify-write and no lock. At exit a pthread key
// destructor releases the slot, counts and all, to the next thread that claims it. Exited
// threads, threads that found no free slot, and a thread in the middle of claiming count straight
// into g_shared (fetch_add).

#include "alloc_tracer.hpp"

#include <malloc.h>   // memalign, valloc, pvalloc
#include <pthread.h>
#include <unistd.h>

#include <atomic>
#include <bit>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <new>

#include "backend.hpp"

namespace wakerbench::alloc {
namespace {

using backend::real_aligned;
using backend::real_calloc;
using backend::real_free;
using backend::real_malloc;
using backend::real_realloc;

// A cache line each: owners write their own slot on every allocation.
struct alignas(64) Counters {
    std::atomic<std::uint64_t> allocs{0}, frees{0}, bytes{0};
};

// constinit throughout: malloc runs long before our constructors would (ld.so, libc and
// libstdc++ allocate first), so the state must be ready in the image, with no initializer to run.
constinit Counters g_slots[detail::kSlots];           // counts of the owner and all previous owners
constinit std::atomic<bool> g_claimed[detail::kSlots];  // apart from the slots: claims scan them all
constinit Counters g_shared;                            // counts of threads without a slot

constinit pthread_once_t g_key_once = PTHREAD_ONCE_INIT;
constinit pthread_key_t g_key = 0;
constinit bool g_have_key = false;  // written once under g_key_once, which orders it for readers

enum class Phase : unsigned char { fresh, claiming, owner, shared };
struct ThreadState {
    Counters* slot;  // non-null exactly in phase owner
    Phase phase;
};
// Trivially destructible and constant-initialized, so no TLS init function and no thread_local
// destructor registration (which allocates); initial-exec, so a fixed offset from the thread
// pointer and never __tls_get_addr (which may allocate).
constinit thread_local ThreadState t_state __attribute__((tls_model("initial-exec"))) = {nullptr, Phase::fresh};

void add_owned(std::atomic<std::uint64_t>& counter, std::uint64_t n) noexcept {
    // relaxed load + store: the owning thread is this counter's only writer, so no increment can
    // be lost; readers need no more order than alloc_totals() explains.
    counter.store(counter.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
}

void retire(void* slot) noexcept;

void make_key() noexcept { g_have_key = pthread_key_create(&g_key, retire) == 0; }

// Out of line: the counting path inlined into malloc and free stays a load, a test and stores.
[[gnu::noinline]] Counters* claim_slot() noexcept {
    // Whatever the steps below allocate (nothing, as tested) counts shared instead of recursing.
    t_state.phase = Phase::claiming;
    for (std::size_t i = 0; i < detail::kSlots; ++i) {
        // relaxed load: only a cheap skip of taken slots; the exchange decides.
        if (g_claimed[i].load(std::memory_order_relaxed)) continue;
        // acquire: pairs with retire()'s release, so we add to the previous owner's last counts.
        if (g_claimed[i].exchange(true, std::memory_order_acquire)) continue;
        Counters* slot = &g_slots[i];
        // pthread_once and pthread_key_create do not allocate. For keys below 32 (ours is made
        // at the process's first allocation) glibc keeps the value in the thread descriptor, so
        // pthread_setspecific does not allocate either. With no key (or for the main thread,
        // whose exit runs no key destructors) the slot stays claimed: still counted, never reused.
        pthread_once(&g_key_once, make_key);
        if (g_have_key) (void)pthread_setspecific(g_key, slot);
        t_state = {slot, Phase::owner};
        return slot;
    }
    t_state.phase = Phase::shared;
    return nullptr;
}

// The pthread key destructor, run by the exiting thread itself. The slot keeps its counts and the
// next owner adds to them: the same as folding them into g_shared, but with no moment at which
// they are in both places or in neither, so a snapshot taken while a thread exits is not disturbed.
void retire(void* slot) noexcept {
    // From here on this thread (later key destructors, libc's thread teardown) counts shared.
    t_state = {nullptr, Phase::shared};
    // release: the next owner's acquire claim must see our last counts, or it would add to older ones.
    g_claimed[static_cast<Counters*>(slot) - g_slots].store(false, std::memory_order_release);
}

// This thread's slot, or nullptr when it counts shared.
[[gnu::always_inline]] inline Counters* own_slot() noexcept {
    if (Counters* slot = t_state.slot) [[likely]]
        return slot;
    return t_state.phase == Phase::fresh ? claim_slot() : nullptr;
}

[[gnu::always_inline]] inline void note_alloc(std::size_t bytes) noexcept {
    if (Counters* slot = own_slot()) [[likely]] {
        add_owned(slot->allocs, 1);
        add_owned(slot->bytes, bytes);
        return;
    }
    // relaxed: many writers, so read-modify-write; the counts need no order (see alloc_totals()).
    g_shared.allocs.fetch_add(1, std::memory_order_relaxed);
    g_shared.bytes.fetch_add(bytes, std::memory_order_relaxed);
}

[[gnu::always_inline]] inline void note_free() noexcept {
    if (Counters* slot = own_slot()) [[likely]] {
        add_owned(slot->frees, 1);
        return;
    }
    g_shared.frees.fetch_add(1, std::memory_order_relaxed);  // relaxed: as in note_alloc()
}

// Counts a successful allocation of `bytes` requested bytes; a failure sets errno as malloc does.
void* counted(void* p, std::size_t bytes) noexcept {
    if (p != nullptr) [[likely]]
        note_alloc(bytes);
    else
        errno = ENOMEM;
    return p;
}

void traced_free(void* p) noexcept {
    if (p == nullptr) return;
    note_free();
    real_free(p);
}

// One attempt for operator new; align == 0 means the default alignment.
void* try_new(std::size_t size, std::size_t align) noexcept {
    void* p = align == 0 ? real_malloc(size) : real_aligned(align, size);
    if (p != nullptr) [[likely]]
        note_alloc(size);
    return p;
}

// operator new: retry through the new_handler, throw bad_alloc when there is none.
void* new_or_throw(std::size_t size, std::size_t align) {
    for (;;) {
        if (void* p = try_new(size, align)) [[likely]]
            return p;
        std::new_handler handler = std::get_new_handler();
        if (handler == nullptr) throw std::bad_alloc();
        handler();
    }
}

// The nothrow forms: the same, but null instead of a throw, so a failure allocates no exception.
void* new_or_null(std::size_t size, std::size_t align) noexcept {
    for (;;) {
        if (void* p = try_new(size, align)) [[likely]]
            return p;
        std::new_handler handler = std::get_new_handler();
        if (handler == nullptr) return nullptr;
        try {
            handler();
        } catch (...) {
            return nullptr;
        }
    }
}

bool is_power_of_two(std::size_t n) noexcept { return std::has_single_bit(n); }

std::size_t page_size() noexcept { return static_cast<std::size_t>(sysconf(_SC_PAGESIZE)); }

}  // namespace

AllocCounts alloc_totals() noexcept {
    // relaxed: an exact snapshot needs the counted threads' allocations to happen before this call
    // anyway (a join, or a barrier the caller has passed); given that, each load reads the last
    // value stored (write-read coherence), and since nobody writes meanwhile no order between the
    // loads matters. Without it no memory order would make the sum exact.
    AllocCounts sum{g_shared.allocs.load(std::memory_order_relaxed), g_shared.frees.load(std::memory_order_relaxed),
                    g_shared.bytes.load(std::memory_order_relaxed)};
    for (const Counters& slot : g_slots) {
        sum.allocs += slot.allocs.load(std::memory_order_relaxed);
        sum.frees += slot.frees.load(std::memory_order_relaxed);
        sum.bytes += slot.bytes.load(std::memory_order_relaxed);
    }
    return sum;
}

std::size_t detail::slots_in_use() noexcept {
    std::size_t n = 0;
    // relaxed: a count for tests, exact once the threads concerned have started or been joined.
    for (const auto& claimed : g_claimed) n += claimed.load(std::memory_order_relaxed) ? 1 : 0;
    return n;
}

}  // namespace wakerbench::alloc

// ---- the malloc family ---------------------------------------------------------------------------
// glibc's manual ("Replacing malloc") asks for all of these, or libc's versions would hand out
// blocks from its own heap that our free would then pass to the wrong allocator. malloc_usable_size
// is left to each backend: glibc's own works on its blocks, jemalloc's build defines it.

using namespace wakerbench::alloc;

extern "C" {

void* malloc(std::size_t size) noexcept { return counted(real_malloc(size), size); }

void free(void* p) noexcept { traced_free(p); }

void* calloc(std::size_t count, std::size_t size) noexcept {
    std::size_t bytes = 0;
    if (__builtin_mul_overflow(count, size, &bytes)) {
        errno = ENOMEM;
        return nullptr;
    }
    return counted(real_calloc(bytes), bytes);
}

// One free (if p) plus one alloc (if a block comes back); a failure counts nothing, as p stays.
void* realloc(void* p, std::size_t size) noexcept {
    if (p == nullptr) return malloc(size);
    if (size == 0) {  // glibc's behaviour: free p, return null
        traced_free(p);
        return nullptr;
    }
    void* q = real_realloc(p, size);
    if (q == nullptr) {
        errno = ENOMEM;
        return nullptr;
    }
    note_free();
    note_alloc(size);
    return q;
}

int posix_memalign(void** out, std::size_t align, std::size_t size) noexcept {
    if (!is_power_of_two(align) || align % sizeof(void*) != 0) return EINVAL;
    void* p = real_aligned(align, size);
    if (p == nullptr) return ENOMEM;
    note_alloc(size);
    *out = p;
    return 0;
}

void* aligned_alloc(std::size_t align, std::size_t size) noexcept {
    if (!is_power_of_two(align)) {
        errno = EINVAL;
        return nullptr;
    }
    return counted(real_aligned(align, size), size);
}

void* memalign(std::size_t align, std::size_t size) noexcept {
    if (align > (SIZE_MAX >> 1) + 1) {
        errno = EINVAL;
        return nullptr;
    }
    align = std::bit_ceil(align);  // glibc rounds an alignment that is no power of two up to one
    return counted(real_aligned(align, size), size);
}

void* valloc(std::size_t size) noexcept { return counted(real_aligned(page_size(), size), size); }

void* pvalloc(std::size_t size) noexcept {
    const std::size_t page = page_size();
    std::size_t rounded = 0;
    if (__builtin_add_overflow(size, page - 1, &rounded)) {
        errno = ENOMEM;
        return nullptr;
    }
    return counted(real_aligned(page, rounded & ~(page - 1)), size);
}

}  // extern "C"

// ---- operator new / delete, every form ---------------------------------------------------------
// The nothrow, sized and aligned forms are all defined too: libstdc++'s would reach the real
// allocator without us, and a sized or aligned delete must free what our new allocated.

void* operator new(std::size_t size) { return new_or_throw(size, 0); }
void* operator new[](std::size_t size) { return new_or_throw(size, 0); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept { return new_or_null(size, 0); }
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept { return new_or_null(size, 0); }
void* operator new(std::size_t size, std::align_val_t al) { return new_or_throw(size, static_cast<std::size_t>(al)); }
void* operator new[](std::size_t size, std::align_val_t al) { return new_or_throw(size, static_cast<std::size_t>(al)); }
void* operator new(std::size_t size, std::align_val_t al, const std::nothrow_t&) noexcept {
    return new_or_null(size, static_cast<std::size_t>(al));
}
void* operator new[](std::size_t size, std::align_val_t al, const std::nothrow_t&) noexcept {
    return new_or_null(size, static_cast<std::size_t>(al));
}

void operator delete(void* p) noexcept { traced_free(p); }
void operator delete[](void* p) noexcept { traced_free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { traced_free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { traced_free(p); }
void operator delete(void* p, std::size_t) noexcept { traced_free(p); }
void operator delete[](void* p, std::size_t) noexcept { traced_free(p); }
void operator delete(void* p, std::align_val_t) noexcept { traced_free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { traced_free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { traced_free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { traced_free(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { traced_free(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { traced_free(p); }
