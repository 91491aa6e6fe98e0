//! Benchmarks of every call, each in its most expensive case.

use super::*;
use crate::Pallet as Governance;
use alloc::{boxed::Box, vec, vec::Vec};
use codec::Encode;
use frame_benchmarking::v2::*;
use frame_support::traits::EnsureOrigin;
use frame_support::traits::{
	fungible::{Inspect, Mutate},
	Get,
};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use sp_runtime::{
	traits::{Saturating, Zero},
	Perbill,
};

fn amount<T: Config>() -> BalanceOf<T> {
	T::Currency::minimum_balance().saturating_mul(1_000u32.into())
}

fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, 0);
	let balance = T::ProposalDeposit::get()
		.saturating_mul(100u32.into())
		.saturating_add(amount::<T>().saturating_mul(100u32.into()));
	T::Currency::set_balance(&who, balance);
	who
}

fn change<T: Config>() -> ChangeOf<T> {
	ParameterChange::DataThresholds {
		min_accepted_contributions: 1,
		min_credibility: Perbill::from_percent(10),
	}
}

/// A remark as long as a proposal may hold: the costliest to encode, store and decode, and
/// cheap to dispatch. The runtime's [`Config::CallFilter`] must admit `System::remark`.
fn remark<T: Config>() -> <T as Config>::RuntimeCall {
	let max = T::MaxCallLen::get() as usize;
	let mut len = max;
	loop {
		let call: <T as Config>::RuntimeCall =
			frame_system::Call::<T>::remark { remark: vec![0; len] }.into();
		if call.encoded_size() <= max || len == 0 {
			return call;
		}
		len = len.saturating_sub(1);
	}
}

/// `n` open proposals.
fn proposals<T: Config>(n: u32) -> Result<Vec<ProposalId>, BenchmarkError> {
	let proposer = funded::<T>("proposer", 0);
	(0..n)
		.map(|_| {
			let id = NextProposalId::<T>::get();
			Governance::<T>::propose_parameter(
				RawOrigin::Signed(proposer.clone()).into(),
				change::<T>(),
			)?;
			Ok(id)
		})
		.collect()
}

/// A staker voting on `votes` open proposals.
fn voter<T: Config>(votes: u32) -> Result<T::AccountId, BenchmarkError> {
	let who = funded::<T>("voter", 0);
	Governance::<T>::stake(RawOrigin::Signed(who.clone()).into(), amount::<T>())?;
	for id in proposals::<T>(votes)? {
		Governance::<T>::vote(RawOrigin::Signed(who.clone()).into(), id, true, amount::<T>())?;
	}
	Ok(who)
}

fn past_voting_period<T: Config>() {
	let now = frame_system::Pallet::<T>::block_number();
	frame_system::Pallet::<T>::set_block_number(
		now.saturating_add(Governance::<T>::voting_period()).saturating_add(1u32.into()),
	);
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn stake() {
		let who = funded::<T>("staker", 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), amount::<T>());
		assert_eq!(Governance::<T>::voting_power(&who), amount::<T>());
	}

	#[benchmark]
	fn unstake(v: Linear<0, { T::MaxVotesPerAccount::get() }>) -> Result<(), BenchmarkError> {
		let who = voter::<T>(v)?;
		// Votes on closed proposals, pruned by the call.
		past_voting_period::<T>();
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), amount::<T>());
		assert!(Governance::<T>::voting_power(&who).is_zero());
		Ok(())
	}

	#[benchmark]
	fn withdraw_unbonded(
		c: Linear<1, { T::MaxUnbondingChunks::get() }>,
	) -> Result<(), BenchmarkError> {
		let who = funded::<T>("staker", 0);
		let part = T::Currency::minimum_balance();
		Governance::<T>::stake(
			RawOrigin::Signed(who.clone()).into(),
			part.saturating_mul(c.into()),
		)?;
		for _ in 0..c {
			Governance::<T>::unstake(RawOrigin::Signed(who.clone()).into(), part)?;
		}
		let now: BlockNumberFor<T> = frame_system::Pallet::<T>::block_number();
		frame_system::Pallet::<T>::set_block_number(
			now.saturating_add(Governance::<T>::unbonding_period()),
		);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));
		assert!(Stakes::<T>::get(&who).is_none());
		Ok(())
	}

	#[benchmark]
	fn propose_parameter() {
		let who = funded::<T>("proposer", 1);
		// The genesis may hold proposals already (the dev chain's demo model).
		let id = NextProposalId::<T>::get();
		#[extrinsic_call]
		_(RawOrigin::Signed(who), change::<T>());
		assert_eq!(NextProposalId::<T>::get(), id.saturating_add(1));
	}

	#[benchmark]
	fn vote(
		v: Linear<0, { T::MaxVotesPerAccount::get().saturating_sub(1) }>,
	) -> Result<(), BenchmarkError> {
		let who = voter::<T>(v)?;
		let target = proposals::<T>(1)?.pop().ok_or(BenchmarkError::Stop("no proposal"))?;
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), target, true, amount::<T>());
		assert!(Votes::<T>::get(target, &who).is_some());
		Ok(())
	}

	#[benchmark]
	fn close() -> Result<(), BenchmarkError> {
		let id = NextProposalId::<T>::get();
		let who = voter::<T>(1)?;
		past_voting_period::<T>();
		#[extrinsic_call]
		_(RawOrigin::Signed(who), id);
		assert!(Proposals::<T>::get(id).is_some_and(|p| p.status == ProposalStatus::Approved));
		Ok(())
	}

	#[benchmark]
	fn propose_call() {
		let who = funded::<T>("proposer", 1);
		let id = NextProposalId::<T>::get();
		#[extrinsic_call]
		_(RawOrigin::Signed(who), Box::new(remark::<T>()));
		assert_eq!(NextProposalId::<T>::get(), id.saturating_add(1));
	}

	/// Closing an approved call proposal, without the call's own weight (added at dispatch).
	#[benchmark]
	fn close_call() -> Result<(), BenchmarkError> {
		let who = funded::<T>("voter", 0);
		Governance::<T>::stake(RawOrigin::Signed(who.clone()).into(), amount::<T>())?;
		let proposer = funded::<T>("proposer", 0);
		let id = NextProposalId::<T>::get();
		Governance::<T>::propose_call(RawOrigin::Signed(proposer).into(), Box::new(remark::<T>()))?;
		Governance::<T>::vote(RawOrigin::Signed(who.clone()).into(), id, true, amount::<T>())?;
		past_voting_period::<T>();
		#[extrinsic_call]
		close(RawOrigin::Signed(who), id);
		assert!(Proposals::<T>::get(id).is_some_and(|p| p.status == ProposalStatus::Approved));
		frame_system::Pallet::<T>::assert_last_event(
			Event::<T>::CallDispatched { proposal: id, result: Ok(()) }.into(),
		);
		Ok(())
	}

	#[benchmark]
	fn unlock(v: Linear<0, { T::MaxVotesPerAccount::get() }>) -> Result<(), BenchmarkError> {
		let first = NextProposalId::<T>::get();
		let who = voter::<T>(v)?;
		past_voting_period::<T>();
		for id in first..first.saturating_add(v) {
			Governance::<T>::close(RawOrigin::Signed(who.clone()).into(), id)?;
		}
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));
		assert!(Stakes::<T>::get(&who).is_some_and(|s| s.votes.is_empty()));
		Ok(())
	}

	#[benchmark]
	fn force_set_parameter() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, change::<T>());
		assert_eq!(Parameters::<T>::get().min_accepted_contributions, 1);
		Ok(())
	}

	impl_benchmark_test_suite!(Governance, crate::mock::new_test_ext(), crate::mock::Test);
}
