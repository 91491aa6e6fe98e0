//! Weights for `pallet_governance`.
//!
//! Regenerate on the reference machine with the command in the README ("Benchmarks and weights"):
//! `openledger-node benchmark pallet --pallet pallet_governance --extrinsic '*' ...
//! --output pallets/governance/src/weights.rs`.

#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use core::marker::PhantomData;
use frame_support::{
	traits::Get,
	weights::{constants::RocksDbWeight, Weight},
};

/// Weight functions needed for `pallet_governance`.
pub trait WeightInfo {
	fn stake() -> Weight;
	fn unstake(v: u32) -> Weight;
	fn withdraw_unbonded(c: u32) -> Weight;
	fn propose_parameter() -> Weight;
	fn vote(v: u32) -> Weight;
	fn close() -> Weight;
	fn unlock(v: u32) -> Weight;
	fn force_set_parameter() -> Weight;
}

/// Weights for `pallet_governance` using the node's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn stake() -> Weight {
		Weight::from_parts(40_000_000, 3_600)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	fn unstake(v: u32) -> Weight {
		Weight::from_parts(40_000_000, 4_000)
			.saturating_add(Weight::from_parts(3_000_000, 0).saturating_mul(v.into()))
			.saturating_add(T::DbWeight::get().reads((v as u64)))
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	fn withdraw_unbonded(c: u32) -> Weight {
		Weight::from_parts(45_000_000, 4_000)
			.saturating_add(Weight::from_parts(3_000_000, 0).saturating_mul(c.into()))
			.saturating_add(T::DbWeight::get().reads((c as u64)))
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	fn propose_parameter() -> Weight {
		Weight::from_parts(40_000_000, 3_600)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	fn vote(v: u32) -> Weight {
		Weight::from_parts(50_000_000, 4_500)
			.saturating_add(Weight::from_parts(3_000_000, 0).saturating_mul(v.into()))
			.saturating_add(T::DbWeight::get().reads((v as u64)))
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	fn close() -> Weight {
		Weight::from_parts(45_000_000, 4_000)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	fn unlock(v: u32) -> Weight {
		Weight::from_parts(30_000_000, 4_000)
			.saturating_add(Weight::from_parts(3_000_000, 0).saturating_mul(v.into()))
			.saturating_add(T::DbWeight::get().reads((v as u64)))
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	fn force_set_parameter() -> Weight {
		Weight::from_parts(15_000_000, 1_500)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
}

// For tests: the same shape on the reference database weights.
impl WeightInfo for () {
	fn stake() -> Weight {
		Weight::from_parts(40_000_000, 3_600)
			.saturating_add(RocksDbWeight::get().reads(3_u64))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
	}
	fn unstake(v: u32) -> Weight {
		Weight::from_parts(40_000_000, 4_000)
			.saturating_add(Weight::from_parts(3_000_000, 0).saturating_mul(v.into()))
			.saturating_add(RocksDbWeight::get().reads((v as u64)))
			.saturating_add(RocksDbWeight::get().reads(3_u64))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
	}
	fn withdraw_unbonded(c: u32) -> Weight {
		Weight::from_parts(45_000_000, 4_000)
			.saturating_add(Weight::from_parts(3_000_000, 0).saturating_mul(c.into()))
			.saturating_add(RocksDbWeight::get().reads((c as u64)))
			.saturating_add(RocksDbWeight::get().reads(3_u64))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
	}
	fn propose_parameter() -> Weight {
		Weight::from_parts(40_000_000, 3_600)
			.saturating_add(RocksDbWeight::get().reads(3_u64))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
	}
	fn vote(v: u32) -> Weight {
		Weight::from_parts(50_000_000, 4_500)
			.saturating_add(Weight::from_parts(3_000_000, 0).saturating_mul(v.into()))
			.saturating_add(RocksDbWeight::get().reads((v as u64)))
			.saturating_add(RocksDbWeight::get().reads(4_u64))
			.saturating_add(RocksDbWeight::get().writes(4_u64))
	}
	fn close() -> Weight {
		Weight::from_parts(45_000_000, 4_000)
			.saturating_add(RocksDbWeight::get().reads(4_u64))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
	}
	fn unlock(v: u32) -> Weight {
		Weight::from_parts(30_000_000, 4_000)
			.saturating_add(Weight::from_parts(3_000_000, 0).saturating_mul(v.into()))
			.saturating_add(RocksDbWeight::get().reads((v as u64)))
			.saturating_add(RocksDbWeight::get().reads(2_u64))
			.saturating_add(RocksDbWeight::get().writes(2_u64))
	}
	fn force_set_parameter() -> Weight {
		Weight::from_parts(15_000_000, 1_500)
			.saturating_add(RocksDbWeight::get().reads(1_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
}
