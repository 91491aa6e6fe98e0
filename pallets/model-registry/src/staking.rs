//! The stakers' reward pool: each model's reward per unit of active stake grows with every
//! settlement (one write, whatever the number of stakers), and each staker's position settles
//! what it earned when it changes or claims.

use crate::{
	pallet::{Config, ModelStakes, Pallet, RewardPerStake},
	BalanceOf, ModelId, StakePosition, StakePositionOf, StakerInfo, StakerInfoOf, REWARD_SCALE,
};
use frame_support::traits::Get;
use sp_core::U256;
use sp_runtime::traits::{AccountIdConversion, SaturatedConversion, Saturating, Zero};

impl<T: Config> Pallet<T> {
	/// The account that holds stakers' rewards until they claim them.
	pub fn pot() -> T::AccountId {
		T::PalletId::get().into_account_truncating()
	}

	/// An account's stake on a model, for the runtime API: `None` if it has none.
	pub fn staker(model: ModelId, who: &T::AccountId) -> Option<StakerInfoOf<T>> {
		let position = ModelStakes::<T>::get(model, who)?;
		let claimable = Self::claimable(&position, RewardPerStake::<T>::get(model));
		Some(StakerInfo {
			active: position.active,
			unbonding: position.unbonding.into_inner(),
			claimable,
		})
	}

	/// What a position has earned, settled or not, at the model's reward per stake `acc`.
	/// Rounds down, so the stakers are never owed more than was paid in; a result beyond the
	/// balance type is capped at its largest value, so never rounds up either.
	pub fn claimable(position: &StakePositionOf<T>, acc: U256) -> BalanceOf<T> {
		let growth = acc.saturating_sub(position.reward_checkpoint);
		let product = U256::from(position.active.saturated_into::<u128>()).full_mul(growth);
		let earned = product
			.checked_div(U256::from(REWARD_SCALE).into())
			.and_then(|e| U256::try_from(e).ok())
			.and_then(|e| u128::try_from(e).ok())
			.unwrap_or(u128::MAX);
		position.pending.saturating_add(earned.saturated_into())
	}

	/// An account's position on a model with its rewards settled into `pending` and its
	/// checkpoint moved to now; a fresh one if it has none.
	pub(crate) fn settled(model: ModelId, who: &T::AccountId) -> StakePositionOf<T> {
		let acc = RewardPerStake::<T>::get(model);
		match ModelStakes::<T>::get(model, who) {
			Some(mut position) => {
				position.pending = Self::claimable(&position, acc);
				position.reward_checkpoint = acc;
				position
			}
			None => StakePosition {
				active: Zero::zero(),
				reward_checkpoint: acc,
				pending: Zero::zero(),
				unbonding: Default::default(),
			},
		}
	}

	/// Write a position back, or remove it once it holds nothing.
	pub(crate) fn store(model: ModelId, who: &T::AccountId, position: StakePositionOf<T>) {
		if position.active.is_zero() && position.pending.is_zero() && position.unbonding.is_empty()
		{
			ModelStakes::<T>::remove(model, who);
		} else {
			ModelStakes::<T>::insert(model, who, position);
		}
	}
}
