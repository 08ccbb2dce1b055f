//! wb_peers: wakerbench's thread workloads on Rust channels people already use (crossbeam-channel,
//! flume, async-channel, tokio::sync::mpsc), reported as Google Benchmark JSON with wb_bench's
//! names and counters, so scripts/report reads them as peer rows. See README.md.

mod alloc_count;
mod barrier;
mod cli;
mod context;
mod crew;
mod filter;
mod json;
mod machine;
mod measure;
mod party;
mod peer;
mod peers;
mod report;
mod rig;
mod spec;

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::exit;
use std::time::{SystemTime, UNIX_EPOCH};

use cli::{Command, Format, Options};
use json::{Object, Value};
use machine::Machine;
use measure::Settings;
use report::{Identity, Outcome};
use spec::{Spec, BATCHES, CAPACITIES, MODES};

#[global_allocator]
static ALLOCATOR: alloc_count::CountingAllocator = alloc_count::CountingAllocator;

/// A selected benchmark: its point, its peer (an index into peers::all()) and, if the peer cannot
/// run it, why.
struct Benchmark {
    spec: Spec,
    name: String,
    peer: usize,
    skip: Option<String>,
}

fn main() {
    let args: Vec<String> = std::env::args_os()
        .map(|a| a.into_string().unwrap_or_else(|a| usage_error(&format!("argument {:?} is not UTF-8", a))))
        .collect();
    let options = match cli::parse(&args[1..]) {
        Ok(Command::Run(options)) => options,
        Ok(Command::Help) => {
            print!("{}", cli::USAGE);
            return;
        }
        Err(message) => usage_error(&message),
    };
    let machine = Machine::from_env().unwrap_or_else(|message| usage_error(&message));
    let peers = peers::all();
    let benchmarks = select(&options, &machine, &peers);

    if options.list_tests {
        let names: String = benchmarks.iter().map(|b| b.name.clone() + "\n").collect();
        print_or_exit(&names);
        return;
    }
    if let Some(path) = &options.out {
        check_writable(path);
    }
    if benchmarks.is_empty() {
        // Not an error (a sweep's filter may leave the peers nothing), as in Google Benchmark.
        eprintln!("wb_peers: --benchmark_filter='{}' matches no benchmark; nothing to run", options.filter.text());
    }

    let peer_names: Vec<&str> = peers.iter().map(|p| p.info.name).collect();
    let context = context::context(&args[0], &machine, &peer_names, options.pin);
    let outcomes = run_all(&options, &benchmarks, &peers);

    let document = document(context, &benchmarks, &outcomes, options.repetitions).pretty();
    if options.format == Format::Json {
        print_or_exit(&document);
    }
    if let Some(path) = &options.out {
        if let Err(e) = write_atomically(path, &document) {
            eprintln!("wb_peers: cannot write --benchmark_out={}: {}", path.display(), e);
            exit(1);
        }
    }
    let failures = outcomes.iter().flatten().filter(|o| matches!(o, Outcome::Failed(_))).count();
    if failures > 0 {
        eprintln!("wb_peers: {} repetition(s) FAILED the exactly-once check (see their error_message)", failures);
        exit(1);
    }
}

/// Writes to stdout; a reader that has gone (`| head`) ends the program quietly, as it would end
/// a C program by SIGPIPE, rather than with a panic about printing.
fn print_or_exit(text: &str) {
    let mut out = io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => exit(0),
        Err(e) => {
            eprintln!("wb_peers: cannot write to stdout: {}", e);
            exit(1);
        }
    }
}

fn usage_error(message: &str) -> ! {
    eprintln!("wb_peers: {}", message);
    eprintln!("wb_peers: run with --help for the flags it takes");
    exit(2);
}

/// Every point of the matrix the filter selects, in the listing's order: workload, capacity,
/// batch, mode, then the peers side by side (neighbours in time compare best).
fn select(options: &Options, machine: &Machine, peers: &[peers::Entry]) -> Vec<Benchmark> {
    let mut selected = Vec::new();
    for &workload in &spec::thread_workloads(&machine.scaling_widths()) {
        for &capacity in &CAPACITIES {
            for &batch in &BATCHES {
                for &mode in &MODES {
                    for (peer, entry) in peers.iter().enumerate() {
                        let spec = Spec { workload, peer: entry.info.name, capacity, batch, mode };
                        let name = spec.name();
                        if options.filter.selects(&name) {
                            selected.push(Benchmark { skip: spec.skip_reason(&entry.info), spec, name, peer });
                        }
                    }
                }
            }
        }
    }
    selected
}

/// Runs every (benchmark, repetition) pair, shuffled with --benchmark_enable_random_interleaving
/// (a slow minute of the machine is then spread over every benchmark). Returns each benchmark's
/// outcomes by repetition.
fn run_all(options: &Options, benchmarks: &[Benchmark], peers: &[peers::Entry]) -> Vec<Vec<Outcome>> {
    let settings = Settings { min_time: options.min_time, pin: options.pin };
    let reps = options.repetitions;
    let mut order: Vec<(usize, usize)> = (0..benchmarks.len()).flat_map(|b| (0..reps).map(move |r| (b, r))).collect();
    if options.random_interleaving {
        shuffle(&mut order);
    }
    let width = benchmarks.iter().map(|b| b.name.len()).max().unwrap_or(0);
    let mut progress = Progress::from_env();
    let mut outcomes: Vec<Vec<Option<Outcome>>> =
        benchmarks.iter().map(|_| (0..reps).map(|_| None).collect()).collect();
    for (b, r) in order {
        let benchmark = &benchmarks[b];
        let outcome = match &benchmark.skip {
            Some(reason) => Outcome::NotApplicable(reason.clone()),
            None => match peers[benchmark.peer].run(&benchmark.spec, &settings) {
                Ok(measured) => Outcome::Measured(measured),
                Err(message) => Outcome::Failed(message),
            },
        };
        if options.format == Format::Console {
            // The console is for watching; the JSON is the result, so a closed stdout stops nothing.
            let _ = writeln!(io::stdout(), "{}", report::console_line(&benchmark.name, width, &outcome));
        }
        if let Outcome::Failed(message) = &outcome {
            eprintln!("wb_peers: {}: {}", benchmark.name, message);
        }
        progress.tick();
        outcomes[b][r] = Some(outcome);
    }
    outcomes.into_iter().map(|reps| reps.into_iter().map(|o| o.expect("every repetition ran")).collect()).collect()
}

fn document(context: Value, benchmarks: &[Benchmark], outcomes: &[Vec<Outcome>], repetitions: usize) -> Value {
    let mut entries = Vec::new();
    for (family_index, (b, outcomes)) in benchmarks.iter().zip(outcomes).enumerate() {
        let id = Identity { name: &b.name, peer: b.spec.peer, family_index, repetitions };
        entries.extend(report::entries(&id, outcomes));
    }
    let mut doc = Object::new();
    doc.set("context", context).set("benchmarks", Value::Arr(entries));
    doc.done()
}

/// Refuses an output path whose directory cannot be written, before hours of running.
fn check_writable(path: &Path) {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let probe = temporary_beside(path);
    match OpenOptions::new().write(true).create_new(true).open(&probe) {
        Ok(_) => {
            let _ = fs::remove_file(&probe);
        }
        Err(e) => {
            usage_error(&format!("--benchmark_out={}: cannot create files in {}: {}", path.display(), dir.display(), e))
        }
    }
}

fn temporary_beside(path: &Path) -> PathBuf {
    let mut name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(format!(".tmp-{}", std::process::id()));
    path.with_file_name(name)
}

/// Writes `text` to a temporary file beside `path`, then renames it over `path`: a reader sees
/// the old file or the whole new one, never a partial one.
fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let temporary = temporary_beside(path);
    let written = (|| {
        let mut f = OpenOptions::new().write(true).create(true).truncate(true).open(&temporary)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        fs::rename(&temporary, path)
    })();
    if written.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    written
}

/// WAKERBENCH_PROGRESS_FILE: one byte appended after each repetition run (n/a ones too), whose
/// count scripts/sweep's progress.py turns into a share of the sweep. Unset: nothing is opened.
struct Progress(Option<fs::File>);

impl Progress {
    fn from_env() -> Progress {
        let file = std::env::var_os("WAKERBENCH_PROGRESS_FILE")
            .filter(|path| !path.is_empty())
            .and_then(|path| OpenOptions::new().append(true).create(true).open(path).ok());
        Progress(file)
    }
    fn tick(&mut self) {
        if let Some(f) = &mut self.0 {
            let _ = f.write_all(b"."); // a lost tick only makes the estimate a little late
        }
    }
}

/// Fisher-Yates with splitmix64, seeded from the clock and the pid: a different order each run,
/// as Google Benchmark's random interleaving, with no crate for it.
fn shuffle<T>(items: &mut [T]) {
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos() as u64).unwrap_or(0);
    let mut state = nanos ^ (u64::from(std::process::id()) << 32);
    let mut next = move || {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    for i in (1..items.len()).rev() {
        let j = (next() % (i as u64 + 1)) as usize;
        items.swap(i, j);
    }
}
