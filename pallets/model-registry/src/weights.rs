//! Weights for `pallet_model_registry`, measured by the benchmark CLI 64.0.0 on 2026-12-04.
//!
//! Steps: 20, repeat: 5; WASM execution: Compiled;
//! chain: None; host: `vm`, CPU: `AMD EPYC`.
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
	fn register_version(s: u32, t: u32, ) -> Weight;
	fn deploy() -> Weight;
	fn retire() -> Weight;
	fn stake() -> Weight;
	fn unstake() -> Weight;
	fn withdraw_unbonded() -> Weight;
	fn claim_rewards() -> Weight;
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
	/// Proof: `Balances::Holds` (`max_values`: None, `max_size`: Some(283), added: 2758, mode: `MaxEncodedLen`)
	/// Storage: `Governance::NextProposalId` (r:1 w:1)
	/// Proof: `Governance::NextProposalId` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	/// Storage: `Governance::PeriodOverrides` (r:1 w:0)
	/// Proof: `Governance::PeriodOverrides` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `Governance::TotalStake` (r:1 w:0)
	/// Proof: `Governance::TotalStake` (`max_values`: Some(1), `max_size`: Some(16), added: 511, mode: `MaxEncodedLen`)
	/// Storage: `Governance::Proposals` (r:0 w:1)
	/// Proof: `Governance::Proposals` (`max_values`: None, `max_size`: Some(1140), added: 3615, mode: `MaxEncodedLen`)
	/// Storage: `ModelRegistry::ModelOfProposal` (r:0 w:1)
	/// Proof: `ModelRegistry::ModelOfProposal` (`max_values`: None, `max_size`: Some(16), added: 2491, mode: `MaxEncodedLen`)
	/// Storage: `ModelRegistry::Models` (r:0 w:1)
	/// Proof: `ModelRegistry::Models` (`max_values`: None, `max_size`: Some(937), added: 3412, mode: `MaxEncodedLen`)
	/// The range of component `d` is `[1, 8]`.
	fn propose(d: u32, ) -> Weight {
		// Proof size: measured `989`, estimated `6196`.
		// Minimum execution time: 1_699_575_000 picoseconds.
		Weight::from_parts(1_768_612_665, 6196)
			.saturating_add(Weight::from_parts(48_204_327, 0).saturating_mul(d.into()))
			.saturating_add(T::DbWeight::get().reads(7_u64))
			.saturating_add(T::DbWeight::get().reads((1_u64).saturating_mul(d.into())))
			.saturating_add(T::DbWeight::get().writes(8_u64))
			.saturating_add(Weight::from_parts(0, 4360).saturating_mul(d.into()))
	}
	/// Storage: `ModelRegistry::Models` (r:1 w:1)
	/// Proof: `ModelRegistry::Models` (`max_values`: None, `max_size`: Some(937), added: 3412, mode: `MaxEncodedLen`)
	fn start_data_collection() -> Weight {
		// Proof size: measured `1163`, estimated `4402`.
		// Minimum execution time: 207_940_000 picoseconds.
		Weight::from_parts(236_292_000, 4402)
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
	fn start_training(_d: u32, ) -> Weight {
		// Proof size: measured `2162`, estimated `35870`.
		// Minimum execution time: 748_476_000 picoseconds.
		Weight::from_parts(792_989_163, 35870)
			.saturating_add(T::DbWeight::get().reads(10_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	/// Storage: `ModelRegistry::Models` (r:1 w:1)
	/// Proof: `ModelRegistry::Models` (`max_values`: None, `max_size`: Some(937), added: 3412, mode: `MaxEncodedLen`)
	/// Storage: `Datanets::Contributions` (r:1024 w:0)
	/// Proof: `Datanets::Contributions` (`max_values`: None, `max_size`: Some(412), added: 2887, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:1 w:1)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Proof: `Balances::Holds` (`max_values`: None, `max_size`: Some(283), added: 2758, mode: `MaxEncodedLen`)
	/// Storage: `ModelRegistry::Versions` (r:0 w:1)
	/// Proof: `ModelRegistry::Versions` (`max_values`: None, `max_size`: Some(849), added: 3324, mode: `MaxEncodedLen`)
	/// Storage: `ModelRegistry::TrainingSet` (r:0 w:1024)
	/// Proof: `ModelRegistry::TrainingSet` (`max_values`: None, `max_size`: Some(32), added: 2507, mode: `MaxEncodedLen`)
	/// The range of component `s` is `[0, 16]`.
	/// The range of component `t` is `[1, 1024]`.
	fn register_version(_s: u32, t: u32, ) -> Weight {
		// Proof size: measured `2540`, estimated `4402`.
		// Minimum execution time: 1_274_010_000 picoseconds.
		Weight::from_parts(1_275_963_000, 4402)
			.saturating_add(Weight::from_parts(87_196_175, 0).saturating_mul(t.into()))
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().reads((1_u64).saturating_mul(t.into())))
			.saturating_add(T::DbWeight::get().writes(4_u64))
			.saturating_add(T::DbWeight::get().writes((1_u64).saturating_mul(t.into())))
			.saturating_add(Weight::from_parts(0, 2887).saturating_mul(t.into()))
	}
	/// Storage: `ModelRegistry::Models` (r:1 w:1)
	/// Proof: `ModelRegistry::Models` (`max_values`: None, `max_size`: Some(937), added: 3412, mode: `MaxEncodedLen`)
	/// Storage: `ModelRegistry::Versions` (r:1 w:0)
	/// Proof: `ModelRegistry::Versions` (`max_values`: None, `max_size`: Some(849), added: 3324, mode: `MaxEncodedLen`)
	fn deploy() -> Weight {
		// Proof size: measured `1244`, estimated `4402`.
		// Minimum execution time: 349_251_000 picoseconds.
		Weight::from_parts(375_000_000, 4402)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	/// Storage: `ModelRegistry::Models` (r:1 w:1)
	/// Proof: `ModelRegistry::Models` (`max_values`: None, `max_size`: Some(937), added: 3412, mode: `MaxEncodedLen`)
	fn retire() -> Weight {
		// Proof size: measured `1167`, estimated `4402`.
		// Minimum execution time: 245_155_000 picoseconds.
		Weight::from_parts(273_198_000, 4402)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	/// Storage: `ModelRegistry::Models` (r:1 w:1)
	/// Proof: `ModelRegistry::Models` (`max_values`: None, `max_size`: Some(937), added: 3412, mode: `MaxEncodedLen`)
	/// Storage: `ModelRegistry::RewardPerStake` (r:1 w:0)
	/// Proof: `ModelRegistry::RewardPerStake` (`max_values`: None, `max_size`: Some(44), added: 2519, mode: `MaxEncodedLen`)
	/// Storage: `ModelRegistry::ModelStakes` (r:1 w:1)
	/// Proof: `ModelRegistry::ModelStakes` (`max_values`: None, `max_size`: Some(445), added: 2920, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:1 w:1)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Proof: `Balances::Holds` (`max_values`: None, `max_size`: Some(283), added: 2758, mode: `MaxEncodedLen`)
	fn stake() -> Weight {
		// Proof size: measured `1746`, estimated `4402`.
		// Minimum execution time: 1_105_979_000 picoseconds.
		Weight::from_parts(1_178_177_000, 4402)
			.saturating_add(T::DbWeight::get().reads(5_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	/// Storage: `ModelRegistry::Models` (r:1 w:1)
	/// Proof: `ModelRegistry::Models` (`max_values`: None, `max_size`: Some(937), added: 3412, mode: `MaxEncodedLen`)
	/// Storage: `ModelRegistry::RewardPerStake` (r:1 w:0)
	/// Proof: `ModelRegistry::RewardPerStake` (`max_values`: None, `max_size`: Some(44), added: 2519, mode: `MaxEncodedLen`)
	/// Storage: `ModelRegistry::ModelStakes` (r:1 w:1)
	/// Proof: `ModelRegistry::ModelStakes` (`max_values`: None, `max_size`: Some(445), added: 2920, mode: `MaxEncodedLen`)
	fn unstake() -> Weight {
		// Proof size: measured `1684`, estimated `4402`.
		// Minimum execution time: 380_076_000 picoseconds.
		Weight::from_parts(402_471_000, 4402)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	/// Storage: `ModelRegistry::ModelStakes` (r:1 w:1)
	/// Proof: `ModelRegistry::ModelStakes` (`max_values`: None, `max_size`: Some(445), added: 2920, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:1 w:1)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Proof: `Balances::Holds` (`max_values`: None, `max_size`: Some(283), added: 2758, mode: `MaxEncodedLen`)
	fn withdraw_unbonded() -> Weight {
		// Proof size: measured `1038`, estimated `3910`.
		// Minimum execution time: 856_598_000 picoseconds.
		Weight::from_parts(901_054_000, 3910)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	/// Storage: `ModelRegistry::RewardPerStake` (r:1 w:0)
	/// Proof: `ModelRegistry::RewardPerStake` (`max_values`: None, `max_size`: Some(44), added: 2519, mode: `MaxEncodedLen`)
	/// Storage: `ModelRegistry::ModelStakes` (r:1 w:1)
	/// Proof: `ModelRegistry::ModelStakes` (`max_values`: None, `max_size`: Some(445), added: 2920, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:2 w:2)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	fn claim_rewards() -> Weight {
		// Proof size: measured `662`, estimated `6196`.
		// Minimum execution time: 968_594_000 picoseconds.
		Weight::from_parts(1_029_256_000, 6196)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
}

/// The same weights on the reference database weights, for tests and mocks.
impl WeightInfo for () {
	fn propose(d: u32, ) -> Weight {
		Weight::from_parts(1_768_612_665, 6196)
			.saturating_add(Weight::from_parts(48_204_327, 0).saturating_mul(d.into()))
			.saturating_add(RocksDbWeight::get().reads(7_u64))
			.saturating_add(RocksDbWeight::get().reads((1_u64).saturating_mul(d.into())))
			.saturating_add(RocksDbWeight::get().writes(8_u64))
			.saturating_add(Weight::from_parts(0, 4360).saturating_mul(d.into()))
	}
	fn start_data_collection() -> Weight {
		Weight::from_parts(236_292_000, 4402)
			.saturating_add(RocksDbWeight::get().reads(1_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
	fn start_training(_d: u32, ) -> Weight {
		Weight::from_parts(792_989_163, 35870)
			.saturating_add(RocksDbWeight::get().reads(10_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
	fn register_version(_s: u32, t: u32, ) -> Weight {
		Weight::from_parts(1_275_963_000, 4402)
			.saturating_add(Weight::from_parts(87_196_175, 0).saturating_mul(t.into()))
			.saturating_add(RocksDbWeight::get().reads(3_u64))
			.saturating_add(RocksDbWeight::get().reads((1_u64).saturating_mul(t.into())))
			.saturating_add(RocksDbWeight::get().writes(4_u64))
			.saturating_add(RocksDbWeight::get().writes((1_u64).saturating_mul(t.into())))
			.saturating_add(Weight::from_parts(0, 2887).saturating_mul(t.into()))
	}
	fn deploy() -> Weight {
		Weight::from_parts(375_000_000, 4402)
			.saturating_add(RocksDbWeight::get().reads(2_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
	fn retire() -> Weight {
		Weight::from_parts(273_198_000, 4402)
			.saturating_add(RocksDbWeight::get().reads(1_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
	fn stake() -> Weight {
		Weight::from_parts(1_178_177_000, 4402)
			.saturating_add(RocksDbWeight::get().reads(5_u64))
			.saturating_add(RocksDbWeight::get().writes(4_u64))
	}
	fn unstake() -> Weight {
		Weight::from_parts(402_471_000, 4402)
			.saturating_add(RocksDbWeight::get().reads(3_u64))
			.saturating_add(RocksDbWeight::get().writes(2_u64))
	}
	fn withdraw_unbonded() -> Weight {
		Weight::from_parts(901_054_000, 3910)
			.saturating_add(RocksDbWeight::get().reads(3_u64))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
	}
	fn claim_rewards() -> Weight {
		Weight::from_parts(1_029_256_000, 6196)
			.saturating_add(RocksDbWeight::get().reads(4_u64))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
	}
}
