//! A progress bar on stderr, drawn only when stderr is a terminal.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

pub struct Progress {
    enabled: bool,
    total: u64,
    done: u64,
    start: Instant,
    last: Option<Instant>,
    label: String,
}

impl Progress {
    pub fn new(total: u64) -> Progress {
        Progress {
            enabled: std::io::stderr().is_terminal(),
            total,
            done: 0,
            start: Instant::now(),
            last: None,
            label: String::new(),
        }
    }

    pub fn set_label(&mut self, label: &str) {
        self.label = label.to_string();
        self.draw(true);
    }

    pub fn add(&mut self, bytes: u64) {
        self.done += bytes;
        self.draw(false);
    }

    fn draw(&mut self, force: bool) {
        if !self.enabled {
            return;
        }
        let now = Instant::now();
        if !force
            && self
                .last
                .is_some_and(|t| now - t < Duration::from_millis(100))
        {
            return;
        }
        self.last = Some(now);
        let frac = if self.total == 0 {
            1.0
        } else {
            (self.done as f64 / self.total as f64).min(1.0)
        };
        const WIDTH: usize = 30;
        let filled = (frac * WIDTH as f64) as usize;
        let secs = self.start.elapsed().as_secs_f64().max(1e-9);
        let mbs = self.done as f64 / 1e6 / secs;
        let mut label = self.label.clone();
        if label.chars().count() > 24 {
            label = label.chars().take(23).collect::<String>() + "…";
        }
        let _ = write!(
            std::io::stderr(),
            "\r\x1b[2K[{}{}] {:5.1}% {:>9.1} MB {:>8.1} MB/s  {}",
            "#".repeat(filled),
            " ".repeat(WIDTH - filled),
            frac * 100.0,
            self.done as f64 / 1e6,
            mbs,
            label
        );
    }

    /// Erase the bar.
    pub fn finish(&mut self) {
        if self.enabled && self.last.is_some() {
            let _ = write!(std::io::stderr(), "\r\x1b[2K");
            let _ = std::io::stderr().flush();
        }
        self.enabled = false;
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}
