//! The command line: the subset of Google Benchmark 1.7's flags that scripts/sweep passes, spelled
//! the same (`--flag=value`), plus wb_bench's `--pin`. Anything else is refused with a message that
//! names it (exit status 2, in main.rs).

use std::path::PathBuf;

use crate::filter::Filter;

pub const USAGE: &str = "\
usage: wb_peers [FLAG...]

Runs wakerbench's thread workloads (seq, spsc, mpscP, mpmcPxP, ping_pong) on Rust channels
(crossbeam-channel, flume, async-channel, tokio::sync::mpsc) and reports them as Google
Benchmark JSON, with wb_bench's names and counters (bench/peers/rust/README.md).

  --benchmark_list_tests[=true|false]   print the names the filter selects, run nothing
  --benchmark_filter=REGEX              POSIX extended regex searched in each name ('-REGEX': not matching)
  --benchmark_repetitions=N             repetitions of each benchmark (default 1)
  --benchmark_min_time=SECONDS          measured time per repetition, at least one round (default 0.5)
  --benchmark_enable_random_interleaving[=true|false]
                                        run all (benchmark, repetition) pairs in random order
  --benchmark_out=FILE                  also write the JSON to FILE (atomically: a temporary, then rename)
  --benchmark_out_format=json           the only format for FILE
  --benchmark_format=console|json       what goes to stdout (default console)
  --benchmark_display_aggregates_only[=BOOL], --benchmark_counters_tabular[=BOOL]
                                        accepted for scripts/sweep; no effect
  --pin                                 pin party i to the i-th CPU of the affinity mask when the
                                        parties fit (as wb_bench --pin); recorded as wakerbench_pinned
  --help                                this text

Environment: WAKERBENCH_PROGRESS_FILE (append one byte per repetition run), WAKERBENCH_CPUS
(the CPU count the scaling widths follow, instead of the affinity mask's).
";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Console,
    Json,
}

pub struct Options {
    pub list_tests: bool,
    pub filter: Filter,
    pub repetitions: usize,
    pub min_time: f64,
    pub random_interleaving: bool,
    pub out: Option<PathBuf>,
    pub format: Format,
    pub pin: bool,
}

pub enum Command {
    Help,
    Run(Options),
}

/// Parses the arguments after the program name.
pub fn parse(args: &[String]) -> Result<Command, String> {
    let mut o = Options {
        list_tests: false,
        filter: Filter::new("")?,
        repetitions: 1,
        min_time: 0.5,
        random_interleaving: false,
        out: None,
        format: Format::Console,
        pin: false,
    };
    for arg in args {
        let (flag, value) = match arg.split_once('=') {
            Some((flag, value)) => (flag, Some(value)),
            None => (arg.as_str(), None),
        };
        match flag {
            "--help" | "-h" => return Ok(Command::Help),
            "--pin" if value.is_none() => o.pin = true,
            "--pin" => return Err(format!("'{}': --pin takes no value", arg)),
            "--benchmark_list_tests" => o.list_tests = boolean(flag, value)?,
            "--benchmark_enable_random_interleaving" => o.random_interleaving = boolean(flag, value)?,
            "--benchmark_display_aggregates_only" | "--benchmark_counters_tabular" => {
                boolean(flag, value)?;
            }
            "--benchmark_filter" => o.filter = Filter::new(required(flag, value, "REGEX")?)?,
            "--benchmark_repetitions" => {
                let text = required(flag, value, "N")?;
                o.repetitions = match text.parse::<usize>() {
                    Ok(n) if n >= 1 => n,
                    _ => return Err(format!("'{}': repetitions must be a whole number >= 1", arg)),
                };
            }
            "--benchmark_min_time" => {
                let text = required(flag, value, "SECONDS")?;
                let seconds = text.strip_suffix('s').unwrap_or(text);
                o.min_time = match seconds.parse::<f64>() {
                    Ok(s) if s.is_finite() && s >= 0.0 => s,
                    _ => return Err(format!("'{}': the minimum time must be a number of seconds >= 0, e.g. 0.5", arg)),
                };
            }
            "--benchmark_out" => {
                let path = required(flag, value, "FILE")?;
                if path.is_empty() {
                    return Err(format!("'{}': name the file to write, e.g. --benchmark_out=peers.json", arg));
                }
                o.out = Some(PathBuf::from(path));
            }
            "--benchmark_out_format" => match required(flag, value, "json")? {
                "json" => {}
                other => {
                    return Err(format!(
                        "'--benchmark_out_format={}': wb_peers writes its --benchmark_out file as json only",
                        other
                    ))
                }
            },
            "--benchmark_format" => {
                o.format = match required(flag, value, "console|json")? {
                    "console" => Format::Console,
                    "json" => Format::Json,
                    other => return Err(format!("'--benchmark_format={}': wb_peers prints console or json", other)),
                }
            }
            _ if arg.starts_with('-') => {
                return Err(format!(
                    "unknown flag '{}' (wb_peers takes the Google Benchmark flags listed by --help)",
                    arg
                ))
            }
            _ => return Err(format!("unexpected argument '{}': wb_peers takes flags only (see --help)", arg)),
        }
    }
    Ok(Command::Run(o))
}

fn required<'a>(flag: &str, value: Option<&'a str>, what: &str) -> Result<&'a str, String> {
    value.ok_or_else(|| format!("'{}' needs a value: {}={}", flag, flag, what))
}

/// A boolean flag: bare means true; otherwise true/false (or 1/0, yes/no, on/off).
fn boolean(flag: &str, value: Option<&str>) -> Result<bool, String> {
    let text = match value {
        Some(text) => text,
        None => return Ok(true),
    };
    match text.to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Ok(true),
        "false" | "0" | "no" | "off" => Ok(false),
        _ => Err(format!("'{}={}': the value must be true or false", flag, text)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(args: &[&str]) -> Result<Options, String> {
        match parse(&args.iter().map(|s| s.to_string()).collect::<Vec<_>>())? {
            Command::Run(o) => Ok(o),
            Command::Help => Err("help".into()),
        }
    }

    #[test]
    fn takes_what_the_sweep_passes() {
        let o = run(&[
            "--benchmark_filter=^spsc/",
            "--benchmark_repetitions=3",
            "--benchmark_min_time=0.05",
            "--benchmark_enable_random_interleaving=true",
            "--benchmark_display_aggregates_only=true",
            "--benchmark_counters_tabular=false",
            "--benchmark_out_format=json",
            "--benchmark_out=x.json",
            "--pin",
        ])
        .unwrap();
        assert_eq!((o.repetitions, o.min_time, o.random_interleaving, o.pin), (3, 0.05, true, true));
        assert_eq!(o.out, Some(PathBuf::from("x.json")));
        assert!(o.filter.selects("spsc/x") && !o.filter.selects("seq/x"));
    }

    #[test]
    fn names_what_is_wrong() {
        assert!(run(&["--benchmark_repetitions=0"]).err().unwrap().contains("repetitions"));
        assert!(run(&["--benchmark_min_time=soon"]).err().unwrap().contains("--benchmark_min_time=soon"));
        assert!(run(&["--benchmark_filter"]).err().unwrap().contains("needs a value"));
        assert!(run(&["--min_time_for=0.1:x"]).err().unwrap().contains("unknown flag '--min_time_for=0.1:x'"));
        assert!(run(&["--benchmark_list_tests=maybe"]).err().unwrap().contains("true or false"));
        assert!(run(&["--benchmark_out_format=csv"]).is_err());
    }
}
