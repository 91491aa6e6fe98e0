//! Weights for `pallet_model_registry`.
//!
//! Regenerate on the reference machine with the command in the README ("Benchmarks and weights"):
//! `openledger-node benchmark pallet --pallet pallet_model_registry --extrinsic '*' ...
//! --output pallets/model-registry/src/weights.rs`.

#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use core::marker::PhantomData;
use frame_support::{
	traits::Get,
	weights::{constants::RocksDbWeight, Weight},
};

/// Weight functions needed for `pallet_model_registry`.
pub trait WeightInfo {
	fn propose(d: u32) -> Weight;
	fn start_data_collection() -> Weight;
	fn start_training(d: u32) -> Weight;
	fn register_version(s: u32) -> Weight;
	fn deploy() -> Weight;
	fn retire() -> Weight;
	fn stake() -> Weight;
	fn unstake() -> Weight;
}

/// Weights for `pallet_model_registry` using the node's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn propose(d: u32) -> Weight {
		Weight::from_parts(60_000_000, 4_000)
			.saturating_add(Weight::from_parts(3_000_000, 0).saturating_mul(d.into()))
			.saturating_add(T::DbWeight::get().reads((d as u64)))
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(6_u64))
	}
	fn start_data_collection() -> Weight {
		Weight::from_parts(20_000_000, 4_000)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	fn start_training(d: u32) -> Weight {
		Weight::from_parts(25_000_000, 4_000)
			.saturating_add(Weight::from_parts(3_000_000, 0).saturating_mul(d.into()))
			.saturating_add(T::DbWeight::get().reads((d as u64)))
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	fn register_version(s: u32) -> Weight {
		Weight::from_parts(30_000_000, 4_000)
			.saturating_add(Weight::from_parts(3_000_000, 0).saturating_mul(s.into()))
			.saturating_add(T::DbWeight::get().reads((s as u64)))
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	fn deploy() -> Weight {
		Weight::from_parts(25_000_000, 4_000)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	fn retire() -> Weight {
		Weight::from_parts(22_000_000, 4_000)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	fn stake() -> Weight {
		Weight::from_parts(45_000_000, 4_000)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	fn unstake() -> Weight {
		Weight::from_parts(45_000_000, 4_000)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
}

// For tests: the same shape on the reference database weights.
impl WeightInfo for () {
	fn propose(d: u32) -> Weight {
		Weight::from_parts(60_000_000, 4_000)
			.saturating_add(Weight::from_parts(3_000_000, 0).saturating_mul(d.into()))
			.saturating_add(RocksDbWeight::get().reads((d as u64)))
			.saturating_add(RocksDbWeight::get().reads(4_u64))
			.saturating_add(RocksDbWeight::get().writes(6_u64))
	}
	fn start_data_collection() -> Weight {
		Weight::from_parts(20_000_000, 4_000)
			.saturating_add(RocksDbWeight::get().reads(1_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
	fn start_training(d: u32) -> Weight {
		Weight::from_parts(25_000_000, 4_000)
			.saturating_add(Weight::from_parts(3_000_000, 0).saturating_mul(d.into()))
			.saturating_add(RocksDbWeight::get().reads((d as u64)))
			.saturating_add(RocksDbWeight::get().reads(2_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
	fn register_version(s: u32) -> Weight {
		Weight::from_parts(30_000_000, 4_000)
			.saturating_add(Weight::from_parts(3_000_000, 0).saturating_mul(s.into()))
			.saturating_add(RocksDbWeight::get().reads((s as u64)))
			.saturating_add(RocksDbWeight::get().reads(1_u64))
			.saturating_add(RocksDbWeight::get().writes(2_u64))
	}
	fn deploy() -> Weight {
		Weight::from_parts(25_000_000, 4_000)
			.saturating_add(RocksDbWeight::get().reads(2_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
	fn retire() -> Weight {
		Weight::from_parts(22_000_000, 4_000)
			.saturating_add(RocksDbWeight::get().reads(1_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
	fn stake() -> Weight {
		Weight::from_parts(45_000_000, 4_000)
			.saturating_add(RocksDbWeight::get().reads(3_u64))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
	}
	fn unstake() -> Weight {
		Weight::from_parts(45_000_000, 4_000)
			.saturating_add(RocksDbWeight::get().reads(3_u64))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
	}
}
