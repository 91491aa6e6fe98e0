//! Weights for `pallet_datanets`, measured by the benchmark CLI 64.0.0 on 2026-11-28.
//!
//! Steps: 20, repeat: 5; WASM execution: Compiled;
//! chain: None; host: `vm`, CPU: `Intel(R) Xeon(R) Processor`.
//!
//! Regenerate with `bash scripts/benchmark-weights.sh` (see README, "Benchmarks and weights").
//! Command:
//!   /root/.cache/openledger-node/target/debug/openledger-node
//!   benchmark
//!   pallet
//!   --runtime
//!   /root/.cache/openledger-node/target/debug/wbuild/openledger-runtime/openledger_runtime.wasm
//!   --genesis-builder=runtime
//!   --genesis-builder-preset=dev
//!   --pallet
//!   pallet_datanets
//!   --extrinsic
//!   *
//!   --steps
//!   20
//!   --repeat
//!   5
//!   --template
//!   .maintain/pallet-weight-template.hbs
//!   --output
//!   pallets/datanets/src/weights.rs

#![cfg_attr(rustfmt, rustfmt_skip)]
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
	fn create_datanet(c: u32, ) -> Weight;
	fn update_rules(c: u32, ) -> Weight;
	fn contribute(m: u32, ) -> Weight;
	fn accept() -> Weight;
	fn set_quality() -> Weight;
	fn reject() -> Weight;
	fn slash() -> Weight;
	fn withdraw() -> Weight;
}

/// Weights for `pallet_datanets` on the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	/// Storage: `Datanets::NextDatanetId` (r:1 w:1)
	/// Proof: `Datanets::NextDatanetId` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:1 w:1)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Proof: `Balances::Holds` (`max_values`: None, `max_size`: Some(157), added: 2632, mode: `MaxEncodedLen`)
	/// Storage: `Datanets::Datanets` (r:0 w:1)
	/// Proof: `Datanets::Datanets` (`max_values`: None, `max_size`: Some(1885), added: 4360, mode: `MaxEncodedLen`)
	/// The range of component `c` is `[0, 16]`.
	fn create_datanet(c: u32, ) -> Weight {
		// Proof size: measured `109`, estimated `3622`.
		// Minimum execution time: 1_595_148_000 picoseconds.
		Weight::from_parts(2_729_858_197, 3622)
			.saturating_add(Weight::from_parts(1_578_359, 0).saturating_mul(c.into()))
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	/// Storage: `Datanets::Datanets` (r:1 w:1)
	/// Proof: `Datanets::Datanets` (`max_values`: None, `max_size`: Some(1885), added: 4360, mode: `MaxEncodedLen`)
	/// The range of component `c` is `[0, 16]`.
	fn update_rules(c: u32, ) -> Weight {
		// Proof size: measured `1942`, estimated `5350`.
		// Minimum execution time: 387_424_000 picoseconds.
		Weight::from_parts(549_794_512, 5350)
			.saturating_add(Weight::from_parts(169_286, 0).saturating_mul(c.into()))
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	/// Storage: `Datanets::Datanets` (r:1 w:1)
	/// Proof: `Datanets::Datanets` (`max_values`: None, `max_size`: Some(1885), added: 4360, mode: `MaxEncodedLen`)
	/// Storage: `Datanets::ContentIndex` (r:1 w:1)
	/// Proof: `Datanets::ContentIndex` (`max_values`: None, `max_size`: Some(60), added: 2535, mode: `MaxEncodedLen`)
	/// Storage: `Datanets::NextContributionId` (r:1 w:1)
	/// Proof: `Datanets::NextContributionId` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:1 w:1)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Proof: `Balances::Holds` (`max_values`: None, `max_size`: Some(157), added: 2632, mode: `MaxEncodedLen`)
	/// Storage: `Timestamp::Now` (r:1 w:0)
	/// Proof: `Timestamp::Now` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `Datanets::DatanetContributions` (r:0 w:1)
	/// Proof: `Datanets::DatanetContributions` (`max_values`: None, `max_size`: Some(36), added: 2511, mode: `MaxEncodedLen`)
	/// Storage: `Datanets::Contributions` (r:0 w:1)
	/// Proof: `Datanets::Contributions` (`max_values`: None, `max_size`: Some(412), added: 2887, mode: `MaxEncodedLen`)
	/// Storage: `Datanets::ContributorContributions` (r:0 w:1)
	/// Proof: `Datanets::ContributorContributions` (`max_values`: None, `max_size`: Some(64), added: 2539, mode: `MaxEncodedLen`)
	/// The range of component `m` is `[0, 256]`.
	fn contribute(_m: u32, ) -> Weight {
		// Proof size: measured `2328`, estimated `5350`.
		// Minimum execution time: 2_208_321_000 picoseconds.
		Weight::from_parts(3_449_330_641, 5350)
			.saturating_add(T::DbWeight::get().reads(6_u64))
			.saturating_add(T::DbWeight::get().writes(8_u64))
	}
	/// Storage: `Datanets::Contributions` (r:1 w:1)
	/// Proof: `Datanets::Contributions` (`max_values`: None, `max_size`: Some(412), added: 2887, mode: `MaxEncodedLen`)
	/// Storage: `Datanets::Datanets` (r:1 w:1)
	/// Proof: `Datanets::Datanets` (`max_values`: None, `max_size`: Some(1885), added: 4360, mode: `MaxEncodedLen`)
	fn accept() -> Weight {
		// Proof size: measured `2474`, estimated `5350`.
		// Minimum execution time: 604_824_000 picoseconds.
		Weight::from_parts(871_804_000, 5350)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	/// Storage: `Datanets::Contributions` (r:1 w:1)
	/// Proof: `Datanets::Contributions` (`max_values`: None, `max_size`: Some(412), added: 2887, mode: `MaxEncodedLen`)
	/// Storage: `Datanets::Datanets` (r:1 w:1)
	/// Proof: `Datanets::Datanets` (`max_values`: None, `max_size`: Some(1885), added: 4360, mode: `MaxEncodedLen`)
	fn set_quality() -> Weight {
		// Proof size: measured `2506`, estimated `5350`.
		// Minimum execution time: 580_998_000 picoseconds.
		Weight::from_parts(678_056_000, 5350)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	/// Storage: `Datanets::Contributions` (r:1 w:1)
	/// Proof: `Datanets::Contributions` (`max_values`: None, `max_size`: Some(412), added: 2887, mode: `MaxEncodedLen`)
	/// Storage: `Datanets::Datanets` (r:1 w:1)
	/// Proof: `Datanets::Datanets` (`max_values`: None, `max_size`: Some(1885), added: 4360, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:1 w:1)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Proof: `Balances::Holds` (`max_values`: None, `max_size`: Some(157), added: 2632, mode: `MaxEncodedLen`)
	fn reject() -> Weight {
		// Proof size: measured `2707`, estimated `5350`.
		// Minimum execution time: 1_873_278_000 picoseconds.
		Weight::from_parts(2_855_360_000, 5350)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	/// Storage: `Datanets::Contributions` (r:1 w:1)
	/// Proof: `Datanets::Contributions` (`max_values`: None, `max_size`: Some(412), added: 2887, mode: `MaxEncodedLen`)
	/// Storage: `Datanets::Datanets` (r:1 w:1)
	/// Proof: `Datanets::Datanets` (`max_values`: None, `max_size`: Some(1885), added: 4360, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Proof: `Balances::Holds` (`max_values`: None, `max_size`: Some(157), added: 2632, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:2 w:2)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	fn slash() -> Weight {
		// Proof size: measured `2842`, estimated `6196`.
		// Minimum execution time: 1_727_218_000 picoseconds.
		Weight::from_parts(2_152_741_000, 6196)
			.saturating_add(T::DbWeight::get().reads(5_u64))
			.saturating_add(T::DbWeight::get().writes(5_u64))
	}
	/// Storage: `Datanets::Contributions` (r:1 w:1)
	/// Proof: `Datanets::Contributions` (`max_values`: None, `max_size`: Some(412), added: 2887, mode: `MaxEncodedLen`)
	/// Storage: `Datanets::Datanets` (r:1 w:1)
	/// Proof: `Datanets::Datanets` (`max_values`: None, `max_size`: Some(1885), added: 4360, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:1 w:1)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Proof: `Balances::Holds` (`max_values`: None, `max_size`: Some(157), added: 2632, mode: `MaxEncodedLen`)
	fn withdraw() -> Weight {
		// Proof size: measured `2739`, estimated `5350`.
		// Minimum execution time: 1_616_251_000 picoseconds.
		Weight::from_parts(1_919_018_000, 5350)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
}

/// The same weights on the reference database weights, for tests and mocks.
impl WeightInfo for () {
	fn create_datanet(c: u32, ) -> Weight {
		Weight::from_parts(2_729_858_197, 3622)
			.saturating_add(Weight::from_parts(1_578_359, 0).saturating_mul(c.into()))
			.saturating_add(RocksDbWeight::get().reads(3_u64))
			.saturating_add(RocksDbWeight::get().writes(4_u64))
	}
	fn update_rules(c: u32, ) -> Weight {
		Weight::from_parts(549_794_512, 5350)
			.saturating_add(Weight::from_parts(169_286, 0).saturating_mul(c.into()))
			.saturating_add(RocksDbWeight::get().reads(1_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
	fn contribute(_m: u32, ) -> Weight {
		Weight::from_parts(3_449_330_641, 5350)
			.saturating_add(RocksDbWeight::get().reads(6_u64))
			.saturating_add(RocksDbWeight::get().writes(8_u64))
	}
	fn accept() -> Weight {
		Weight::from_parts(871_804_000, 5350)
			.saturating_add(RocksDbWeight::get().reads(2_u64))
			.saturating_add(RocksDbWeight::get().writes(2_u64))
	}
	fn set_quality() -> Weight {
		Weight::from_parts(678_056_000, 5350)
			.saturating_add(RocksDbWeight::get().reads(2_u64))
			.saturating_add(RocksDbWeight::get().writes(2_u64))
	}
	fn reject() -> Weight {
		Weight::from_parts(2_855_360_000, 5350)
			.saturating_add(RocksDbWeight::get().reads(4_u64))
			.saturating_add(RocksDbWeight::get().writes(4_u64))
	}
	fn slash() -> Weight {
		Weight::from_parts(2_152_741_000, 6196)
			.saturating_add(RocksDbWeight::get().reads(5_u64))
			.saturating_add(RocksDbWeight::get().writes(5_u64))
	}
	fn withdraw() -> Weight {
		Weight::from_parts(1_919_018_000, 5350)
			.saturating_add(RocksDbWeight::get().reads(4_u64))
			.saturating_add(RocksDbWeight::get().writes(4_u64))
	}
}
