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
use sp_runtime::traits::Saturating;

fn amount<T: Config>() -> BalanceOf<T> {
	T::Currency::minimum_balance().saturating_mul(1_000u32.into())
}

fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, 0);
	let balance = T::ProposalDeposit::get()
		.saturating_add(T::ProposalFee::get())
		.saturating_mul(10u32.into())
		.saturating_add(amount::<T>().saturating_mul(10u32.into()));
	T::Currency::set_balance(&who, balance);
	who
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
				register::<T>(&owner, id, T::MaxEvalScores::get())?;
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

fn register<T: Config>(owner: &T::AccountId, id: ModelId, s: u32) -> Result<(), BenchmarkError> {
	Registry::<T>::register_version(
		RawOrigin::Signed(owner.clone()).into(),
		id,
		H256::repeat_byte(1),
		H256::repeat_byte(2),
		H256::repeat_byte(3),
		1_000,
		H256::repeat_byte(4),
		scores(s),
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
		assert!(Models::<T>::get(0).is_some_and(|m| m.status == ModelStatus::Proposed));
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
	fn register_version(s: Linear<0, { T::MaxEvalScores::get() }>) -> Result<(), BenchmarkError> {
		let (owner, id) = model::<T>(ModelStatus::Training)?;
		#[extrinsic_call]
		_(
			RawOrigin::Signed(owner),
			id,
			H256::repeat_byte(1),
			H256::repeat_byte(2),
			H256::repeat_byte(3),
			1_000,
			H256::repeat_byte(4),
			scores(s),
		);
		assert!(Versions::<T>::get(id, 0).is_some());
		Ok(())
	}

	#[benchmark]
	fn deploy() -> Result<(), BenchmarkError> {
		let (owner, id) = model::<T>(ModelStatus::Training)?;
		register::<T>(&owner, id, T::MaxEvalScores::get())?;
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

	#[benchmark]
	fn stake() -> Result<(), BenchmarkError> {
		let (_, id) = model::<T>(ModelStatus::Deployed)?;
		let staker = funded::<T>("staker", 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(staker.clone()), id, amount::<T>());
		assert!(ModelStakes::<T>::get(id, &staker).is_some());
		Ok(())
	}

	#[benchmark]
	fn unstake() -> Result<(), BenchmarkError> {
		let (_, id) = model::<T>(ModelStatus::Deployed)?;
		let staker = funded::<T>("staker", 0);
		Registry::<T>::stake(RawOrigin::Signed(staker.clone()).into(), id, amount::<T>())?;
		#[extrinsic_call]
		_(RawOrigin::Signed(staker.clone()), id, amount::<T>());
		assert!(ModelStakes::<T>::get(id, &staker).is_none());
		Ok(())
	}

	impl_benchmark_test_suite!(Registry, crate::mock::new_test_ext(), crate::mock::Test);
}
