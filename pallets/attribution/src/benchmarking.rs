//! Benchmarks of every call, each in its most expensive case.

use super::*;
use crate::Pallet as Attribution;
use alloc::{vec, vec::Vec};
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{
		fungible::{Inspect, Mutate},
		EnsureOrigin, Get,
	},
	BoundedVec,
};
use frame_system::RawOrigin;
use sp_core::H256;
use sp_runtime::{
	traits::{BlakeTwo256, Hash, Saturating, Zero},
	Perbill,
};

fn funded<T: Config>(name: &'static str) -> T::AccountId {
	let who: T::AccountId = account(name, 0, 0);
	fund::<T>(&who);
	who
}

fn fund<T: Config>(who: &T::AccountId) {
	let amount = T::MinWorkerStake::get()
		.saturating_mul(100u32.into())
		.saturating_add(T::DisputePenalty::get())
		.saturating_add(T::ChallengeBond::get())
		.saturating_add(T::Currency::minimum_balance().saturating_mul(1_000_000u32.into()));
	T::Currency::set_balance(who, amount);
}

/// A deployed model of `owner` that any worker with the least stake may serve, and whose
/// settling worker gets a share of the owner's part: the costliest check of a worker (neither
/// the owner nor approved one by one) and the most payments.
fn open_model<T: Config>(owner: &T::AccountId) -> Result<ModelId, BenchmarkError> {
	let model = T::BenchmarkHelper::served_model(owner);
	Attribution::<T>::set_serving_policy(
		RawOrigin::Signed(owner.clone()).into(),
		model,
		ServingPolicy {
			open_to_stake: Some(T::MinWorkerStake::get()),
			worker_share: Perbill::from_percent(10),
		},
	)?;
	Ok(model)
}

/// `m` such models (fewer if the helper hands out one twice).
fn open_models<T: Config>(owner: &T::AccountId, m: u32) -> Result<Vec<ModelId>, BenchmarkError> {
	let mut models = Vec::with_capacity(m as usize);
	for _ in 0..m {
		let model = open_model::<T>(owner)?;
		if !models.contains(&model) {
			models.push(model);
		}
	}
	Ok(models)
}

/// `who`, funded, registered with the least stake for `models`.
fn register<T: Config>(who: &T::AccountId, models: Vec<ModelId>) -> Result<(), BenchmarkError> {
	Attribution::<T>::register_worker(
		RawOrigin::Signed(who.clone()).into(),
		T::MinWorkerStake::get(),
		models,
	)?;
	Ok(())
}

/// A worker serving one deployed model open to its stake: (worker, model).
fn worker<T: Config>() -> Result<(T::AccountId, ModelId), BenchmarkError> {
	let owner = funded::<T>("owner");
	let who = funded::<T>("worker");
	let model = open_model::<T>(&owner)?;
	register::<T>(&who, vec![model])?;
	Ok((who, model))
}

/// `who` has settled a request of a funded user for `model` with this answer hash, attributed to
/// `c` contributions: (user, request).
fn settled<T: Config>(
	who: &T::AccountId,
	model: ModelId,
	c: u32,
	output_hash: H256,
) -> Result<(T::AccountId, RequestId), BenchmarkError> {
	let user = funded::<T>("user");
	let influences: Vec<(ContributionId, i128)> =
		T::BenchmarkHelper::contributions(model, c).into_iter().zip(1i128..).collect();
	let request = T::BenchmarkHelper::pending_request(model, &user, who);
	let version = T::Models::served(model).map_or(0, |m| m.version);
	Attribution::<T>::settle(
		RawOrigin::Signed(who.clone()).into(),
		request,
		version,
		1_000,
		output_hash,
		influences,
	)?;
	Ok((user, request))
}

/// [`settled`], and challenged by its user.
fn challenged<T: Config>(
	who: &T::AccountId,
	model: ModelId,
	output_hash: H256,
) -> Result<(T::AccountId, RequestId), BenchmarkError> {
	let (user, request) = settled::<T>(who, model, 0, output_hash)?;
	Attribution::<T>::challenge_unanswered(RawOrigin::Signed(user.clone()).into(), request)?;
	Ok((user, request))
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register_worker(
		m: Linear<1, { T::MaxModelsPerWorker::get() }>,
	) -> Result<(), BenchmarkError> {
		let owner = funded::<T>("owner");
		let who = funded::<T>("worker");
		let models = open_models::<T>(&owner, m)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), T::MinWorkerStake::get(), models);

		assert!(Workers::<T>::contains_key(&who));
		Ok(())
	}

	#[benchmark]
	fn set_worker_models(
		m: Linear<1, { T::MaxModelsPerWorker::get() }>,
	) -> Result<(), BenchmarkError> {
		let (who, _) = worker::<T>()?;
		let models = open_models::<T>(&funded::<T>("owner"), m)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), models.clone());

		assert_eq!(Workers::<T>::get(&who).map(|w| w.models.to_vec()), Some(models));
		Ok(())
	}

	#[benchmark]
	fn bond_extra() -> Result<(), BenchmarkError> {
		let (who, _) = worker::<T>()?;

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), T::MinWorkerStake::get());

		Ok(())
	}

	#[benchmark]
	fn unregister_worker() -> Result<(), BenchmarkError> {
		let (who, _) = worker::<T>()?;

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));

		assert!(Workers::<T>::get(&who).is_some_and(|w| w.unbonding_until.is_some()));
		Ok(())
	}

	#[benchmark]
	fn withdraw_worker() -> Result<(), BenchmarkError> {
		let (who, _) = worker::<T>()?;
		Attribution::<T>::unregister_worker(RawOrigin::Signed(who.clone()).into())?;
		let later = frame_system::Pallet::<T>::block_number()
			.saturating_add(T::WorkerUnbondingPeriod::get());
		frame_system::Pallet::<T>::set_block_number(later);

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));

		assert!(!Workers::<T>::contains_key(&who));
		Ok(())
	}

	/// An answer attributed to `c` contributions of distinct contributors, on a model somebody
	/// stakes on, by a worker the model is open to and that gets a share: everyone is paid.
	#[benchmark]
	fn settle(c: Linear<0, { T::MaxContributionsPerOutput::get() }>) -> Result<(), BenchmarkError> {
		let (who, model) = worker::<T>()?;
		let user = funded::<T>("user");
		let influences: Vec<(ContributionId, i128)> =
			T::BenchmarkHelper::contributions(model, c).into_iter().zip(1i128..).collect();
		let request = T::BenchmarkHelper::pending_request(model, &user, &who);
		let version = T::Models::served(model).map_or(0, |m| m.version);

		#[extrinsic_call]
		_(RawOrigin::Signed(who), request, version, 1_000, H256::repeat_byte(1), influences);

		let record = Records::<T>::get(request).ok_or(BenchmarkError::Weightless)?;
		assert_eq!(record.contributions.len() as u32, c);
		assert!(!record.breakdown.worker.is_zero());
		Ok(())
	}

	#[benchmark]
	fn slash_worker() -> Result<(), BenchmarkError> {
		let (who, _) = worker::<T>()?;
		let origin =
			T::SlashOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone(), T::MinWorkerStake::get());

		assert!(Workers::<T>::get(&who).is_some_and(|w| w.stake.is_zero()));
		Ok(())
	}

	/// The last approval the model has room for.
	#[benchmark]
	fn approve_worker() {
		let owner = funded::<T>("owner");
		let model = T::BenchmarkHelper::served_model(&owner);
		for i in 1..T::MaxApprovedWorkers::get() {
			ApprovedWorkers::<T>::insert(model, account::<T::AccountId>("approved", i, 0), ());
		}
		ApprovedWorkerCount::<T>::insert(model, T::MaxApprovedWorkers::get().saturating_sub(1));
		let who: T::AccountId = account("worker", 0, 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), model, who.clone());

		assert!(ApprovedWorkers::<T>::contains_key(model, &who));
		assert_eq!(ApprovedWorkerCount::<T>::get(model), T::MaxApprovedWorkers::get());
	}

	#[benchmark]
	fn revoke_worker() -> Result<(), BenchmarkError> {
		let owner = funded::<T>("owner");
		let model = T::BenchmarkHelper::served_model(&owner);
		let who: T::AccountId = account("worker", 0, 0);
		Attribution::<T>::approve_worker(
			RawOrigin::Signed(owner.clone()).into(),
			model,
			who.clone(),
		)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), model, who.clone());

		assert!(!ApprovedWorkers::<T>::contains_key(model, &who));
		Ok(())
	}

	#[benchmark]
	fn set_serving_policy() {
		let owner = funded::<T>("owner");
		let model = T::BenchmarkHelper::served_model(&owner);
		let policy = ServingPolicy {
			open_to_stake: Some(T::MinWorkerStake::get()),
			worker_share: Perbill::from_percent(10),
		};

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), model, policy);

		assert_eq!(ServingPolicies::<T>::get(model), policy);
	}

	/// A receipt that agrees with the settlement in everything but the answer (every field is
	/// compared), overtaking a challenge under way (its bond goes back first): the worker is
	/// slashed the fee and the penalty, the user refunded.
	#[benchmark]
	fn dispute_receipt() -> Result<(), BenchmarkError> {
		let owner = funded::<T>("owner");
		let model = open_model::<T>(&owner)?;
		let version = T::Models::served(model).ok_or(BenchmarkError::Weightless)?.version;
		// A fresh key signs the receipt, so the receipt names its request before the worker is
		// known; the worker's settlement is then recorded under that id.
		let id = H256::repeat_byte(0xd1);
		let receipt = Receipt {
			request: id,
			model,
			version,
			adapter_hash: T::Models::adapter_hash(model, version).unwrap_or_default(),
			tokens_in: 1_000,
			tokens_out: 1_000,
			output_hash: H256::repeat_byte(2),
		};
		let digest = receipt_digest(&Attribution::<T>::genesis_hash(), &receipt);
		let (who, signature) = T::BenchmarkHelper::sign(&digest);
		fund::<T>(&who);
		register::<T>(&who, vec![model])?;
		let (user, request) = settled::<T>(&who, model, 0, H256::repeat_byte(1))?;
		let mut record = Records::<T>::take(request).ok_or(BenchmarkError::Weightless)?;
		record.request = id;
		record.tokens_in = receipt.tokens_in;
		record.tokens_out = receipt.tokens_out;
		Records::<T>::insert(id, record);
		Attribution::<T>::challenge_unanswered(RawOrigin::Signed(user.clone()).into(), id)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(user), receipt, signature);

		assert!(matches!(Disputes::<T>::get(id), Some(Dispute::Upheld { .. })));
		Ok(())
	}

	#[benchmark]
	fn challenge_unanswered() -> Result<(), BenchmarkError> {
		let (who, model) = worker::<T>()?;
		let (user, request) = settled::<T>(&who, model, 0, H256::repeat_byte(1))?;

		#[extrinsic_call]
		_(RawOrigin::Signed(user), request);

		assert!(matches!(Disputes::<T>::get(request), Some(Dispute::Challenged { .. })));
		Ok(())
	}

	/// `n` bytes of prompt and answer together revealed, and the bond paid to the worker.
	#[benchmark]
	fn answer_challenge(
		n: Linear<0, { T::MaxRevealLen::get().saturating_mul(2) }>,
	) -> Result<(), BenchmarkError> {
		let max = T::MaxRevealLen::get();
		let prompt = vec![b'p'; n.min(max) as usize];
		let answer = vec![b'a'; n.saturating_sub(max) as usize];
		let (who, model) = worker::<T>()?;
		let (_, request) = challenged::<T>(&who, model, BlakeTwo256::hash(&answer))?;
		// The request was made for this prompt.
		Records::<T>::mutate(request, |record| {
			if let Some(record) = record {
				record.prompt_hash = BlakeTwo256::hash(&prompt);
			}
		});
		let prompt: BoundedVec<u8, T::MaxRevealLen> =
			prompt.try_into().map_err(|_| BenchmarkError::Weightless)?;
		let answer: BoundedVec<u8, T::MaxRevealLen> =
			answer.try_into().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(who), request, prompt, answer);

		assert!(matches!(Disputes::<T>::get(request), Some(Dispute::Answered { .. })));
		Ok(())
	}

	/// The deadline passed unanswered: the bond goes back, the worker is slashed, the user
	/// refunded.
	#[benchmark]
	fn resolve_challenge() -> Result<(), BenchmarkError> {
		let (who, model) = worker::<T>()?;
		let (_, request) = challenged::<T>(&who, model, H256::repeat_byte(1))?;
		let after = frame_system::Pallet::<T>::block_number()
			.saturating_add(T::ResponsePeriod::get())
			.saturating_add(1u32.into());
		frame_system::Pallet::<T>::set_block_number(after);
		let anyone: T::AccountId = account("anyone", 0, 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(anyone), request);

		assert!(matches!(Disputes::<T>::get(request), Some(Dispute::Upheld { .. })));
		Ok(())
	}

	impl_benchmark_test_suite!(Attribution, crate::mock::new_test_ext(), crate::mock::Test);
}
