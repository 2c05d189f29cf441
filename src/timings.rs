//! Wall time per stage of a scan, for `check --timings`: measured always (a clock read per
//! stage), printed only when asked, never part of a report's output.

use std::time::{Duration, Instant};

/// The stages timed so far, and when the current one started.
#[derive(Debug)]
pub struct Stopwatch {
    laps: Vec<(&'static str, Duration)>,
    since: Instant,
}

impl Default for Stopwatch {
    fn default() -> Self {
        Stopwatch::start()
    }
}

impl Stopwatch {
    /// Starts timing the first stage.
    pub fn start() -> Self {
        Stopwatch {
            laps: Vec::new(),
            since: Instant::now(),
        }
    }

    /// Ends the current stage as `name` and starts the next.
    pub fn lap(&mut self, name: &'static str) {
        self.laps.push((name, self.since.elapsed()));
        self.since = Instant::now();
    }

    /// Records `name` as having taken `took` (measured elsewhere) before the current stage.
    pub fn record(&mut self, name: &'static str, took: Duration) {
        self.laps.push((name, took));
    }

    /// Takes over the stages another stopwatch timed inside the current stage, which then
    /// starts afresh.
    pub fn absorb(&mut self, inner: Stopwatch) {
        self.laps.extend(inner.laps);
        self.since = Instant::now();
    }

    /// The stages, in order.
    pub fn into_laps(self) -> Vec<(&'static str, Duration)> {
        self.laps
    }
}
