//! Holding a worker to its settlements: receipts that differ, and challenges it cannot answer,
//! end with the worker slashed and the user refunded (see the calls in `lib.rs`).

use crate::{
	pallet::{Config, DisputePeriodOverrides, Disputes, Event, HoldReason, Pallet, Workers},
	BalanceOf, Dispute, Error, Receipt, RecordOf,
};
use frame_support::{
	ensure,
	pallet_prelude::{DispatchResult, Get},
	traits::{
		fungible::{Balanced, BalancedHold, MutateHold},
		tokens::Precision,
		Imbalance, OnUnbalanced,
	},
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::{Saturating, Zero};

impl<T: Config> Pallet<T> {
	/// This chain's genesis hash, which every receipt signature covers.
	pub(crate) fn genesis_hash() -> [u8; 32] {
		let hash = frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero());
		let mut out = [0u8; 32];
		let bytes = hash.as_ref();
		if bytes.len() == out.len() {
			out.copy_from_slice(bytes);
		}
		out
	}

	/// Blocks after a settlement during which its user may dispute it, on this chain.
	pub fn dispute_window() -> BlockNumberFor<T> {
		DisputePeriodOverrides::<T>::get().map_or_else(T::DisputeWindow::get, |(window, _)| window)
	}

	/// Blocks a challenged worker has to answer, on this chain.
	pub fn response_period() -> BlockNumberFor<T> {
		DisputePeriodOverrides::<T>::get()
			.map_or_else(T::ResponsePeriod::get, |(_, response)| response)
	}

	/// What a worker signs for `receipt` on this chain.
	pub fn receipt_digest_of(receipt: &Receipt) -> [u8; 32] {
		crate::receipt_digest(&Self::genesis_hash(), receipt)
	}

	/// A settlement can be disputed until [`Pallet::dispute_window`] blocks after it.
	pub(crate) fn ensure_disputable(record: &RecordOf<T>) -> DispatchResult {
		let closes = record.settled_at.saturating_add(Self::dispute_window());
		ensure!(
			frame_system::Pallet::<T>::block_number() <= closes,
			Error::<T>::DisputeWindowClosed
		);
		Ok(())
	}

	/// Whether a receipt says what the settlement says (and names the adapter registered for
	/// the settled version).
	pub(crate) fn receipt_matches(receipt: &Receipt, record: &RecordOf<T>) -> bool {
		receipt.request == record.request
			&& receipt.model == record.model
			&& receipt.version == record.version
			&& receipt.adapter_hash == record.adapter_hash
			&& receipt.tokens_in == record.tokens_in
			&& receipt.tokens_out == record.tokens_out
			&& receipt.output_hash == record.output_hash
	}

	/// Return a challenger's bond (best effort: the hold is this pallet's own).
	pub(crate) fn release_bond(who: &T::AccountId, bond: BalanceOf<T>) {
		if !bond.is_zero() {
			let _ = T::Currency::release(
				&HoldReason::ChallengeBond.into(),
				who,
				bond,
				Precision::BestEffort,
			);
		}
	}

	/// The settlement was shown wrong: slash its worker the fee and the penalty (as much as
	/// its stake holds), refund the user the fee from it, and send the rest to the treasury.
	/// Owner, stakers and contributors keep what they were paid: the worker's stake pays back.
	pub(crate) fn uphold(request: crate::RequestId, record: &RecordOf<T>) {
		let fee = record.breakdown.fee;
		let mut slashed = BalanceOf::<T>::zero();
		let mut refunded = BalanceOf::<T>::zero();
		if let Some(mut worker) = Workers::<T>::get(&record.worker) {
			let due = fee.saturating_add(T::DisputePenalty::get()).min(worker.stake);
			let (credit, _) = <T::Currency as BalancedHold<T::AccountId>>::slash(
				&HoldReason::WorkerStake.into(),
				&record.worker,
				due,
			);
			slashed = credit.peek();
			worker.stake = worker.stake.saturating_sub(slashed);
			Workers::<T>::insert(&record.worker, worker);
			let (to_user, rest) = credit.split(fee.min(slashed));
			let rest = match T::Currency::resolve(&record.user, to_user) {
				Ok(()) => {
					refunded = fee.min(slashed);
					rest
				}
				// The user's account cannot take it (it would not exist): to the treasury.
				Err(unpaid) => rest.merge(unpaid),
			};
			T::OnSlash::on_unbalanced(rest);
		}
		Disputes::<T>::insert(request, Dispute::Upheld { slashed, refunded });
		Self::deposit_event(Event::DisputeUpheld {
			request,
			worker: record.worker.clone(),
			slashed,
			refunded,
		});
	}
}
