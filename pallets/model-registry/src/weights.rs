//! Weights for `pallet_model_registry`, measured by the benchmark CLI 64.0.0 on 2026-11-28.
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
//!   pallet_model_registry
//!   --extrinsic
//!   *
//!   --steps
//!   20
//!   --repeat
//!   5
//!   --template
//!   .maintain/pallet-weight-template.hbs
//!   --output
//!   pallets/model-registry/src/weights.rs

#![cfg_attr(rustfmt, rustfmt_skip)]
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
	fn propose(d: u32, ) -> Weight;
	fn start_data_collection() -> Weight;
	fn start_training(d: u32, ) -> Weight;
	fn register_version(s: u32, ) -> Weight;
	fn deploy() -> Weight;
	fn retire() -> Weight;
	fn stake() -> Weight;
	fn unstake() -> Weight;
}

/// Weights for `pallet_model_registry` on the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	/// Storage: `Datanets::Datanets` (r:8 w:0)
	/// Proof: `Datanets::Datanets` (`max_values`: None, `max_size`: Some(1885), added: 4360, mode: `MaxEncodedLen`)
	/// Storage: `ModelRegistry::NextModelId` (r:1 w:1)
	/// Proof: `ModelRegistry::NextModelId` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:2 w:2)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Proof: `Balances::Holds` (`max_values`: None, `max_size`: Some(157), added: 2632, mode: `MaxEncodedLen`)
	/// Storage: `Governance::NextProposalId` (r:1 w:1)
	/// Proof: `Governance::NextProposalId` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	/// Storage: `Governance::PeriodOverrides` (r:1 w:0)
	/// Proof: `Governance::PeriodOverrides` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `Governance::Proposals` (r:0 w:1)
	/// Proof: `Governance::Proposals` (`max_values`: None, `max_size`: Some(116), added: 2591, mode: `MaxEncodedLen`)
	/// Storage: `ModelRegistry::ModelOfProposal` (r:0 w:1)
	/// Proof: `ModelRegistry::ModelOfProposal` (`max_values`: None, `max_size`: Some(16), added: 2491, mode: `MaxEncodedLen`)
	/// Storage: `ModelRegistry::Models` (r:0 w:1)
	/// Proof: `ModelRegistry::Models` (`max_values`: None, `max_size`: Some(937), added: 3412, mode: `MaxEncodedLen`)
	/// The range of component `d` is `[1, 8]`.
	fn propose(d: u32, ) -> Weight {
		// Proof size: measured `575`, estimated `6196`.
		// Minimum execution time: 3_074_132_000 picoseconds.
		Weight::from_parts(4_586_063_044, 6196)
			.saturating_add(T::DbWeight::get().reads(6_u64))
			.saturating_add(T::DbWeight::get().reads((1_u64).saturating_mul(d.into())))
			.saturating_add(T::DbWeight::get().writes(8_u64))
			.saturating_add(Weight::from_parts(0, 4360).saturating_mul(d.into()))
	}
	/// Storage: `ModelRegistry::Models` (r:1 w:1)
	/// Proof: `ModelRegistry::Models` (`max_values`: None, `max_size`: Some(937), added: 3412, mode: `MaxEncodedLen`)
	fn start_data_collection() -> Weight {
		// Proof size: measured `1059`, estimated `4402`.
		// Minimum execution time: 403_452_000 picoseconds.
		Weight::from_parts(441_894_000, 4402)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	/// Storage: `ModelRegistry::Models` (r:1 w:1)
	/// Proof: `ModelRegistry::Models` (`max_values`: None, `max_size`: Some(937), added: 3412, mode: `MaxEncodedLen`)
	/// Storage: `Governance::Parameters` (r:1 w:0)
	/// Proof: `Governance::Parameters` (`max_values`: Some(1), `max_size`: Some(37), added: 532, mode: `MaxEncodedLen`)
	/// Storage: `Datanets::Datanets` (r:8 w:0)
	/// Proof: `Datanets::Datanets` (`max_values`: None, `max_size`: Some(1885), added: 4360, mode: `MaxEncodedLen`)
	/// The range of component `d` is `[1, 8]`.
	fn start_training(d: u32, ) -> Weight {
		// Proof size: measured `1987`, estimated `35870`.
		// Minimum execution time: 1_468_267_000 picoseconds.
		Weight::from_parts(1_871_102_117, 35870)
			.saturating_add(Weight::from_parts(14_837_349, 0).saturating_mul(d.into()))
			.saturating_add(T::DbWeight::get().reads(10_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	/// Storage: `ModelRegistry::Models` (r:1 w:1)
	/// Proof: `ModelRegistry::Models` (`max_values`: None, `max_size`: Some(937), added: 3412, mode: `MaxEncodedLen`)
	/// Storage: `ModelRegistry::Versions` (r:0 w:1)
	/// Proof: `ModelRegistry::Versions` (`max_values`: None, `max_size`: Some(817), added: 3292, mode: `MaxEncodedLen`)
	/// The range of component `s` is `[0, 16]`.
	fn register_version(_s: u32, ) -> Weight {
		// Proof size: measured `1059`, estimated `4402`.
		// Minimum execution time: 622_914_000 picoseconds.
		Weight::from_parts(900_600_749, 4402)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	/// Storage: `ModelRegistry::Models` (r:1 w:1)
	/// Proof: `ModelRegistry::Models` (`max_values`: None, `max_size`: Some(937), added: 3412, mode: `MaxEncodedLen`)
	/// Storage: `ModelRegistry::Versions` (r:1 w:0)
	/// Proof: `ModelRegistry::Versions` (`max_values`: None, `max_size`: Some(817), added: 3292, mode: `MaxEncodedLen`)
	fn deploy() -> Weight {
		// Proof size: measured `1136`, estimated `4402`.
		// Minimum execution time: 576_917_000 picoseconds.
		Weight::from_parts(630_814_000, 4402)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	/// Storage: `ModelRegistry::Models` (r:1 w:1)
	/// Proof: `ModelRegistry::Models` (`max_values`: None, `max_size`: Some(937), added: 3412, mode: `MaxEncodedLen`)
	fn retire() -> Weight {
		// Proof size: measured `1096`, estimated `4402`.
		// Minimum execution time: 498_793_000 picoseconds.
		Weight::from_parts(813_007_000, 4402)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	/// Storage: `ModelRegistry::Models` (r:1 w:1)
	/// Proof: `ModelRegistry::Models` (`max_values`: None, `max_size`: Some(937), added: 3412, mode: `MaxEncodedLen`)
	/// Storage: `ModelRegistry::ModelStakes` (r:1 w:1)
	/// Proof: `ModelRegistry::ModelStakes` (`max_values`: None, `max_size`: Some(76), added: 2551, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:1 w:1)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Proof: `Balances::Holds` (`max_values`: None, `max_size`: Some(157), added: 2632, mode: `MaxEncodedLen`)
	fn stake() -> Weight {
		// Proof size: measured `1310`, estimated `4402`.
		// Minimum execution time: 2_094_527_000 picoseconds.
		Weight::from_parts(3_536_830_000, 4402)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	/// Storage: `ModelRegistry::Models` (r:1 w:1)
	/// Proof: `ModelRegistry::Models` (`max_values`: None, `max_size`: Some(937), added: 3412, mode: `MaxEncodedLen`)
	/// Storage: `ModelRegistry::ModelStakes` (r:1 w:1)
	/// Proof: `ModelRegistry::ModelStakes` (`max_values`: None, `max_size`: Some(76), added: 2551, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:1 w:1)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Proof: `Balances::Holds` (`max_values`: None, `max_size`: Some(157), added: 2632, mode: `MaxEncodedLen`)
	fn unstake() -> Weight {
		// Proof size: measured `1394`, estimated `4402`.
		// Minimum execution time: 2_708_132_000 picoseconds.
		Weight::from_parts(2_889_383_000, 4402)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
}

/// The same weights on the reference database weights, for tests and mocks.
impl WeightInfo for () {
	fn propose(d: u32, ) -> Weight {
		Weight::from_parts(4_586_063_044, 6196)
			.saturating_add(RocksDbWeight::get().reads(6_u64))
			.saturating_add(RocksDbWeight::get().reads((1_u64).saturating_mul(d.into())))
			.saturating_add(RocksDbWeight::get().writes(8_u64))
			.saturating_add(Weight::from_parts(0, 4360).saturating_mul(d.into()))
	}
	fn start_data_collection() -> Weight {
		Weight::from_parts(441_894_000, 4402)
			.saturating_add(RocksDbWeight::get().reads(1_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
	fn start_training(d: u32, ) -> Weight {
		Weight::from_parts(1_871_102_117, 35870)
			.saturating_add(Weight::from_parts(14_837_349, 0).saturating_mul(d.into()))
			.saturating_add(RocksDbWeight::get().reads(10_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
	fn register_version(_s: u32, ) -> Weight {
		Weight::from_parts(900_600_749, 4402)
			.saturating_add(RocksDbWeight::get().reads(1_u64))
			.saturating_add(RocksDbWeight::get().writes(2_u64))
	}
	fn deploy() -> Weight {
		Weight::from_parts(630_814_000, 4402)
			.saturating_add(RocksDbWeight::get().reads(2_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
	fn retire() -> Weight {
		Weight::from_parts(813_007_000, 4402)
			.saturating_add(RocksDbWeight::get().reads(1_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
	fn stake() -> Weight {
		Weight::from_parts(3_536_830_000, 4402)
			.saturating_add(RocksDbWeight::get().reads(4_u64))
			.saturating_add(RocksDbWeight::get().writes(4_u64))
	}
	fn unstake() -> Weight {
		Weight::from_parts(2_889_383_000, 4402)
			.saturating_add(RocksDbWeight::get().reads(4_u64))
			.saturating_add(RocksDbWeight::get().writes(4_u64))
	}
}
