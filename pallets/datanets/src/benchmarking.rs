//! Benchmarks of every call, each in its most expensive case.

use super::*;
use crate::Pallet as Datanets;
use alloc::vec;
use frame_benchmarking::v2::*;
use frame_support::traits::{
	fungible::{Inspect, Mutate},
	Get,
};
use frame_system::RawOrigin;
use sp_core::H256;
use sp_runtime::{traits::Saturating, Perbill};

fn stake<T: Config>() -> BalanceOf<T> {
	T::Currency::minimum_balance().saturating_mul(1_000u32.into())
}

fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, 0);
	let amount = T::DatanetDeposit::get()
		.saturating_mul(10u32.into())
		.saturating_add(stake::<T>().saturating_mul(100u32.into()));
	T::Currency::set_balance(&who, amount);
	who
}

fn curators<T: Config>(n: u32) -> vec::Vec<T::AccountId> {
	(0..n).map(|i| account("curator", i, 0)).collect()
}

/// A Datanet owned by a funded account, with the most curators; the owner is returned.
fn datanet<T: Config>() -> Result<(T::AccountId, DatanetId), BenchmarkError> {
	let owner = funded::<T>("owner", 0);
	let id = NextDatanetId::<T>::get();
	Datanets::<T>::create_datanet(
		RawOrigin::Signed(owner.clone()).into(),
		vec![b'n'; T::MaxNameLen::get() as usize],
		vec![b'd'; T::MaxTagLen::get() as usize],
		vec![b'x'; T::MaxDescriptionLen::get() as usize],
		vec![b's'; T::MaxTagLen::get() as usize],
		T::Currency::minimum_balance(),
		curators::<T>(T::MaxCurators::get()),
	)?;
	Ok((owner, id))
}

/// A pending contribution with a stake, by a funded contributor.
fn contribution<T: Config>(
	datanet: DatanetId,
) -> Result<(T::AccountId, ContributionId), BenchmarkError> {
	let contributor = funded::<T>("contributor", 0);
	let id = NextContributionId::<T>::get();
	Datanets::<T>::contribute(
		RawOrigin::Signed(contributor.clone()).into(),
		datanet,
		<sp_runtime::traits::BlakeTwo256 as sp_runtime::traits::Hash>::hash(&id.to_le_bytes()),
		T::MaxContentSize::get(),
		vec![b'm'; T::MaxMetadataLen::get() as usize],
		stake::<T>(),
	)?;
	Ok((contributor, id))
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn create_datanet(c: Linear<0, { T::MaxCurators::get() }>) {
		let owner = funded::<T>("owner", 0);
		// The genesis may hold Datanets already (the dev chain's demo one).
		let id = NextDatanetId::<T>::get();
		#[extrinsic_call]
		_(
			RawOrigin::Signed(owner.clone()),
			vec![b'n'; T::MaxNameLen::get() as usize],
			vec![b'd'; T::MaxTagLen::get() as usize],
			vec![b'x'; T::MaxDescriptionLen::get() as usize],
			vec![b's'; T::MaxTagLen::get() as usize],
			T::Currency::minimum_balance(),
			curators::<T>(c),
		);
		assert!(Datanets::<T>::datanet(id).is_some_and(|net| net.owner == owner));
	}

	#[benchmark]
	fn update_rules(c: Linear<0, { T::MaxCurators::get() }>) -> Result<(), BenchmarkError> {
		let (owner, id) = datanet::<T>()?;
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id, stake::<T>(), curators::<T>(c));
		assert!(Datanets::<T>::datanet(id).is_some_and(|net| net.rules.min_stake == stake::<T>()));
		Ok(())
	}

	#[benchmark]
	fn contribute(m: Linear<0, { T::MaxMetadataLen::get() }>) -> Result<(), BenchmarkError> {
		let (_, net) = datanet::<T>()?;
		// A Datanet that already has a contribution, so that the indexes are not empty.
		contribution::<T>(net)?;
		let contributor = funded::<T>("contributor", 1);
		#[extrinsic_call]
		_(
			RawOrigin::Signed(contributor),
			net,
			H256::repeat_byte(0xab),
			T::MaxContentSize::get(),
			vec![b'm'; m as usize],
			stake::<T>(),
		);
		assert_eq!(Datanets::<T>::datanet(net).map(|n| n.stats.contributions), Some(2));
		Ok(())
	}

	#[benchmark]
	fn accept() -> Result<(), BenchmarkError> {
		let (owner, net) = datanet::<T>()?;
		let (_, id) = contribution::<T>(net)?;
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id, Perbill::from_percent(80));
		assert!(Datanets::<T>::is_accepted(id));
		Ok(())
	}

	#[benchmark]
	fn set_quality() -> Result<(), BenchmarkError> {
		let (owner, net) = datanet::<T>()?;
		let (_, id) = contribution::<T>(net)?;
		Datanets::<T>::accept(RawOrigin::Signed(owner.clone()).into(), id, Perbill::one())?;
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id, Perbill::from_percent(50));
		assert_eq!(Datanets::<T>::credibility(net), Some(Perbill::from_percent(50)));
		Ok(())
	}

	#[benchmark]
	fn reject() -> Result<(), BenchmarkError> {
		let (owner, net) = datanet::<T>()?;
		let (_, id) = contribution::<T>(net)?;
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id);
		assert!(
			Contributions::<T>::get(id).is_some_and(|c| c.status == ContributionStatus::Rejected)
		);
		Ok(())
	}

	#[benchmark]
	fn slash() -> Result<(), BenchmarkError> {
		let (owner, net) = datanet::<T>()?;
		let (_, id) = contribution::<T>(net)?;
		Datanets::<T>::accept(RawOrigin::Signed(owner.clone()).into(), id, Perbill::one())?;
		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id);
		assert!(
			Contributions::<T>::get(id).is_some_and(|c| c.status == ContributionStatus::Slashed)
		);
		Ok(())
	}

	#[benchmark]
	fn withdraw() -> Result<(), BenchmarkError> {
		let (owner, net) = datanet::<T>()?;
		let (contributor, id) = contribution::<T>(net)?;
		Datanets::<T>::accept(RawOrigin::Signed(owner).into(), id, Perbill::one())?;
		#[extrinsic_call]
		_(RawOrigin::Signed(contributor), id);
		assert!(
			Contributions::<T>::get(id).is_some_and(|c| c.status == ContributionStatus::Withdrawn)
		);
		Ok(())
	}

	impl_benchmark_test_suite!(Datanets, crate::mock::new_test_ext(), crate::mock::Test);
}
