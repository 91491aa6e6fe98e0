//! The pallet's invariants, checked after every test and by `try-runtime`.

use crate::{
	pallet::{
		Config, HoldReason, ModelStakes, Models, Pallet, RewardPerStake, TrainingSet, Versions,
	},
	BalanceOf, ModelId, VersionId,
};
use frame_support::{
	ensure,
	traits::{fungible::Inspect, tokens::Preservation, Get},
};
use sp_runtime::traits::{Saturating, Zero};

impl<T: Config> Pallet<T> {
	/// The pallet's invariants: per model, its stakers' active stake adds up to its total and
	/// their count to its `stakers`; every position is non-empty with active stake zero or at
	/// least the minimum; each account's `ModelStake` hold is its active and unbonding stake
	/// over all models; the pot can pay every staker's claimable rewards at once and stay
	/// alive; each version stores exactly `training_data_count` ids.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use alloc::collections::btree_map::BTreeMap;
		use frame_support::traits::{fungible::InspectHold, tokens::Fortitude};
		let mut owed = BalanceOf::<T>::zero();
		let mut held: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		for (model, info) in Models::<T>::iter() {
			let acc = RewardPerStake::<T>::get(model);
			let (mut total, mut stakers) = (BalanceOf::<T>::zero(), 0u32);
			for (who, position) in ModelStakes::<T>::iter_prefix(model) {
				ensure!(
					!position.active.is_zero()
						|| !position.pending.is_zero()
						|| !position.unbonding.is_empty(),
					"an empty stake position is stored"
				);
				ensure!(
					position.active.is_zero() || position.active >= T::MinModelStake::get(),
					"an active stake below the minimum"
				);
				ensure!(position.reward_checkpoint <= acc, "a checkpoint ahead of the pool");
				total = total.saturating_add(position.active);
				if !position.active.is_zero() {
					stakers = stakers.saturating_add(1);
				}
				owed = owed.saturating_add(Self::claimable(&position, acc));
				let unbonding = position
					.unbonding
					.iter()
					.fold(BalanceOf::<T>::zero(), |sum, c| sum.saturating_add(c.amount));
				let entry = held.entry(who).or_default();
				*entry = entry.saturating_add(position.active).saturating_add(unbonding);
			}
			ensure!(total == info.total_stake, "stakers' active stake is not the model's total");
			ensure!(stakers == info.stakers, "stakers' count is not the model's");
		}
		ensure!(
			ModelStakes::<T>::iter_keys().all(|(model, _)| Models::<T>::contains_key(model)),
			"a stake on an unknown model"
		);
		for (who, amount) in held {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::ModelStake.into(), &who) == amount,
				"a ModelStake hold is not the account's stake"
			);
		}
		let payable =
			T::Currency::reducible_balance(&Self::pot(), Preservation::Preserve, Fortitude::Polite);
		ensure!(payable >= owed, "the staking pot cannot pay what stakers are owed");

		let mut stored: BTreeMap<(ModelId, VersionId), u32> = BTreeMap::new();
		for ((model, version), _) in TrainingSet::<T>::iter_keys() {
			ensure!(
				Versions::<T>::contains_key(model, version),
				"a training set without its version"
			);
			let count = stored.entry((model, version)).or_default();
			*count = count.saturating_add(1);
		}
		for (model, version, info) in Versions::<T>::iter() {
			ensure!(
				stored.get(&(model, version)).copied().unwrap_or(0) == info.training_data_count,
				"a version's stored training set is not its count"
			);
		}
		Ok(())
	}
}
