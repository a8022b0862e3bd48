//! Crash tests with real processes: the test binary re-runs itself as a
//! child that runs one test (selected by environment variables), and the
//! parent kills it with SIGKILL at a chosen moment.

use std::ffi::OsStr;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The name libtest gives test `test` of the module `module` (pass
/// `module_path!()`): the module path without the crate's name, so that a
/// child selected with `--exact` is found in a binary of several modules
/// (`crash_kill::crash_child` in `tests/resume/`), and `test` alone in a
/// binary's root module.
pub fn test_path(module: &str, test: &str) -> String {
    match module.split_once("::") {
        Some((_, inner)) => format!("{inner}::{test}"),
        None => test.to_string(),
    }
}

/// Runs this test binary as a child running only the test `test` (its
/// full name: [`test_path`]), with
/// `envs`; kills it (SIGKILL: no destructor, no flush, no close) after
/// `kill`, or lets it finish with `None` (then it must succeed). Returns
/// every number the child printed after `FLUSHED `, in order.
pub fn run_child(test: &str, envs: &[(&str, &OsStr)], kill: Option<Duration>) -> Vec<usize> {
    let exe = std::env::current_exe().expect("the test binary");
    let mut child = Command::new(exe)
        .args(["--exact", test, "--nocapture", "--test-threads=1"])
        .envs(envs.iter().map(|&(k, v)| (k, v)))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn the child");
    let stdout = child.stdout.take().expect("the child's stdout");
    let reader = std::thread::spawn(move || {
        let mut seen = Vec::new();
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            // The harness may print "test NAME ... " before it.
            if let Some((_, n)) = line.split_once("FLUSHED ") {
                seen.extend(n.trim().parse::<usize>().ok());
            }
        }
        seen
    });
    let start = Instant::now();
    let limit = kill.unwrap_or(Duration::from_secs(600));
    while start.elapsed() < limit {
        if child.try_wait().expect("wait").is_some() {
            break;
        }
        std::thread::sleep(Duration::from_micros(200));
    }
    let _ = child.kill();
    let status = child.wait().expect("wait");
    if kill.is_none() {
        assert!(status.success(), "child {test} failed: {status}");
    }
    reader.join().expect("the reader thread")
}

/// A seed from the clock (print it, to reproduce a run).
pub fn clock_seed() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(1, |d| d.as_nanos() as u64)
        | 1
}

/// xorshift64*.
pub fn rng(seed: &mut u64) -> u64 {
    *seed ^= *seed >> 12;
    *seed ^= *seed << 25;
    *seed ^= *seed >> 27;
    seed.wrapping_mul(0x2545_F491_4F6C_DD1D)
}
