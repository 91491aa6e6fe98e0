//! A panic while serving one request fails that request only: [`Engine::step`] catches it, puts
//! the batch's requests back in the queue (recomputed from their tokens, like a preemption) and
//! runs them one at a time until each has ended, so that a second panic names its request alone.

use super::{Engine, Error, Event, RequestId, Result, StepReport};

impl Engine {
	/// Runs one batch step: admission, one forward pass, sampling, and the requests that end.
	///
	/// A panic inside a step (a bug, or a listener that panics) fails only the request that
	/// caused it, never the engine: the first panic puts the batch's requests back in the queue
	/// (recomputed from their tokens, like a preemption) and runs them one at a time until each
	/// has ended; a panic with one request running fails that request.
	pub fn step(&mut self) -> Result<StepReport> {
		match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.step_batch())) {
			Ok(report) => {
				self.forget_ended_suspects();
				report
			}
			Err(panic) => {
				let why = panic
					.downcast_ref::<&str>()
					.map(|s| s.to_string())
					.or_else(|| panic.downcast_ref::<String>().cloned())
					.unwrap_or_else(|| "unknown panic".into());
				Ok(self.recover_from_panic(&why))
			}
		}
	}

	/// After a panicking step: one running request is the culprit and fails; several go back to
	/// the queue as suspects.
	fn recover_from_panic(&mut self, why: &str) -> StepReport {
		let mut report = StepReport::default();
		if self.running.len() == 1 {
			let s = self.running.remove(0);
			self.blocks.release(s.blocks.iter().copied());
			self.stats.failed += 1;
			self.suspects.retain(|id| *id != s.id);
			let error = Error::Model(format!("serving this request failed ({why})"));
			// Its listener may be what panicked: telling it must not panic the engine again.
			let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
				let _ = s.events.send(Event::Failed(error));
			}));
			report.finished = 1;
			return report;
		}
		while let Some(last) = self.running.len().checked_sub(1) {
			self.suspects.push(self.running[last].id);
			self.preempt(last);
			report.preempted += 1;
		}
		report
	}

	fn forget_ended_suspects(&mut self) {
		if self.suspects.is_empty() {
			return;
		}
		let live =
			|id: &RequestId| self.running.iter().chain(self.waiting.iter()).any(|s| s.id == *id);
		let suspects = std::mem::take(&mut self.suspects);
		self.suspects = suspects.into_iter().filter(|id| live(id)).collect();
	}
}
