//! Benchmarks of every call and of the expiry hook, each in its most expensive case.

use super::*;
use crate::Pallet as FeeSplit;
use alloc::vec::Vec;
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{
		fungible::{Inspect, Mutate},
		Get, Hooks,
	},
	BoundedVec,
};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use sp_core::H256;
use sp_runtime::traits::{One, Saturating, Zero};

fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, 0);
	fund::<T>(&who);
	who
}

fn fund<T: Config>(who: &T::AccountId) {
	let amount = T::Currency::minimum_balance().saturating_mul(1_000_000_000u32.into());
	T::Currency::set_balance(who, amount);
}

/// A request naming as many workers as one may: the longest to encode, hash and store.
fn request<T: Config>(model: ModelId, nonce: u64) -> RequestOf<T> {
	let workers: Vec<T::AccountId> =
		(0..MAX_WORKERS_PER_REQUEST).map(|i| account("allowed-worker", i, 0)).collect();
	InferenceRequest {
		model,
		prompt_hash: H256::repeat_byte(1),
		tokens_in: 1_000,
		workers: BoundedVec::truncate_from(workers),
		max_output_tokens: 1_000,
		max_fee: T::Currency::minimum_balance().saturating_mul(1_000_000u32.into()),
		nonce,
		expires_at: frame_system::Pallet::<T>::block_number()
			.saturating_add(T::MaxRequestLifetime::get()),
	}
}

/// Fill the expiry slot of `request` but one, so that the benchmarked call pays for the longest
/// list.
fn crowd_expiry<T: Config>(request: &RequestOf<T>) {
	let slot = request.expires_at.saturating_add(One::one());
	let ids: Vec<RequestId> = (0..T::MaxExpiringPerBlock::get().saturating_sub(1))
		.map(|i| H256::from_slice(&[&[0xee; 28][..], &i.to_le_bytes()[..]].concat()))
		.collect();
	ExpiringAt::<T>::insert(slot, BoundedVec::truncate_from(ids));
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn request_inference() {
		let model = T::BenchmarkHelper::served_model();
		let user = funded::<T>("user", 0);
		let request = request::<T>(model, 0);
		crowd_expiry::<T>(&request);

		#[extrinsic_call]
		_(RawOrigin::Signed(user.clone()), request.clone());

		let id = FeeSplit::<T>::request_id(&user, &request);
		let record = Requests::<T>::get(id).expect("held");
		assert_eq!(record.request.workers.len() as u32, MAX_WORKERS_PER_REQUEST);
	}

	#[benchmark]
	fn submit_signed_request() {
		let model = T::BenchmarkHelper::served_model();
		let submitter = funded::<T>("worker", 0);
		let request = request::<T>(model, 0);
		// Signed wrapped, as a wallet does: the costlier case, verified twice.
		let (open, close) = WALLET_WRAP;
		let digest = FeeSplit::<T>::signing_digest(&request);
		let (signer, signature) =
			T::BenchmarkHelper::sign(&[open, digest.as_bytes(), close].concat());
		fund::<T>(&signer);
		crowd_expiry::<T>(&request);

		#[extrinsic_call]
		_(RawOrigin::Signed(submitter), request.clone(), signer.clone(), signature);

		let id = FeeSplit::<T>::request_id(&signer, &request);
		assert!(Requests::<T>::contains_key(id));
	}

	/// `n` pending requests expire and are refunded at the start of a block.
	#[benchmark]
	fn expire_requests(
		n: Linear<0, { T::MaxExpiringPerBlock::get() }>,
	) -> Result<(), BenchmarkError> {
		let model = T::BenchmarkHelper::served_model();
		let mut expiry = BlockNumberFor::<T>::zero();
		for i in 0..n {
			let user = funded::<T>("user", i);
			let request = request::<T>(model, u64::from(i));
			expiry = request.expires_at;
			FeeSplit::<T>::request_inference(RawOrigin::Signed(user).into(), request)?;
		}
		let slot = expiry.saturating_add(One::one());
		assert_eq!(ExpiringAt::<T>::get(slot).len() as u32, n);

		#[block]
		{
			FeeSplit::<T>::on_initialize(slot);
		}

		assert!(ExpiringAt::<T>::get(slot).is_empty());
		Ok(())
	}

	impl_benchmark_test_suite!(FeeSplit, crate::mock::new_test_ext(), crate::mock::Test);
}
