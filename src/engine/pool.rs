//! Background chunk filtering: persistent worker threads, one per core,
//! that run the filter pipeline over complete chunks while the caller keeps
//! adding rows. Chunks go in numbered; their results come out in the same
//! order, one at a time, when the engine asks (a small reorder buffer), so
//! the file's layout does not depend on which thread finished first. The pool knows nothing of files: the engine
//! decides how many chunks may be in flight and writes the results.
//!
//! The threads start with the first chunk submitted (a file that compresses
//! nothing starts none) and end when the pool is dropped. A filter that
//! panics (a bug) is caught and reported as [`Error::Bug`]; it never leaves
//! the caller waiting.

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use crate::error::{Error, Result};
use crate::format::filter_pipeline::Filter;

/// One complete chunk to filter.
pub(crate) struct Job {
    /// The dataset (engine node id).
    pub id: usize,
    /// The chunk's coordinates.
    pub coords: Vec<u64>,
    /// Its bytes, unfiltered.
    pub data: Vec<u8>,
    /// The dataset's filter pipeline.
    pub filters: Arc<[Filter]>,
}

/// A filtered chunk (or the error filtering it), in submission order.
pub(crate) struct Done {
    pub id: usize,
    pub coords: Vec<u64>,
    /// The filtered bytes and the filter mask, as `filters::apply` gives.
    pub out: Result<(Vec<u8>, u32)>,
}

/// Test builds only: a chunk starting with these bytes fails to filter,
/// to prove how a codec error in a worker surfaces.
#[cfg(test)]
pub(crate) const FAIL_PILL: &[u8] = b"h5sink-test-filter-failure";

/// The worker threads and the chunks in flight.
#[derive(Default)]
pub(crate) struct Pool {
    workers: Vec<JoinHandle<()>>,
    jobs: Option<Sender<(u64, Job)>>,
    done: Option<Receiver<(u64, Done)>>,
    /// Results that came back before an earlier chunk's.
    ready: BTreeMap<u64, Done>,
    /// Number of the next chunk submitted.
    next_in: u64,
    /// Number of the next chunk handed back.
    next_out: u64,
    /// The most chunks ever in flight at once.
    peak: usize,
}

/// Cores available: the pool's thread count.
pub(crate) fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

impl Pool {
    /// Chunks submitted and not yet handed back.
    pub fn in_flight(&self) -> usize {
        usize::try_from(self.next_in - self.next_out).unwrap_or(usize::MAX)
    }

    /// The most chunks that were in flight at once.
    #[cfg(test)]
    pub fn peak(&self) -> usize {
        self.peak
    }

    /// Queue `job` for a worker (starting the workers on first use).
    pub fn submit(&mut self, job: Job) -> Result<()> {
        if self.jobs.is_none() {
            self.start()?;
        }
        let sent = self
            .jobs
            .as_ref()
            .map(|tx| tx.send((self.next_in, job)).is_ok());
        if sent != Some(true) {
            return Err(Error::Bug {
                what: "the chunk filter threads are gone".into(),
            });
        }
        self.next_in += 1;
        self.peak = self.peak.max(self.in_flight());
        Ok(())
    }

    /// The first chunk that failed to filter, among those finished, without
    /// waiting: its dataset, coordinates and error.
    pub fn failure(&mut self) -> Option<(usize, Vec<u64>, String)> {
        if let Some(rx) = &self.done {
            while let Ok((seq, d)) = rx.try_recv() {
                self.ready.insert(seq, d);
            }
        }
        self.ready.values().find_map(|d| match &d.out {
            Err(e) => Some((d.id, d.coords.clone(), e.to_string())),
            Ok(_) => None,
        })
    }

    /// Wait for the oldest chunk in flight and hand it back (`None` if none
    /// is in flight). Chunks come back only through here, oldest first, so
    /// where they land in the file never depends on thread timing.
    pub fn oldest(&mut self) -> Result<Option<Done>> {
        if self.in_flight() == 0 {
            return Ok(None);
        }
        while !self.ready.contains_key(&self.next_out) {
            let got = self.done.as_ref().map(|rx| rx.recv());
            match got {
                Some(Ok((seq, d))) => {
                    self.ready.insert(seq, d);
                }
                _ => {
                    return Err(Error::Bug {
                        what: format!(
                            "the chunk filter threads stopped with {} chunks in flight",
                            self.in_flight()
                        ),
                    })
                }
            }
        }
        let d = self.ready.remove(&self.next_out);
        self.next_out += 1;
        Ok(d)
    }

    fn start(&mut self) -> Result<()> {
        let (job_tx, job_rx) = channel::<(u64, Job)>();
        let (done_tx, done_rx) = channel::<(u64, Done)>();
        let job_rx = Arc::new(Mutex::new(job_rx));
        for i in 0..cores() {
            let (rx, tx) = (Arc::clone(&job_rx), done_tx.clone());
            let handle = std::thread::Builder::new()
                .name(format!("h5sink-filter-{i}"))
                .spawn(move || work(&rx, &tx))
                .map_err(|e| Error::Bug {
                    what: format!("starting chunk filter thread {i}: {e}"),
                })?;
            self.workers.push(handle);
        }
        self.jobs = Some(job_tx);
        self.done = Some(done_rx);
        Ok(())
    }
}

/// A worker: filter jobs until the pool hangs up.
fn work(jobs: &Mutex<Receiver<(u64, Job)>>, done: &Sender<(u64, Done)>) {
    loop {
        let next = jobs.lock().unwrap_or_else(|p| p.into_inner()).recv();
        let Ok((seq, job)) = next else { return };
        let out = catch_unwind(AssertUnwindSafe(|| filter(&job.filters, &job.data)))
            .unwrap_or_else(|_| {
                Err(Error::Bug {
                    what: format!("a chunk filter panicked on chunk {:?}", job.coords),
                })
            });
        // The chunk's bytes are spent: keep the buffer for a later chunk.
        crate::filters::buffers::give(job.data);
        let d = Done {
            id: job.id,
            coords: job.coords,
            out,
        };
        if done.send((seq, d)).is_err() {
            return;
        }
    }
}

/// Run `filters` over one chunk (here or inline, on one core).
pub(crate) fn filter(filters: &[Filter], data: &[u8]) -> Result<(Vec<u8>, u32)> {
    #[cfg(test)]
    if data.starts_with(FAIL_PILL) {
        return Err(Error::InvalidArgument {
            what: "test chunk",
            value: String::from_utf8_lossy(FAIL_PILL).into_owned(),
            reason: "it starts with the test failure pill",
        });
    }
    crate::filters::apply(filters, data)
}

impl Drop for Pool {
    fn drop(&mut self) {
        // Hang up: each worker ends after its current chunk.
        self.jobs = None;
        for w in self.workers.drain(..) {
            let _ = w.join();
        }
    }
}

impl std::fmt::Debug for Pool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pool")
            .field("threads", &self.workers.len())
            .field("in_flight", &self.in_flight())
            .finish()
    }
}
