//! Paid admission: which requests this node takes on, decided atomically and durably.
//!
//! A request is *reserved* — its id and what it holds of the user's balance — under one lock,
//! together with the chain's check, and written to disk before any work is done. Two copies of
//! one request, or a user's requests sent at once, therefore cannot both pass the check: the
//! second sees the first's reservation. A restart reloads the reservations of every answer not
//! yet settled, so it forgets nothing that can be charged.
//!
//! **Exposure.** A request the user signed off-chain is answered before it is in escrow: the
//! worker brings it on-chain (`feeSplit.submitSignedRequest`) with its settlement. Until then the
//! user could move their funds away and the answer would go unpaid. The node bounds what it
//! risks: the chain checks at admission that the user's free balance covers this request's
//! `max_fee` *plus* every `max_fee` this node already holds for them unopened; at most
//! [`MAX_UNOPENED_PER_USER`] such requests per user and [`MAX_UNOPENED`] in all are outstanding;
//! and a request must leave [`MIN_BLOCKS_TO_SETTLE`] blocks before its expiry. So the node's loss,
//! if every user drained their account right after being answered, is at most the sum of the
//! `max_fee`s of [`MAX_UNOPENED`] requests — each covered by its user's balance when admitted —
//! and lasts until the worker's next settlement batch. A request already in escrow risks nothing:
//! its `max_fee` is held on-chain.

use crate::{
	paid::store::{Reservation, SettlementStore},
	serving::error::{ServingError, ServingResult},
};
use openledger_runtime::{AccountId, Balance, BlockNumber};
use sp_core::H256;
use std::{
	collections::HashMap,
	sync::{Arc, Mutex},
};

/// Blocks a request must have left before it expires for this node to answer it: answering,
/// attribution and the worker's extrinsic must all land before the escrow refunds it.
pub const MIN_BLOCKS_TO_SETTLE: BlockNumber = 10;
/// Off-chain signed requests one user may have answered and not yet in escrow.
pub const MAX_UNOPENED_PER_USER: usize = 8;
/// Off-chain signed requests answered and not yet in escrow, all users together.
pub const MAX_UNOPENED: usize = 64;
/// Reservations of any kind (their files are the store's growth per request).
pub const MAX_RESERVED: usize = 4096;

struct Held {
	reservation: Reservation,
	/// The escrow holds it now (a signed request brought on-chain): it no longer counts against
	/// the user's balance here.
	opened: bool,
}

impl Held {
	fn unopened_by(&self, user: &AccountId) -> bool {
		!self.opened && self.reservation.signed_by.as_ref() == Some(user)
	}

	fn unopened(&self) -> bool {
		!self.opened && self.reservation.signed_by.is_some()
	}
}

/// The reservations; see the module's docs.
pub struct Admission {
	store: Arc<SettlementStore>,
	held: Mutex<HashMap<H256, Held>>,
}

impl Admission {
	/// Loads the reservations a previous run left. One whose answer the stop cut short (no
	/// answer was recorded) is released: nothing of it can be charged, and the user may ask
	/// again; the others hold as before.
	pub fn open(store: Arc<SettlementStore>) -> Self {
		let mut held = HashMap::new();
		for (id, reservation) in store.reservations() {
			if store.answered(&id) {
				held.insert(id, Held { reservation, opened: false });
			} else if let Err(e) = store.remove_reservation(&id) {
				log::warn!(target: "attribution", "releasing the unanswered reservation of {id:?}: {e}");
			}
		}
		Self { store, held: Mutex::new(held) }
	}

	/// Reserves request `id`, or says why not. Under the lock, in order: expired reservations
	/// are dropped and signed ones the escrow now holds (`in_escrow`) stop counting; a request
	/// already reserved or answered is refused; so is one expiring too soon, or beyond the
	/// bounds; then `chain_check` runs with what this node already holds unopened for the same
	/// user, and only if it passes is the reservation written and taken.
	pub fn reserve(
		&self,
		id: H256,
		reservation: Reservation,
		now: BlockNumber,
		in_escrow: impl Fn(&H256) -> bool,
		chain_check: impl FnOnce(Balance) -> ServingResult<()>,
	) -> ServingResult<()> {
		let mut held = self.held.lock().unwrap_or_else(|e| e.into_inner());
		held.retain(|other, h| {
			if h.reservation.expires_at <= now {
				let _ = self.store.remove_reservation(other);
				return false;
			}
			if h.unopened() && in_escrow(other) {
				h.opened = true;
			}
			true
		});
		if held.contains_key(&id) || self.store.answered(&id) {
			return Err(ServingError::refused(format!("request {id:?} was already answered")));
		}
		let last = now.saturating_add(MIN_BLOCKS_TO_SETTLE);
		if reservation.expires_at < last {
			return Err(ServingError::refused(format!(
				"request {id:?} expires at block {}: this node answers only requests that leave \
				 {MIN_BLOCKS_TO_SETTLE} blocks to settle (block {last} or later)",
				reservation.expires_at
			)));
		}
		if held.len() >= MAX_RESERVED {
			return Err(ServingError::Busy(format!(
				"{MAX_RESERVED} paid requests are already waiting to settle"
			)));
		}
		let also_held = match &reservation.signed_by {
			Some(user) => {
				let mine = held.values().filter(|h| h.unopened_by(user));
				if mine.clone().count() >= MAX_UNOPENED_PER_USER {
					return Err(ServingError::refused(format!(
						"{MAX_UNOPENED_PER_USER} signed requests of this user are answered and not \
						 yet in escrow: put this one in escrow, or wait for them to settle"
					)));
				}
				if held.values().filter(|h| h.unopened()).count() >= MAX_UNOPENED {
					return Err(ServingError::Busy(format!(
						"{MAX_UNOPENED} signed requests are answered and not yet in escrow"
					)));
				}
				mine.fold(0, |sum: Balance, h| sum.saturating_add(h.reservation.max_fee))
			}
			None => 0,
		};
		chain_check(also_held)?;
		self.store
			.put_reservation(&id, &reservation)
			.map_err(|e| ServingError::Internal(format!("recording the reservation: {e}")))?;
		held.insert(id, Held { reservation, opened: false });
		Ok(())
	}

	/// Gives a reservation back: answering it failed before there was an answer.
	pub fn release(&self, id: &H256) {
		let mut held = self.held.lock().unwrap_or_else(|e| e.into_inner());
		if held.remove(id).is_some() {
			if let Err(e) = self.store.remove_reservation(id) {
				log::warn!(target: "attribution", "releasing the reservation of {id:?}: {e}");
			}
		}
	}

	/// Forgets a request that left the store (settled, refunded or expired).
	pub fn forget(&self, id: &H256) {
		self.held.lock().unwrap_or_else(|e| e.into_inner()).remove(id);
	}

	/// Reservations held now.
	#[cfg(test)]
	pub fn len(&self) -> usize {
		self.held.lock().unwrap_or_else(|e| e.into_inner()).len()
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use sp_core::crypto::AccountId32;

	/// A store in a temporary directory, removed when the guard drops.
	struct Temp(std::path::PathBuf);

	impl Drop for Temp {
		fn drop(&mut self) {
			let _ = std::fs::remove_dir_all(&self.0);
		}
	}

	fn temp(name: &str) -> (Arc<SettlementStore>, Temp) {
		let dir = std::env::temp_dir().join(format!("admission-{name}-{}", std::process::id()));
		let _ = std::fs::remove_dir_all(&dir);
		(Arc::new(SettlementStore::open(dir.clone()).unwrap()), Temp(dir))
	}

	fn signed(user: u8, max_fee: Balance) -> Reservation {
		Reservation { signed_by: Some(AccountId32::new([user; 32])), max_fee, expires_at: 100 }
	}

	/// The chain's check of a signed request: the user's balance covers this one and the others.
	fn balance_covers(
		balance: Balance,
		max_fee: Balance,
	) -> impl FnOnce(Balance) -> ServingResult<()> {
		move |also_held| {
			(also_held + max_fee <= balance)
				.then_some(())
				.ok_or_else(|| ServingError::refused("InsufficientBalance"))
		}
	}

	#[test]
	fn concurrent_copies_of_one_request_are_answered_once() {
		let (store, _dir) = temp("copies");
		let admission = Arc::new(Admission::open(store));
		let id = H256::repeat_byte(1);
		let taken: usize = std::thread::scope(|s| {
			let handles: Vec<_> = (0..16)
				.map(|_| {
					let admission = admission.clone();
					s.spawn(move || {
						admission
							.reserve(id, signed(1, 10), 0, |_| false, balance_covers(1_000, 10))
							.is_ok() as usize
					})
				})
				.collect();
			handles.into_iter().map(|h| h.join().unwrap()).sum()
		});
		assert_eq!(taken, 1);
	}

	#[test]
	fn a_users_concurrent_requests_never_exceed_their_balance() {
		// Balance 100, requests of 30: three fit, whatever the interleaving.
		let (store, _dir) = temp("balance");
		let admission = Arc::new(Admission::open(store));
		let taken: usize = std::thread::scope(|s| {
			let handles: Vec<_> = (0..8u8)
				.map(|n| {
					let admission = admission.clone();
					s.spawn(move || {
						let id = H256::repeat_byte(10 + n);
						admission
							.reserve(id, signed(1, 30), 0, |_| false, balance_covers(100, 30))
							.is_ok() as usize
					})
				})
				.collect();
			handles.into_iter().map(|h| h.join().unwrap()).sum()
		});
		assert_eq!(taken, 3);
		// Once the escrow holds one, it no longer counts here: 60 held, 30 more fit.
		let first = *admission.held.lock().unwrap().keys().next().unwrap();
		let in_escrow = move |id: &H256| *id == first;
		let next = H256::repeat_byte(99);
		assert!(admission
			.reserve(next, signed(1, 30), 0, in_escrow, balance_covers(100, 30))
			.is_ok());
	}

	#[test]
	fn a_restart_forgets_no_answered_reservation() {
		use crate::paid::store::Answered;
		let (store, _dir) = temp("restart");
		let admission = Admission::open(store.clone());
		let (answered, cut_short) = (H256::repeat_byte(3), H256::repeat_byte(4));
		admission.reserve(answered, signed(1, 60), 0, |_| false, balance_covers(100, 60)).unwrap();
		store
			.put_answer(&Answered {
				request: answered,
				version: 0,
				adapter: "a".into(),
				prompt: vec![1],
				output: vec![2],
				tokens_in: 1,
				tokens_out: 1,
				output_hash: H256::zero(),
				signed_request: None,
			})
			.unwrap();
		admission.reserve(cut_short, signed(2, 60), 0, |_| false, balance_covers(100, 60)).unwrap();
		drop(admission);
		let reopened = Admission::open(store);
		// The answered request again, and another that its held 60 leaves no room for.
		let again =
			reopened.reserve(answered, signed(1, 60), 0, |_| false, balance_covers(100, 60));
		assert!(again.unwrap_err().to_string().contains("already answered"));
		let other = H256::repeat_byte(5);
		assert!(reopened
			.reserve(other, signed(1, 60), 0, |_| false, balance_covers(100, 60))
			.is_err());
		// The one whose answer the stop cut short holds nothing and may be asked again.
		assert!(reopened
			.reserve(cut_short, signed(2, 60), 0, |_| false, balance_covers(100, 60))
			.is_ok());
	}

	#[test]
	fn a_request_that_leaves_no_time_to_settle_is_refused() {
		let (store, _dir) = temp("expiry");
		let admission = Admission::open(store);
		let soon =
			Reservation { signed_by: None, max_fee: 1, expires_at: 50 + MIN_BLOCKS_TO_SETTLE - 1 };
		let refused = admission.reserve(H256::repeat_byte(5), soon, 50, |_| false, |_| Ok(()));
		assert!(matches!(refused, Err(ServingError::PaymentRefused(m)) if m.contains("to settle")));
		let in_time =
			Reservation { signed_by: None, max_fee: 1, expires_at: 50 + MIN_BLOCKS_TO_SETTLE };
		assert!(admission
			.reserve(H256::repeat_byte(5), in_time, 50, |_| false, |_| Ok(()))
			.is_ok());
		// Expired reservations are dropped (and their files) as time passes.
		assert!(admission
			.reserve(H256::repeat_byte(6), signed(2, 1), 100, |_| false, |_| Ok(()))
			.is_err());
		assert_eq!(admission.len(), 0);
	}

	#[test]
	fn unopened_signed_requests_are_bounded_per_user_and_in_all() {
		let (store, _dir) = temp("bounds");
		let admission = Admission::open(store);
		let rich = || balance_covers(Balance::MAX, 1);
		for n in 0..MAX_UNOPENED_PER_USER as u8 {
			admission.reserve(H256::repeat_byte(n), signed(1, 1), 0, |_| false, rich()).unwrap();
		}
		let over = admission.reserve(H256::repeat_byte(200), signed(1, 1), 0, |_| false, rich());
		assert!(matches!(over, Err(ServingError::PaymentRefused(_))));
		let mut n = 0u32;
		let mut user = 2u8;
		while admission.len() < MAX_UNOPENED {
			let id = H256::from_low_u64_be(1_000 + u64::from(n));
			admission.reserve(id, signed(user, 1), 0, |_| false, rich()).unwrap();
			n += 1;
			if n.is_multiple_of(MAX_UNOPENED_PER_USER as u32) {
				user += 1;
			}
		}
		let full = admission.reserve(H256::repeat_byte(201), signed(250, 1), 0, |_| false, rich());
		assert!(matches!(full, Err(ServingError::Busy(_))));
		// A request already in escrow risks nothing and is still taken.
		let escrowed = Reservation { signed_by: None, max_fee: 1, expires_at: 100 };
		assert!(admission
			.reserve(H256::repeat_byte(202), escrowed, 0, |_| false, |_| Ok(()))
			.is_ok());
	}
}
