//! The allocation counter: a global allocator that forwards to `System` (glibc's malloc) and counts
//! every allocation and the bytes asked for, on every thread, like wb_bench's tracer (bench/alloc/).
//! Counting rules are the tracer's: `alloc_zeroed` is one allocation; `realloc` counts one
//! allocation of the new size; frees are not needed for the per-message figures. It sees the
//! Rust heap only: what glibc allocates for itself (thread start-up, stdio), which wb_bench's
//! tracer would also count, is not; the measured rounds make no such calls.
//!
//! Relaxed counters are exact at the marks: the driving thread reads them while every party waits
//! at the round barrier, which orders the parties' increments before the read. They are sharded,
//! a cache line per thread (up to 64 threads, then shared), so counting does not make the party
//! threads contend on one line, which would slow exactly the peers that allocate per message.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering::Relaxed};

pub struct CountingAllocator;

#[derive(Clone, Copy, Debug, Default)]
pub struct AllocCounts {
    pub allocs: u64,
    pub bytes: u64,
}

impl std::ops::Add for AllocCounts {
    type Output = AllocCounts;
    fn add(self, other: AllocCounts) -> AllocCounts {
        AllocCounts { allocs: self.allocs + other.allocs, bytes: self.bytes + other.bytes }
    }
}

/// The counts between two readings (counters only grow).
impl std::ops::Sub for AllocCounts {
    type Output = AllocCounts;
    fn sub(self, earlier: AllocCounts) -> AllocCounts {
        AllocCounts { allocs: self.allocs - earlier.allocs, bytes: self.bytes - earlier.bytes }
    }
}

#[repr(align(64))]
struct Shard {
    allocs: AtomicU64,
    bytes: AtomicU64,
}

const SHARD_COUNT: usize = 64;
#[allow(clippy::declare_interior_mutable_const)] // only as the array's initializer
const EMPTY_SHARD: Shard = Shard { allocs: AtomicU64::new(0), bytes: AtomicU64::new(0) };
static SHARDS: [Shard; SHARD_COUNT] = [EMPTY_SHARD; SHARD_COUNT];
static NEXT_SHARD: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    // Const-initialized and without a destructor: reading it never allocates and never fails,
    // not even while the thread is being torn down.
    static MY_SHARD: Cell<usize> = const { Cell::new(usize::MAX) };
}

fn count(bytes: usize) {
    let i = MY_SHARD
        .try_with(|mine| {
            if mine.get() == usize::MAX {
                mine.set(NEXT_SHARD.fetch_add(1, Relaxed) % SHARD_COUNT);
            }
            mine.get()
        })
        .unwrap_or(0);
    let shard = &SHARDS[i];
    shard.allocs.fetch_add(1, Relaxed);
    shard.bytes.fetch_add(bytes as u64, Relaxed);
}

unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc(layout);
        if !p.is_null() {
            count(layout.size());
        }
        p
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc_zeroed(layout);
        if !p.is_null() {
            count(layout.size());
        }
        p
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = System.realloc(ptr, layout, new_size);
        if !p.is_null() {
            count(new_size);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }
}

/// Allocations so far, all threads.
pub fn totals() -> AllocCounts {
    SHARDS.iter().fold(AllocCounts::default(), |t, s| AllocCounts {
        allocs: t.allocs + s.allocs.load(Relaxed),
        bytes: t.bytes + s.bytes.load(Relaxed),
    })
}
