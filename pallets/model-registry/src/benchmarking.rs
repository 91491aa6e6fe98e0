//! Benchmarks of every call, each in its most expensive case.

use super::*;
use crate::Pallet as Registry;
use alloc::{vec, vec::Vec};
use frame_benchmarking::v2::*;
use frame_support::traits::{
	fungible::{Inspect, Mutate},
	Get,
};
use frame_system::RawOrigin;
use sp_core::H256;
use sp_runtime::traits::{One, Saturating, Zero};

fn amount<T: Config>() -> BalanceOf<T> {
	T::Currency::minimum_balance().saturating_mul(1_000u32.into())
}

/// One stake: at least the minimum.
fn stake_amount<T: Config>() -> BalanceOf<T> {
	T::MinModelStake::get().max(amount::<T>())
}

fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, 0);
	let stakes = T::MaxUnbondingChunks::get().saturating_add(2);
	let balance = T::ProposalDeposit::get()
		.saturating_add(T::ProposalFee::get())
		.saturating_mul(10u32.into())
		.saturating_add(amount::<T>().saturating_mul(10u32.into()))
		.saturating_add(stake_amount::<T>().saturating_mul(stakes.into()))
		.saturating_add(
			T::TrainingSetDepositPerItem::get()
				.saturating_mul(T::MaxTrainingSet::get().into())
				.saturating_mul(2u32.into()),
		);
	T::Currency::set_balance(&who, balance);
	who
}

/// Pay `value` into the staking pot and credit it to the model's stakers, as a settlement does.
fn reward<T: Config>(id: ModelId, value: BalanceOf<T>) -> Result<(), BenchmarkError> {
	T::Currency::mint_into(&Registry::<T>::pot(), value)?;
	<Registry<T> as ModelInspect<_, _>>::reward_stakers(id, value)?;
	Ok(())
}

/// `count` unbonding chunks of one stake each, unstaked in successive blocks.
fn unbond<T: Config>(who: &T::AccountId, id: ModelId, count: u32) -> Result<(), BenchmarkError> {
	for _ in 0..count {
		let next = frame_system::Pallet::<T>::block_number().saturating_add(One::one());
		frame_system::Pallet::<T>::set_block_number(next);
		Registry::<T>::unstake(RawOrigin::Signed(who.clone()).into(), id, stake_amount::<T>())?;
	}
	Ok(())
}

fn stake_on<T: Config>(who: &T::AccountId, id: ModelId, stakes: u32) -> Result<(), BenchmarkError> {
	let value = stake_amount::<T>().saturating_mul(stakes.into());
	Registry::<T>::stake(RawOrigin::Signed(who.clone()).into(), id, value)?;
	Ok(())
}

fn text<T: Config>() -> Vec<u8> {
	vec![b't'; T::MaxTextLen::get() as usize]
}

/// `n` Datanets that meet the data condition.
fn datanets<T: Config>(n: u32) -> Vec<DatanetId> {
	(0..n).map(T::BenchmarkHelper::datanet_meeting_thresholds).collect()
}

/// A model by a funded owner, in `status` (Proposed, Approved, CollectingData, Training or
/// Deployed), targeting the most Datanets.
fn model<T: Config>(status: ModelStatus) -> Result<(T::AccountId, ModelId), BenchmarkError> {
	let owner = funded::<T>("owner", 0);
	let id = NextModelId::<T>::get();
	Registry::<T>::propose(
		RawOrigin::Signed(owner.clone()).into(),
		text::<T>(),
		text::<T>(),
		datanets::<T>(T::MaxDatanetsPerModel::get()),
		text::<T>(),
		amount::<T>(),
		amount::<T>(),
	)?;
	let origin = || RawOrigin::Signed(owner.clone());
	let steps = [
		ModelStatus::Approved,
		ModelStatus::CollectingData,
		ModelStatus::Training,
		ModelStatus::Deployed,
	];
	for step in steps.iter().take_while(|s| **s != status).chain(core::iter::once(&status)) {
		match step {
			ModelStatus::Approved => Registry::<T>::on_model_decision(id, true),
			ModelStatus::CollectingData => {
				Registry::<T>::start_data_collection(origin().into(), id)?
			}
			ModelStatus::Training => Registry::<T>::start_training(origin().into(), id)?,
			ModelStatus::Deployed => {
				register::<T>(&owner, id, T::MaxEvalScores::get(), 1)?;
				Registry::<T>::deploy(origin().into(), id, 0)?;
			}
			_ => {}
		}
	}
	Ok((owner, id))
}

fn scores(n: u32) -> Vec<EvalScore> {
	(0..n)
		.map(|i| EvalScore {
			metric: vec![b'm'; 32].try_into().unwrap_or_default(),
			value_micros: u64::from(i),
		})
		.collect()
}

/// `t` new contributions accepted in the model's first Datanet, ascending.
fn training_set<T: Config>(id: ModelId, t: u32) -> Result<Vec<ContributionId>, BenchmarkError> {
	let datanet = Models::<T>::get(id)
		.and_then(|m| m.datanets.first().copied())
		.ok_or(BenchmarkError::Stop("the model has no Datanet"))?;
	Ok(T::BenchmarkHelper::accepted_contributions(datanet, t))
}

fn register<T: Config>(
	owner: &T::AccountId,
	id: ModelId,
	s: u32,
	t: u32,
) -> Result<(), BenchmarkError> {
	let set = training_set::<T>(id, t)?;
	Registry::<T>::register_version(
		RawOrigin::Signed(owner.clone()).into(),
		id,
		H256::repeat_byte(1),
		H256::repeat_byte(2),
		H256::repeat_byte(5),
		training_data_root(&set),
		set.len() as u32,
		H256::repeat_byte(4),
		scores(s),
		set,
	)?;
	Ok(())
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn propose(d: Linear<1, { T::MaxDatanetsPerModel::get() }>) {
		let owner = funded::<T>("owner", 0);
		let targets = datanets::<T>(d);
		// The genesis may hold models already (the dev chain's demo one).
		let id = NextModelId::<T>::get();
		#[extrinsic_call]
		_(
			RawOrigin::Signed(owner),
			text::<T>(),
			text::<T>(),
			targets,
			text::<T>(),
			amount::<T>(),
			amount::<T>(),
		);
		assert!(Models::<T>::get(id).is_some_and(|m| m.status == ModelStatus::Proposed));
	}

	#[benchmark]
	fn start_data_collection() -> Result<(), BenchmarkError> {
		let (owner, id) = model::<T>(ModelStatus::Approved)?;
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id);
		assert!(Models::<T>::get(id).is_some_and(|m| m.status == ModelStatus::CollectingData));
		Ok(())
	}

	#[benchmark]
	fn start_training(
		d: Linear<1, { T::MaxDatanetsPerModel::get() }>,
	) -> Result<(), BenchmarkError> {
		// The model always targets the most Datanets; `d` is kept for the weight's shape.
		let _ = d;
		let (owner, id) = model::<T>(ModelStatus::CollectingData)?;
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id);
		assert!(Models::<T>::get(id).is_some_and(|m| m.status == ModelStatus::Training));
		Ok(())
	}

	#[benchmark]
	fn register_version(
		s: Linear<0, { T::MaxEvalScores::get() }>,
		t: Linear<1, { T::MaxTrainingSet::get() }>,
	) -> Result<(), BenchmarkError> {
		let (owner, id) = model::<T>(ModelStatus::Training)?;
		let set = training_set::<T>(id, t)?;
		let root = training_data_root(&set);
		let last = set.last().copied();
		#[extrinsic_call]
		_(
			RawOrigin::Signed(owner),
			id,
			H256::repeat_byte(1),
			H256::repeat_byte(2),
			H256::repeat_byte(5),
			root,
			t,
			H256::repeat_byte(4),
			scores(s),
			set,
		);
		assert!(Versions::<T>::get(id, 0).is_some());
		assert!(last.is_some_and(|c| TrainingSet::<T>::contains_key((id, 0), c)));
		Ok(())
	}

	#[benchmark]
	fn deploy() -> Result<(), BenchmarkError> {
		let (owner, id) = model::<T>(ModelStatus::Training)?;
		register::<T>(&owner, id, T::MaxEvalScores::get(), 1)?;
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id, 0);
		assert!(Registry::<T>::deployed(id).is_some());
		Ok(())
	}

	#[benchmark]
	fn retire() -> Result<(), BenchmarkError> {
		let (owner, id) = model::<T>(ModelStatus::Deployed)?;
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id);
		assert!(Models::<T>::get(id).is_some_and(|m| m.status == ModelStatus::Retired));
		Ok(())
	}

	/// A staker adding to a stake that has rewards to settle.
	#[benchmark]
	fn stake() -> Result<(), BenchmarkError> {
		let (_, id) = model::<T>(ModelStatus::Deployed)?;
		let staker = funded::<T>("staker", 0);
		stake_on::<T>(&staker, id, 1)?;
		reward::<T>(id, amount::<T>())?;
		#[extrinsic_call]
		_(RawOrigin::Signed(staker.clone()), id, stake_amount::<T>());
		assert!(ModelStakes::<T>::get(id, &staker).is_some_and(|p| !p.pending.is_zero()));
		Ok(())
	}

	/// A staker with rewards to settle unstaking into its last free unbonding chunk.
	#[benchmark]
	fn unstake() -> Result<(), BenchmarkError> {
		let (_, id) = model::<T>(ModelStatus::Deployed)?;
		let staker = funded::<T>("staker", 0);
		let chunks = T::MaxUnbondingChunks::get();
		stake_on::<T>(&staker, id, chunks)?;
		unbond::<T>(&staker, id, chunks.saturating_sub(1))?;
		reward::<T>(id, amount::<T>())?;
		frame_system::Pallet::<T>::set_block_number(
			frame_system::Pallet::<T>::block_number().saturating_add(One::one()),
		);
		#[extrinsic_call]
		_(RawOrigin::Signed(staker.clone()), id, stake_amount::<T>());
		assert!(ModelStakes::<T>::get(id, &staker)
			.is_some_and(|p| p.active.is_zero() && p.unbonding.len() as u32 == chunks));
		Ok(())
	}

	/// Every unbonding chunk unbonded at once.
	#[benchmark]
	fn withdraw_unbonded() -> Result<(), BenchmarkError> {
		let (_, id) = model::<T>(ModelStatus::Deployed)?;
		let staker = funded::<T>("staker", 0);
		let chunks = T::MaxUnbondingChunks::get();
		stake_on::<T>(&staker, id, chunks.saturating_add(1))?;
		unbond::<T>(&staker, id, chunks)?;
		frame_system::Pallet::<T>::set_block_number(
			frame_system::Pallet::<T>::block_number()
				.saturating_add(T::ModelUnbondingPeriod::get()),
		);
		#[extrinsic_call]
		_(RawOrigin::Signed(staker.clone()), id);
		assert!(ModelStakes::<T>::get(id, &staker).is_some_and(|p| p.unbonding.is_empty()));
		Ok(())
	}

	#[benchmark]
	fn claim_rewards() -> Result<(), BenchmarkError> {
		let (_, id) = model::<T>(ModelStatus::Deployed)?;
		let staker = funded::<T>("staker", 0);
		stake_on::<T>(&staker, id, 1)?;
		reward::<T>(id, amount::<T>())?;
		let before = T::Currency::balance(&staker);
		#[extrinsic_call]
		_(RawOrigin::Signed(staker.clone()), id);
		assert!(T::Currency::balance(&staker) > before);
		Ok(())
	}

	impl_benchmark_test_suite!(Registry, crate::mock::new_test_ext(), crate::mock::Test);
}
