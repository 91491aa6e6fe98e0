//! Several engines (one per device, or CPU shards), one queue in front: the scheduling rule of
//! the OpenLedger whitepaper (§2.3.8, eq. 9) picks where a request runs, and waiting requests
//! migrate to an engine with room.
//!
//! The rule (OpenLedger whitepaper §2.3.8, eq. 9; migration: §2.3.9): `k* = argmax { R_k | R_k < B_max, M_k > M_required }`: among engines
//! whose batch has a free place (`R_k` running < `B_max`) and whose free KV memory `M_k` holds
//! the request's worst case (`M_required` = prompt + max_tokens positions), take the one running
//! the most requests. Packing requests onto the fullest engine keeps batches large (the base
//! weights are read once per step for more tokens) and leaves other engines free for long
//! requests. When no engine qualifies, the request waits on the engine with the shortest queue.

use crate::{
	error::{Error, Result},
	serving::engine::{Engine, Listener, Request, RequestId, StepReport},
};

/// The engines and the rule between them.
pub struct Router {
	engines: Vec<Engine>,
	migrations: u64,
}

/// What the rule sees of one engine.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Load {
	/// `R_k`: requests assigned to it (running, or admitted to its queue).
	pub running: usize,
	/// `B_max`.
	pub max_batch: usize,
	/// `M_k`: free KV memory, in positions.
	pub free_positions: usize,
	/// Requests waiting there.
	pub waiting: usize,
}

/// `k* = argmax { R_k | R_k < B_max, M_k > M_required }`; `None` when no engine qualifies.
pub fn pick(loads: &[Load], required_positions: usize) -> Option<usize> {
	loads
		.iter()
		.enumerate()
		.filter(|(_, l)| l.running < l.max_batch && l.free_positions > required_positions)
		// Ties go to the lower index, so a lightly loaded system fills engine 0 first.
		.max_by(|(a, la), (b, lb)| la.running.cmp(&lb.running).then(b.cmp(a)))
		.map(|(k, _)| k)
}

impl Router {
	pub fn new(mut engines: Vec<Engine>) -> Result<Self> {
		if engines.is_empty() {
			return Err(Error::Model("no engine configured".into()));
		}
		for (k, e) in engines.iter_mut().enumerate() {
			e.set_index(k);
		}
		Ok(Self { engines, migrations: 0 })
	}

	/// Requests moved between engines so far.
	pub fn migrations(&self) -> u64 {
		self.migrations
	}

	pub fn engines(&self) -> &[Engine] {
		&self.engines
	}

	pub fn engines_mut(&mut self) -> &mut [Engine] {
		&mut self.engines
	}

	fn loads(&self) -> Vec<Load> {
		self.engines
			.iter()
			.map(|e| Load {
				running: e.running() + e.waiting(),
				max_batch: e.config().max_batch_size,
				free_positions: e.free_positions(),
				waiting: e.waiting(),
			})
			.collect()
	}

	/// Places a request by the rule (or on the shortest queue) and queues it there.
	pub fn submit(&mut self, request: Request, events: impl Into<Listener>) -> Result<RequestId> {
		// Saturating: `max_tokens` is the client's, and the engine refuses what cannot fit.
		let required = request.prompt.len().saturating_add(request.sampling.max_tokens);
		let loads = self.loads();
		let k = pick(&loads, required).unwrap_or_else(|| {
			loads.iter().enumerate().min_by_key(|(_, l)| l.waiting).map_or(0, |(k, _)| k)
		});
		self.engines[k].submit(request, events)
	}

	pub fn is_idle(&self) -> bool {
		self.engines.iter().all(Engine::is_idle)
	}

	/// Cancels a request wherever it is.
	pub fn cancel(&mut self, id: RequestId) -> bool {
		self.engines.iter_mut().any(|e| e.cancel(id))
	}

	/// Moves requests that wait on an engine without room to engines the rule allows.
	/// Returns how many moved.
	pub fn migrate(&mut self) -> usize {
		let mut moved = 0;
		for from in 0..self.engines.len() {
			while !self.engines[from].can_admit_head() {
				let Some(required) = self.engines[from].head().map(|s| s.max_positions()) else {
					break;
				};
				let mut loads = self.loads();
				// The request leaves `from`: it may not go back there.
				loads[from].running = loads[from].max_batch;
				let Some(to) = pick(&loads, required) else { break };
				let Some(s) = self.engines[from].take_waiting() else { break };
				if let Err(e) = self.engines[to].enqueue(s) {
					log_failure(&e);
					break;
				}
				moved += 1;
			}
		}
		self.migrations += moved as u64;
		moved
	}

	/// One step of every engine with work, then migration.
	pub fn step(&mut self) -> Result<StepReport> {
		let mut total = StepReport::default();
		for e in self.engines.iter_mut().filter(|e| !e.is_idle()) {
			let r = e.step()?;
			total.rows += r.rows;
			total.sequences += r.sequences;
			total.sampled += r.sampled;
			total.preempted += r.preempted;
			total.finished += r.finished;
		}
		self.migrate();
		Ok(total)
	}
}

fn log_failure(e: &Error) {
	eprintln!("openlora: migration refused: {e}");
}

#[cfg(test)]
mod tests {
	use super::*;

	fn load(running: usize, free_positions: usize) -> Load {
		Load { running, max_batch: 8, free_positions, waiting: 0 }
	}

	#[test]
	fn picks_the_busiest_engine_with_room() {
		let loads = [load(2, 1000), load(5, 1000), load(7, 1000)];
		assert_eq!(pick(&loads, 100), Some(2));
	}

	#[test]
	fn full_batches_and_short_memory_do_not_qualify() {
		let loads = [load(3, 1000), load(8, 1000), load(6, 50)];
		// Engine 1 is full (R = B_max), engine 2 lacks memory: engine 0 it is.
		assert_eq!(pick(&loads, 100), Some(0));
		// M_k must exceed M_required strictly.
		assert_eq!(pick(&[load(0, 100)], 100), None);
		assert_eq!(pick(&[load(8, 1000)], 1), None);
	}

	#[test]
	fn ties_go_to_the_first_engine() {
		assert_eq!(pick(&[load(1, 500), load(1, 500)], 10), Some(0));
	}
}
