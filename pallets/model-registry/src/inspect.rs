//! What the fee and attribution pallets read of models: the served version, its training set
//! and adapter, and the stakers' reward pool.

use crate::{
	pallet::{Config, Error, Models, Pallet, RewardPerStake, TrainingSet, Versions},
	BalanceOf, ContributionId, ModelId, ModelInspect, ServedModel, REWARD_SCALE,
};
use frame_support::{ensure, pallet_prelude::DispatchResult};
use sp_core::{H256, U256};
use sp_runtime::{
	traits::{SaturatedConversion, Zero},
	DispatchError,
};

impl<T: Config> ModelInspect<T::AccountId, BalanceOf<T>> for Pallet<T> {
	fn served(model: ModelId) -> Option<ServedModel<T::AccountId, BalanceOf<T>>> {
		let (info, version) = Self::deployed(model)?;
		Some(ServedModel {
			owner: info.owner,
			version,
			rate_in: info.rate_in,
			rate_out: info.rate_out,
		})
	}

	fn adapter_hash(model: ModelId, version: u32) -> Option<H256> {
		Versions::<T>::get(model, version).map(|v| v.adapter_hash)
	}

	fn trained_on(model: ModelId, version: u32, contribution: ContributionId) -> bool {
		TrainingSet::<T>::contains_key((model, version), contribution)
	}

	fn has_stakers(model: ModelId) -> bool {
		Models::<T>::get(model).is_some_and(|info| !info.total_stake.is_zero())
	}

	fn staking_pot() -> T::AccountId {
		Self::pot()
	}

	/// O(1): reads the model's total active stake and raises its reward per stake by
	/// `amount · REWARD_SCALE / total` (rounded down: the dust stays in the pot).
	fn reward_stakers(model: ModelId, amount: BalanceOf<T>) -> Result<(), DispatchError> {
		let total = Models::<T>::get(model).ok_or(Error::<T>::UnknownModel)?.total_stake;
		ensure!(!total.is_zero(), Error::<T>::NoStakers);
		let growth = U256::from(amount.saturated_into::<u128>())
			.checked_mul(U256::from(REWARD_SCALE))
			.and_then(|scaled| scaled.checked_div(U256::from(total.saturated_into::<u128>())))
			.ok_or(Error::<T>::Overflow)?;
		if growth.is_zero() {
			return Ok(());
		}
		RewardPerStake::<T>::try_mutate(model, |acc| -> DispatchResult {
			*acc = acc.checked_add(growth).ok_or(Error::<T>::Overflow)?;
			Ok(())
		})
	}
}
