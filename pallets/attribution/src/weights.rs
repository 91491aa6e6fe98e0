//! Weights for `pallet_attribution`, measured by the benchmark CLI 64.0.0 on 2026-12-04.
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
//!   pallet_attribution
//!   --extrinsic
//!   *
//!   --steps
//!   20
//!   --repeat
//!   5
//!   --template
//!   .maintain/pallet-weight-template.hbs
//!   --output
//!   pallets/attribution/src/weights.rs

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use core::marker::PhantomData;
use frame_support::{
	traits::Get,
	weights::{constants::RocksDbWeight, Weight},
};

/// Weight functions needed for `pallet_attribution`.
pub trait WeightInfo {
	fn register_worker(m: u32, ) -> Weight;
	fn set_worker_models(m: u32, ) -> Weight;
	fn bond_extra() -> Weight;
	fn unregister_worker() -> Weight;
	fn withdraw_worker() -> Weight;
	fn settle(c: u32, ) -> Weight;
	fn slash_worker() -> Weight;
	fn approve_worker() -> Weight;
	fn revoke_worker() -> Weight;
	fn set_serving_policy() -> Weight;
	fn dispute_receipt() -> Weight;
	fn challenge_unanswered() -> Weight;
	fn answer_challenge(n: u32, ) -> Weight;
	fn resolve_challenge() -> Weight;
}

/// Weights for `pallet_attribution` on the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	/// Storage: `Attribution::Workers` (r:1 w:1)
	/// Proof: `Attribution::Workers` (`max_values`: None, `max_size`: Some(331), added: 2806, mode: `MaxEncodedLen`)
	/// Storage: `ModelRegistry::Models` (r:64 w:0)
	/// Proof: `ModelRegistry::Models` (`max_values`: None, `max_size`: Some(937), added: 3412, mode: `MaxEncodedLen`)
	/// Storage: `Attribution::ApprovedWorkers` (r:64 w:0)
	/// Proof: `Attribution::ApprovedWorkers` (`max_values`: None, `max_size`: Some(60), added: 2535, mode: `MaxEncodedLen`)
	/// Storage: `Attribution::ServingPolicies` (r:64 w:0)
	/// Proof: `Attribution::ServingPolicies` (`max_values`: None, `max_size`: Some(33), added: 2508, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:1 w:1)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Proof: `Balances::Holds` (`max_values`: None, `max_size`: Some(283), added: 2758, mode: `MaxEncodedLen`)
	/// The range of component `m` is `[1, 64]`.
	fn register_worker(m: u32, ) -> Weight {
		// Proof size: measured `811`, estimated `3796`.
		// Minimum execution time: 1_215_683_000 picoseconds.
		Weight::from_parts(1_479_414_397, 3796)
			.saturating_add(Weight::from_parts(125_290_108, 0).saturating_mul(m.into()))
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().reads((3_u64).saturating_mul(m.into())))
			.saturating_add(T::DbWeight::get().writes(3_u64))
			.saturating_add(Weight::from_parts(0, 3412).saturating_mul(m.into()))
	}
	/// Storage: `Attribution::Workers` (r:1 w:1)
	/// Proof: `Attribution::Workers` (`max_values`: None, `max_size`: Some(331), added: 2806, mode: `MaxEncodedLen`)
	/// Storage: `ModelRegistry::Models` (r:64 w:0)
	/// Proof: `ModelRegistry::Models` (`max_values`: None, `max_size`: Some(937), added: 3412, mode: `MaxEncodedLen`)
	/// Storage: `Attribution::ApprovedWorkers` (r:64 w:0)
	/// Proof: `Attribution::ApprovedWorkers` (`max_values`: None, `max_size`: Some(60), added: 2535, mode: `MaxEncodedLen`)
	/// Storage: `Attribution::ServingPolicies` (r:64 w:0)
	/// Proof: `Attribution::ServingPolicies` (`max_values`: None, `max_size`: Some(33), added: 2508, mode: `MaxEncodedLen`)
	/// The range of component `m` is `[1, 64]`.
	fn set_worker_models(m: u32, ) -> Weight {
		// Proof size: measured `599`, estimated `3796`.
		// Minimum execution time: 384_504_000 picoseconds.
		Weight::from_parts(165_857_057, 3796)
			.saturating_add(Weight::from_parts(136_892_071, 0).saturating_mul(m.into()))
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().reads((3_u64).saturating_mul(m.into())))
			.saturating_add(T::DbWeight::get().writes(1_u64))
			.saturating_add(Weight::from_parts(0, 3412).saturating_mul(m.into()))
	}
	/// Storage: `Attribution::Workers` (r:1 w:1)
	/// Proof: `Attribution::Workers` (`max_values`: None, `max_size`: Some(331), added: 2806, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:1 w:1)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Proof: `Balances::Holds` (`max_values`: None, `max_size`: Some(283), added: 2758, mode: `MaxEncodedLen`)
	fn bond_extra() -> Weight {
		// Proof size: measured `665`, estimated `3796`.
		// Minimum execution time: 858_971_000 picoseconds.
		Weight::from_parts(904_229_000, 3796)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	/// Storage: `Attribution::Workers` (r:1 w:1)
	/// Proof: `Attribution::Workers` (`max_values`: None, `max_size`: Some(331), added: 2806, mode: `MaxEncodedLen`)
	fn unregister_worker() -> Weight {
		// Proof size: measured `270`, estimated `3796`.
		// Minimum execution time: 197_204_000 picoseconds.
		Weight::from_parts(218_075_000, 3796)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	/// Storage: `Attribution::Workers` (r:1 w:1)
	/// Proof: `Attribution::Workers` (`max_values`: None, `max_size`: Some(331), added: 2806, mode: `MaxEncodedLen`)
	/// Storage: `Attribution::OpenChallenges` (r:1 w:0)
	/// Proof: `Attribution::OpenChallenges` (`max_values`: None, `max_size`: Some(84), added: 2559, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:1 w:1)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Proof: `Balances::Holds` (`max_values`: None, `max_size`: Some(283), added: 2758, mode: `MaxEncodedLen`)
	fn withdraw_worker() -> Weight {
		// Proof size: measured `689`, estimated `3796`.
		// Minimum execution time: 855_426_000 picoseconds.
		Weight::from_parts(915_576_000, 3796)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	/// Storage: `Attribution::Workers` (r:1 w:0)
	/// Proof: `Attribution::Workers` (`max_values`: None, `max_size`: Some(331), added: 2806, mode: `MaxEncodedLen`)
	/// Storage: `Attribution::Records` (r:1 w:1)
	/// Proof: `Attribution::Records` (`max_values`: None, `max_size`: Some(5302), added: 7777, mode: `MaxEncodedLen`)
	/// Storage: `FeeSplit::Requests` (r:1 w:1)
	/// Proof: `FeeSplit::Requests` (`max_values`: None, `max_size`: Some(395), added: 2870, mode: `MaxEncodedLen`)
	/// Storage: `ModelRegistry::Models` (r:1 w:0)
	/// Proof: `ModelRegistry::Models` (`max_values`: None, `max_size`: Some(937), added: 3412, mode: `MaxEncodedLen`)
	/// Storage: `Attribution::ApprovedWorkers` (r:1 w:0)
	/// Proof: `Attribution::ApprovedWorkers` (`max_values`: None, `max_size`: Some(60), added: 2535, mode: `MaxEncodedLen`)
	/// Storage: `Attribution::ServingPolicies` (r:1 w:0)
	/// Proof: `Attribution::ServingPolicies` (`max_values`: None, `max_size`: Some(33), added: 2508, mode: `MaxEncodedLen`)
	/// Storage: `ModelRegistry::TrainingSet` (r:64 w:0)
	/// Proof: `ModelRegistry::TrainingSet` (`max_values`: None, `max_size`: Some(32), added: 2507, mode: `MaxEncodedLen`)
	/// Storage: `Datanets::Contributions` (r:64 w:0)
	/// Proof: `Datanets::Contributions` (`max_values`: None, `max_size`: Some(412), added: 2887, mode: `MaxEncodedLen`)
	/// Storage: `Governance::Parameters` (r:1 w:0)
	/// Proof: `Governance::Parameters` (`max_values`: Some(1), `max_size`: Some(37), added: 532, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:69 w:69)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Proof: `Balances::Holds` (`max_values`: None, `max_size`: Some(283), added: 2758, mode: `MaxEncodedLen`)
	/// Storage: `ModelRegistry::RewardPerStake` (r:1 w:1)
	/// Proof: `ModelRegistry::RewardPerStake` (`max_values`: None, `max_size`: Some(44), added: 2519, mode: `MaxEncodedLen`)
	/// Storage: `Attribution::ModelRecordCount` (r:1 w:1)
	/// Proof: `Attribution::ModelRecordCount` (`max_values`: None, `max_size`: Some(20), added: 2495, mode: `MaxEncodedLen`)
	/// Storage: `Attribution::ContributionEarnings` (r:64 w:64)
	/// Proof: `Attribution::ContributionEarnings` (`max_values`: None, `max_size`: Some(40), added: 2515, mode: `MaxEncodedLen`)
	/// Storage: `Attribution::ContributorEarnings` (r:64 w:64)
	/// Proof: `Attribution::ContributorEarnings` (`max_values`: None, `max_size`: Some(72), added: 2547, mode: `MaxEncodedLen`)
	/// Storage: `ModelRegistry::Versions` (r:1 w:0)
	/// Proof: `ModelRegistry::Versions` (`max_values`: None, `max_size`: Some(849), added: 3324, mode: `MaxEncodedLen`)
	/// Storage: `Attribution::ModelRecords` (r:0 w:1)
	/// Proof: `Attribution::ModelRecords` (`max_values`: None, `max_size`: Some(60), added: 2535, mode: `MaxEncodedLen`)
	/// Storage: `Attribution::ContributorRecords` (r:0 w:64)
	/// Proof: `Attribution::ContributorRecords` (`max_values`: None, `max_size`: Some(96), added: 2571, mode: `MaxEncodedLen`)
	/// The range of component `c` is `[0, 64]`.
	fn settle(c: u32, ) -> Weight {
		// Proof size: measured `3208`, estimated `14005`.
		// Minimum execution time: 4_118_763_000 picoseconds.
		Weight::from_parts(4_683_080_839, 14005)
			.saturating_add(Weight::from_parts(837_110_076, 0).saturating_mul(c.into()))
			.saturating_add(T::DbWeight::get().reads(16_u64))
			.saturating_add(T::DbWeight::get().reads((5_u64).saturating_mul(c.into())))
			.saturating_add(T::DbWeight::get().writes(11_u64))
			.saturating_add(T::DbWeight::get().writes((4_u64).saturating_mul(c.into())))
			.saturating_add(Weight::from_parts(0, 2887).saturating_mul(c.into()))
	}
	/// Storage: `Attribution::Workers` (r:1 w:1)
	/// Proof: `Attribution::Workers` (`max_values`: None, `max_size`: Some(331), added: 2806, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Proof: `Balances::Holds` (`max_values`: None, `max_size`: Some(283), added: 2758, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:2 w:2)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	fn slash_worker() -> Weight {
		// Proof size: measured `806`, estimated `6196`.
		// Minimum execution time: 784_711_000 picoseconds.
		Weight::from_parts(857_039_000, 6196)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	/// Storage: `ModelRegistry::Models` (r:1 w:0)
	/// Proof: `ModelRegistry::Models` (`max_values`: None, `max_size`: Some(937), added: 3412, mode: `MaxEncodedLen`)
	/// Storage: `Attribution::ApprovedWorkers` (r:1 w:1)
	/// Proof: `Attribution::ApprovedWorkers` (`max_values`: None, `max_size`: Some(60), added: 2535, mode: `MaxEncodedLen`)
	/// Storage: `Attribution::ApprovedWorkerCount` (r:1 w:1)
	/// Proof: `Attribution::ApprovedWorkerCount` (`max_values`: None, `max_size`: Some(16), added: 2491, mode: `MaxEncodedLen`)
	fn approve_worker() -> Weight {
		// Proof size: measured `1520`, estimated `4402`.
		// Minimum execution time: 387_619_000 picoseconds.
		Weight::from_parts(427_718_000, 4402)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	/// Storage: `ModelRegistry::Models` (r:1 w:0)
	/// Proof: `ModelRegistry::Models` (`max_values`: None, `max_size`: Some(937), added: 3412, mode: `MaxEncodedLen`)
	/// Storage: `Attribution::ApprovedWorkers` (r:1 w:1)
	/// Proof: `Attribution::ApprovedWorkers` (`max_values`: None, `max_size`: Some(60), added: 2535, mode: `MaxEncodedLen`)
	/// Storage: `Attribution::ApprovedWorkerCount` (r:1 w:1)
	/// Proof: `Attribution::ApprovedWorkerCount` (`max_values`: None, `max_size`: Some(16), added: 2491, mode: `MaxEncodedLen`)
	fn revoke_worker() -> Weight {
		// Proof size: measured `631`, estimated `4402`.
		// Minimum execution time: 358_545_000 picoseconds.
		Weight::from_parts(381_069_000, 4402)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	/// Storage: `ModelRegistry::Models` (r:1 w:0)
	/// Proof: `ModelRegistry::Models` (`max_values`: None, `max_size`: Some(937), added: 3412, mode: `MaxEncodedLen`)
	/// Storage: `Attribution::ServingPolicies` (r:0 w:1)
	/// Proof: `Attribution::ServingPolicies` (`max_values`: None, `max_size`: Some(33), added: 2508, mode: `MaxEncodedLen`)
	fn set_serving_policy() -> Weight {
		// Proof size: measured `383`, estimated `4402`.
		// Minimum execution time: 221_160_000 picoseconds.
		Weight::from_parts(245_326_000, 4402)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	/// Storage: `Attribution::Records` (r:1 w:0)
	/// Proof: `Attribution::Records` (`max_values`: None, `max_size`: Some(5302), added: 7777, mode: `MaxEncodedLen`)
	/// Storage: `Attribution::DisputePeriodOverrides` (r:1 w:0)
	/// Proof: `Attribution::DisputePeriodOverrides` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `Attribution::Disputes` (r:1 w:1)
	/// Proof: `Attribution::Disputes` (`max_values`: None, `max_size`: Some(85), added: 2560, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:3 w:3)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Holds` (r:2 w:2)
	/// Proof: `Balances::Holds` (`max_values`: None, `max_size`: Some(283), added: 2758, mode: `MaxEncodedLen`)
	/// Storage: `System::BlockHash` (r:1 w:0)
	/// Proof: `System::BlockHash` (`max_values`: None, `max_size`: Some(44), added: 2519, mode: `MaxEncodedLen`)
	/// Storage: `Attribution::Workers` (r:1 w:1)
	/// Proof: `Attribution::Workers` (`max_values`: None, `max_size`: Some(331), added: 2806, mode: `MaxEncodedLen`)
	/// Storage: `Attribution::OpenChallenges` (r:0 w:1)
	/// Proof: `Attribution::OpenChallenges` (`max_values`: None, `max_size`: Some(84), added: 2559, mode: `MaxEncodedLen`)
	fn dispute_receipt() -> Weight {
		// Proof size: measured `1760`, estimated `8799`.
		// Minimum execution time: 8_669_580_000 picoseconds.
		Weight::from_parts(9_002_097_000, 8799)
			.saturating_add(T::DbWeight::get().reads(10_u64))
			.saturating_add(T::DbWeight::get().writes(8_u64))
	}
	/// Storage: `Attribution::Records` (r:1 w:0)
	/// Proof: `Attribution::Records` (`max_values`: None, `max_size`: Some(5302), added: 7777, mode: `MaxEncodedLen`)
	/// Storage: `Attribution::DisputePeriodOverrides` (r:1 w:0)
	/// Proof: `Attribution::DisputePeriodOverrides` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `Attribution::Disputes` (r:1 w:1)
	/// Proof: `Attribution::Disputes` (`max_values`: None, `max_size`: Some(85), added: 2560, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:1 w:1)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Proof: `Balances::Holds` (`max_values`: None, `max_size`: Some(283), added: 2758, mode: `MaxEncodedLen`)
	/// Storage: `Attribution::OpenChallenges` (r:0 w:1)
	/// Proof: `Attribution::OpenChallenges` (`max_values`: None, `max_size`: Some(84), added: 2559, mode: `MaxEncodedLen`)
	fn challenge_unanswered() -> Weight {
		// Proof size: measured `1138`, estimated `8767`.
		// Minimum execution time: 1_022_345_000 picoseconds.
		Weight::from_parts(1_065_440_000, 8767)
			.saturating_add(T::DbWeight::get().reads(5_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	/// Storage: `Attribution::Records` (r:1 w:0)
	/// Proof: `Attribution::Records` (`max_values`: None, `max_size`: Some(5302), added: 7777, mode: `MaxEncodedLen`)
	/// Storage: `Attribution::Disputes` (r:1 w:1)
	/// Proof: `Attribution::Disputes` (`max_values`: None, `max_size`: Some(85), added: 2560, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Proof: `Balances::Holds` (`max_values`: None, `max_size`: Some(283), added: 2758, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:2 w:2)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	/// Storage: `Attribution::OpenChallenges` (r:0 w:1)
	/// Proof: `Attribution::OpenChallenges` (`max_values`: None, `max_size`: Some(84), added: 2559, mode: `MaxEncodedLen`)
	/// The range of component `n` is `[0, 131072]`.
	fn answer_challenge(n: u32, ) -> Weight {
		// Proof size: measured `1383`, estimated `8767`.
		// Minimum execution time: 999_140_000 picoseconds.
		Weight::from_parts(1_050_950_516, 8767)
			.saturating_add(Weight::from_parts(1_821, 0).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads(5_u64))
			.saturating_add(T::DbWeight::get().writes(5_u64))
	}
	/// Storage: `Attribution::Records` (r:1 w:0)
	/// Proof: `Attribution::Records` (`max_values`: None, `max_size`: Some(5302), added: 7777, mode: `MaxEncodedLen`)
	/// Storage: `Attribution::Disputes` (r:1 w:1)
	/// Proof: `Attribution::Disputes` (`max_values`: None, `max_size`: Some(85), added: 2560, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:3 w:3)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Holds` (r:2 w:2)
	/// Proof: `Balances::Holds` (`max_values`: None, `max_size`: Some(283), added: 2758, mode: `MaxEncodedLen`)
	/// Storage: `Attribution::Workers` (r:1 w:1)
	/// Proof: `Attribution::Workers` (`max_values`: None, `max_size`: Some(331), added: 2806, mode: `MaxEncodedLen`)
	/// Storage: `Attribution::OpenChallenges` (r:0 w:1)
	/// Proof: `Attribution::OpenChallenges` (`max_values`: None, `max_size`: Some(84), added: 2559, mode: `MaxEncodedLen`)
	fn resolve_challenge() -> Weight {
		// Proof size: measured `1665`, estimated `8799`.
		// Minimum execution time: 1_815_578_000 picoseconds.
		Weight::from_parts(1_921_716_000, 8799)
			.saturating_add(T::DbWeight::get().reads(8_u64))
			.saturating_add(T::DbWeight::get().writes(8_u64))
	}
}

/// The same weights on the reference database weights, for tests and mocks.
impl WeightInfo for () {
	fn register_worker(m: u32, ) -> Weight {
		Weight::from_parts(1_479_414_397, 3796)
			.saturating_add(Weight::from_parts(125_290_108, 0).saturating_mul(m.into()))
			.saturating_add(RocksDbWeight::get().reads(3_u64))
			.saturating_add(RocksDbWeight::get().reads((3_u64).saturating_mul(m.into())))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
			.saturating_add(Weight::from_parts(0, 3412).saturating_mul(m.into()))
	}
	fn set_worker_models(m: u32, ) -> Weight {
		Weight::from_parts(165_857_057, 3796)
			.saturating_add(Weight::from_parts(136_892_071, 0).saturating_mul(m.into()))
			.saturating_add(RocksDbWeight::get().reads(1_u64))
			.saturating_add(RocksDbWeight::get().reads((3_u64).saturating_mul(m.into())))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
			.saturating_add(Weight::from_parts(0, 3412).saturating_mul(m.into()))
	}
	fn bond_extra() -> Weight {
		Weight::from_parts(904_229_000, 3796)
			.saturating_add(RocksDbWeight::get().reads(3_u64))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
	}
	fn unregister_worker() -> Weight {
		Weight::from_parts(218_075_000, 3796)
			.saturating_add(RocksDbWeight::get().reads(1_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
	fn withdraw_worker() -> Weight {
		Weight::from_parts(915_576_000, 3796)
			.saturating_add(RocksDbWeight::get().reads(4_u64))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
	}
	fn settle(c: u32, ) -> Weight {
		Weight::from_parts(4_683_080_839, 14005)
			.saturating_add(Weight::from_parts(837_110_076, 0).saturating_mul(c.into()))
			.saturating_add(RocksDbWeight::get().reads(16_u64))
			.saturating_add(RocksDbWeight::get().reads((5_u64).saturating_mul(c.into())))
			.saturating_add(RocksDbWeight::get().writes(11_u64))
			.saturating_add(RocksDbWeight::get().writes((4_u64).saturating_mul(c.into())))
			.saturating_add(Weight::from_parts(0, 2887).saturating_mul(c.into()))
	}
	fn slash_worker() -> Weight {
		Weight::from_parts(857_039_000, 6196)
			.saturating_add(RocksDbWeight::get().reads(4_u64))
			.saturating_add(RocksDbWeight::get().writes(4_u64))
	}
	fn approve_worker() -> Weight {
		Weight::from_parts(427_718_000, 4402)
			.saturating_add(RocksDbWeight::get().reads(3_u64))
			.saturating_add(RocksDbWeight::get().writes(2_u64))
	}
	fn revoke_worker() -> Weight {
		Weight::from_parts(381_069_000, 4402)
			.saturating_add(RocksDbWeight::get().reads(3_u64))
			.saturating_add(RocksDbWeight::get().writes(2_u64))
	}
	fn set_serving_policy() -> Weight {
		Weight::from_parts(245_326_000, 4402)
			.saturating_add(RocksDbWeight::get().reads(1_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
	fn dispute_receipt() -> Weight {
		Weight::from_parts(9_002_097_000, 8799)
			.saturating_add(RocksDbWeight::get().reads(10_u64))
			.saturating_add(RocksDbWeight::get().writes(8_u64))
	}
	fn challenge_unanswered() -> Weight {
		Weight::from_parts(1_065_440_000, 8767)
			.saturating_add(RocksDbWeight::get().reads(5_u64))
			.saturating_add(RocksDbWeight::get().writes(4_u64))
	}
	fn answer_challenge(n: u32, ) -> Weight {
		Weight::from_parts(1_050_950_516, 8767)
			.saturating_add(Weight::from_parts(1_821, 0).saturating_mul(n.into()))
			.saturating_add(RocksDbWeight::get().reads(5_u64))
			.saturating_add(RocksDbWeight::get().writes(5_u64))
	}
	fn resolve_challenge() -> Weight {
		Weight::from_parts(1_921_716_000, 8799)
			.saturating_add(RocksDbWeight::get().reads(8_u64))
			.saturating_add(RocksDbWeight::get().writes(8_u64))
	}
}
