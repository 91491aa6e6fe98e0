//! Benchmarks of every call, each in its most expensive case.

use super::*;
use crate::Pallet as Attribution;
use alloc::vec::Vec;
use frame_benchmarking::v2::*;
use frame_support::traits::{
	fungible::{Inspect, Mutate},
	EnsureOrigin, Get,
};
use frame_system::RawOrigin;
use sp_core::H256;
use sp_runtime::traits::{Saturating, Zero};

fn funded<T: Config>(name: &'static str) -> T::AccountId {
	let who: T::AccountId = account(name, 0, 0);
	let amount = T::MinWorkerStake::get()
		.saturating_mul(100u32.into())
		.saturating_add(T::Currency::minimum_balance().saturating_mul(1_000_000u32.into()));
	T::Currency::set_balance(&who, amount);
	who
}

/// A worker serving `m` deployed models (the first with `stakers` stakers).
fn worker<T: Config>(m: u32, stakers: u32) -> Result<(T::AccountId, Vec<ModelId>), BenchmarkError> {
	let who = funded::<T>("worker");
	let models: Vec<ModelId> = (0..m.max(1))
		.map(|i| T::BenchmarkHelper::served_model(if i == 0 { stakers } else { 0 }))
		.collect();
	let models = dedup(models);
	Attribution::<T>::register_worker(
		RawOrigin::Signed(who.clone()).into(),
		T::MinWorkerStake::get(),
		models.clone(),
	)?;
	Ok((who, models))
}

fn dedup(models: Vec<ModelId>) -> Vec<ModelId> {
	let mut unique = Vec::with_capacity(models.len());
	for model in models {
		if !unique.contains(&model) {
			unique.push(model);
		}
	}
	unique
}

fn served<T: Config>(m: u32) -> Vec<ModelId> {
	dedup((0..m).map(|_| T::BenchmarkHelper::served_model(0)).collect())
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register_worker(m: Linear<1, { T::MaxModelsPerWorker::get() }>) {
		let who = funded::<T>("worker");
		let models = served::<T>(m);

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), T::MinWorkerStake::get(), models);

		assert!(Workers::<T>::contains_key(&who));
	}

	#[benchmark]
	fn set_worker_models(
		m: Linear<1, { T::MaxModelsPerWorker::get() }>,
	) -> Result<(), BenchmarkError> {
		let (who, _) = worker::<T>(1, 0)?;
		let models = served::<T>(m);

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), models.clone());

		assert_eq!(Workers::<T>::get(&who).map(|w| w.models.to_vec()), Some(models));
		Ok(())
	}

	#[benchmark]
	fn bond_extra() -> Result<(), BenchmarkError> {
		let (who, _) = worker::<T>(1, 0)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), T::MinWorkerStake::get());

		Ok(())
	}

	#[benchmark]
	fn unregister_worker() -> Result<(), BenchmarkError> {
		let (who, _) = worker::<T>(1, 0)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));

		assert!(Workers::<T>::get(&who).is_some_and(|w| w.unbonding_until.is_some()));
		Ok(())
	}

	#[benchmark]
	fn withdraw_worker() -> Result<(), BenchmarkError> {
		let (who, _) = worker::<T>(1, 0)?;
		Attribution::<T>::unregister_worker(RawOrigin::Signed(who.clone()).into())?;
		let later = frame_system::Pallet::<T>::block_number()
			.saturating_add(T::WorkerUnbondingPeriod::get());
		frame_system::Pallet::<T>::set_block_number(later);

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));

		assert!(!Workers::<T>::contains_key(&who));
		Ok(())
	}

	/// An answer attributed to `c` contributions of distinct contributors, on a model with `s`
	/// stakers: everyone is paid.
	#[benchmark]
	fn settle(
		c: Linear<0, { T::MaxContributionsPerOutput::get() }>,
		s: Linear<0, { T::MaxStakersPerModel::get() }>,
	) -> Result<(), BenchmarkError> {
		let (who, models) = worker::<T>(1, s)?;
		let model = models.first().copied().ok_or(BenchmarkError::Weightless)?;
		let influences: Vec<(ContributionId, i128)> =
			T::BenchmarkHelper::contributions(model, c).into_iter().zip(1i128..).collect();
		let request = T::BenchmarkHelper::pending_request(model);

		#[extrinsic_call]
		_(RawOrigin::Signed(who), request, 1_000, 1_000, H256::repeat_byte(1), influences, s);

		let record = Records::<T>::get(request).ok_or(BenchmarkError::Weightless)?;
		assert_eq!(record.contributions.len() as u32, c);
		Ok(())
	}

	#[benchmark]
	fn slash_worker() -> Result<(), BenchmarkError> {
		let (who, _) = worker::<T>(1, 0)?;
		let origin =
			T::SlashOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone(), T::MinWorkerStake::get());

		assert!(Workers::<T>::get(&who).is_some_and(|w| w.stake.is_zero()));
		Ok(())
	}

	impl_benchmark_test_suite!(Attribution, crate::mock::new_test_ext(), crate::mock::Test);
}
