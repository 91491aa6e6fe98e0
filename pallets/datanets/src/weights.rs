//! Weights for `pallet_datanets`.
//!
//! Regenerate on the reference machine with the command in the README ("Benchmarks and weights"):
//! `openledger-node benchmark pallet --pallet pallet_datanets --extrinsic '*' ...
//! --template .maintain/frame-weight-template.hbs --output pallets/datanets/src/weights.rs`.

#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use core::marker::PhantomData;
use frame_support::{
	traits::Get,
	weights::{constants::RocksDbWeight, Weight},
};

/// Weight functions needed for `pallet_datanets`.
pub trait WeightInfo {
	fn create_datanet(c: u32) -> Weight;
	fn update_rules(c: u32) -> Weight;
	fn contribute(m: u32) -> Weight;
	fn accept() -> Weight;
	fn set_quality() -> Weight;
	fn reject() -> Weight;
	fn slash() -> Weight;
	fn withdraw() -> Weight;
}

/// Weights for `pallet_datanets` using the node's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn create_datanet(c: u32) -> Weight {
		Weight::from_parts(40_000_000, 3_600)
			.saturating_add(Weight::from_parts(150_000, 0).saturating_mul(c.into()))
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	fn update_rules(c: u32) -> Weight {
		Weight::from_parts(20_000_000, 4_000)
			.saturating_add(Weight::from_parts(150_000, 0).saturating_mul(c.into()))
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	fn contribute(m: u32) -> Weight {
		Weight::from_parts(60_000_000, 4_500)
			.saturating_add(Weight::from_parts(2_000, 0).saturating_mul(m.into()))
			.saturating_add(T::DbWeight::get().reads(5_u64))
			.saturating_add(T::DbWeight::get().writes(8_u64))
	}
	fn accept() -> Weight {
		Weight::from_parts(30_000_000, 4_500)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	fn set_quality() -> Weight {
		Weight::from_parts(30_000_000, 4_500)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	fn reject() -> Weight {
		Weight::from_parts(50_000_000, 4_500)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(5_u64))
	}
	fn slash() -> Weight {
		Weight::from_parts(70_000_000, 4_500)
			.saturating_add(T::DbWeight::get().reads(5_u64))
			.saturating_add(T::DbWeight::get().writes(6_u64))
	}
	fn withdraw() -> Weight {
		Weight::from_parts(50_000_000, 4_500)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(5_u64))
	}
}

// For tests: the same shape on the reference database weights.
impl WeightInfo for () {
	fn create_datanet(c: u32) -> Weight {
		Weight::from_parts(40_000_000, 3_600)
			.saturating_add(Weight::from_parts(150_000, 0).saturating_mul(c.into()))
			.saturating_add(RocksDbWeight::get().reads_writes(2, 3))
	}
	fn update_rules(c: u32) -> Weight {
		Weight::from_parts(20_000_000, 4_000)
			.saturating_add(Weight::from_parts(150_000, 0).saturating_mul(c.into()))
			.saturating_add(RocksDbWeight::get().reads_writes(1, 1))
	}
	fn contribute(m: u32) -> Weight {
		Weight::from_parts(60_000_000, 4_500)
			.saturating_add(Weight::from_parts(2_000, 0).saturating_mul(m.into()))
			.saturating_add(RocksDbWeight::get().reads_writes(5, 8))
	}
	fn accept() -> Weight {
		Weight::from_parts(30_000_000, 4_500)
			.saturating_add(RocksDbWeight::get().reads_writes(2, 2))
	}
	fn set_quality() -> Weight {
		Weight::from_parts(30_000_000, 4_500)
			.saturating_add(RocksDbWeight::get().reads_writes(2, 2))
	}
	fn reject() -> Weight {
		Weight::from_parts(50_000_000, 4_500)
			.saturating_add(RocksDbWeight::get().reads_writes(4, 5))
	}
	fn slash() -> Weight {
		Weight::from_parts(70_000_000, 4_500)
			.saturating_add(RocksDbWeight::get().reads_writes(5, 6))
	}
	fn withdraw() -> Weight {
		Weight::from_parts(50_000_000, 4_500)
			.saturating_add(RocksDbWeight::get().reads_writes(4, 5))
	}
}
