//! Weights for `pallet_governance`, measured by the benchmark CLI 64.0.0 on 2026-12-04.
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
//!   pallet_governance
//!   --extrinsic
//!   *
//!   --steps
//!   20
//!   --repeat
//!   5
//!   --template
//!   .maintain/pallet-weight-template.hbs
//!   --output
//!   pallets/governance/src/weights.rs

#![cfg_attr(rustfmt, rustfmt_skip)]
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
	fn unstake(v: u32, ) -> Weight;
	fn withdraw_unbonded(c: u32, ) -> Weight;
	fn propose_parameter() -> Weight;
	fn vote(v: u32, ) -> Weight;
	fn close() -> Weight;
	fn propose_call() -> Weight;
	fn close_call() -> Weight;
	fn unlock(v: u32, ) -> Weight;
	fn force_set_parameter() -> Weight;
}

/// Weights for `pallet_governance` on the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	/// Storage: `Governance::Stakes` (r:1 w:1)
	/// Proof: `Governance::Stakes` (`max_values`: None, `max_size`: Some(1026), added: 3501, mode: `MaxEncodedLen`)
	/// Storage: `Governance::TotalStake` (r:1 w:1)
	/// Proof: `Governance::TotalStake` (`max_values`: Some(1), `max_size`: Some(16), added: 511, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:1 w:1)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Proof: `Balances::Holds` (`max_values`: None, `max_size`: Some(283), added: 2758, mode: `MaxEncodedLen`)
	fn stake() -> Weight {
		// Proof size: measured `322`, estimated `4491`.
		// Minimum execution time: 852_211_000 picoseconds.
		Weight::from_parts(917_278_000, 4491)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	/// Storage: `Governance::Stakes` (r:1 w:1)
	/// Proof: `Governance::Stakes` (`max_values`: None, `max_size`: Some(1026), added: 3501, mode: `MaxEncodedLen`)
	/// Storage: `Governance::Proposals` (r:32 w:0)
	/// Proof: `Governance::Proposals` (`max_values`: None, `max_size`: Some(1140), added: 3615, mode: `MaxEncodedLen`)
	/// Storage: `Governance::PeriodOverrides` (r:1 w:0)
	/// Proof: `Governance::PeriodOverrides` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `Governance::TotalStake` (r:1 w:1)
	/// Proof: `Governance::TotalStake` (`max_values`: Some(1), `max_size`: Some(16), added: 511, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Freezes` (r:1 w:1)
	/// Proof: `Balances::Freezes` (`max_values`: None, `max_size`: Some(85), added: 2560, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:1 w:1)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Locks` (r:1 w:0)
	/// Proof: `Balances::Locks` (`max_values`: None, `max_size`: Some(1299), added: 3774, mode: `MaxEncodedLen`)
	/// The range of component `v` is `[0, 32]`.
	fn unstake(v: u32, ) -> Weight {
		// Proof size: measured `551`, estimated `4764`.
		// Minimum execution time: 488_318_000 picoseconds.
		Weight::from_parts(580_305_659, 4764)
			.saturating_add(Weight::from_parts(45_368_062, 0).saturating_mul(v.into()))
			.saturating_add(T::DbWeight::get().reads(6_u64))
			.saturating_add(T::DbWeight::get().reads((1_u64).saturating_mul(v.into())))
			.saturating_add(T::DbWeight::get().writes(4_u64))
			.saturating_add(Weight::from_parts(0, 3615).saturating_mul(v.into()))
	}
	/// Storage: `Governance::Stakes` (r:1 w:1)
	/// Proof: `Governance::Stakes` (`max_values`: None, `max_size`: Some(1026), added: 3501, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:1 w:1)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Proof: `Balances::Holds` (`max_values`: None, `max_size`: Some(283), added: 2758, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Freezes` (r:1 w:1)
	/// Proof: `Balances::Freezes` (`max_values`: None, `max_size`: Some(85), added: 2560, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Locks` (r:1 w:0)
	/// Proof: `Balances::Locks` (`max_values`: None, `max_size`: Some(1299), added: 3774, mode: `MaxEncodedLen`)
	/// The range of component `c` is `[1, 16]`.
	fn withdraw_unbonded(_c: u32, ) -> Weight {
		// Proof size: measured `498`, estimated `4764`.
		// Minimum execution time: 910_217_000 picoseconds.
		Weight::from_parts(988_104_912, 4764)
			.saturating_add(T::DbWeight::get().reads(5_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	/// Storage: `System::Account` (r:1 w:1)
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
	fn propose_parameter() -> Weight {
		// Proof size: measured `353`, estimated `3748`.
		// Minimum execution time: 869_947_000 picoseconds.
		Weight::from_parts(923_647_000, 3748)
			.saturating_add(T::DbWeight::get().reads(5_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	/// Storage: `Governance::Proposals` (r:32 w:1)
	/// Proof: `Governance::Proposals` (`max_values`: None, `max_size`: Some(1140), added: 3615, mode: `MaxEncodedLen`)
	/// Storage: `Governance::Stakes` (r:1 w:1)
	/// Proof: `Governance::Stakes` (`max_values`: None, `max_size`: Some(1026), added: 3501, mode: `MaxEncodedLen`)
	/// Storage: `Governance::Votes` (r:1 w:1)
	/// Proof: `Governance::Votes` (`max_values`: None, `max_size`: Some(77), added: 2552, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Freezes` (r:1 w:1)
	/// Proof: `Balances::Freezes` (`max_values`: None, `max_size`: Some(85), added: 2560, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:1 w:1)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Locks` (r:1 w:0)
	/// Proof: `Balances::Locks` (`max_values`: None, `max_size`: Some(1299), added: 3774, mode: `MaxEncodedLen`)
	/// The range of component `v` is `[0, 31]`.
	fn vote(v: u32, ) -> Weight {
		// Proof size: measured `676`, estimated `4764`.
		// Minimum execution time: 620_305_000 picoseconds.
		Weight::from_parts(648_864_934, 4764)
			.saturating_add(Weight::from_parts(44_868_391, 0).saturating_mul(v.into()))
			.saturating_add(T::DbWeight::get().reads(6_u64))
			.saturating_add(T::DbWeight::get().reads((1_u64).saturating_mul(v.into())))
			.saturating_add(T::DbWeight::get().writes(5_u64))
			.saturating_add(Weight::from_parts(0, 3615).saturating_mul(v.into()))
	}
	/// Storage: `Governance::Proposals` (r:1 w:1)
	/// Proof: `Governance::Proposals` (`max_values`: None, `max_size`: Some(1140), added: 3615, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:1 w:1)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Proof: `Balances::Holds` (`max_values`: None, `max_size`: Some(283), added: 2758, mode: `MaxEncodedLen`)
	/// Storage: `Governance::Parameters` (r:1 w:1)
	/// Proof: `Governance::Parameters` (`max_values`: Some(1), `max_size`: Some(37), added: 532, mode: `MaxEncodedLen`)
	fn close() -> Weight {
		// Proof size: measured `718`, estimated `4605`.
		// Minimum execution time: 784_170_000 picoseconds.
		Weight::from_parts(834_625_000, 4605)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	/// Storage: `System::Account` (r:1 w:1)
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
	fn propose_call() -> Weight {
		// Proof size: measured `353`, estimated `3748`.
		// Minimum execution time: 868_776_000 picoseconds.
		Weight::from_parts(915_646_000, 3748)
			.saturating_add(T::DbWeight::get().reads(5_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	/// Storage: `Governance::Proposals` (r:1 w:1)
	/// Proof: `Governance::Proposals` (`max_values`: None, `max_size`: Some(1140), added: 3615, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:1 w:1)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Proof: `Balances::Holds` (`max_values`: None, `max_size`: Some(283), added: 2758, mode: `MaxEncodedLen`)
	fn close_call() -> Weight {
		// Proof size: measured `1679`, estimated `4605`.
		// Minimum execution time: 788_987_000 picoseconds.
		Weight::from_parts(810_999_000, 4605)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	/// Storage: `Governance::Stakes` (r:1 w:1)
	/// Proof: `Governance::Stakes` (`max_values`: None, `max_size`: Some(1026), added: 3501, mode: `MaxEncodedLen`)
	/// Storage: `Governance::Proposals` (r:32 w:0)
	/// Proof: `Governance::Proposals` (`max_values`: None, `max_size`: Some(1140), added: 3615, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Freezes` (r:1 w:1)
	/// Proof: `Balances::Freezes` (`max_values`: None, `max_size`: Some(85), added: 2560, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:1 w:1)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Locks` (r:1 w:0)
	/// Proof: `Balances::Locks` (`max_values`: None, `max_size`: Some(1299), added: 3774, mode: `MaxEncodedLen`)
	/// Storage: `Governance::Votes` (r:0 w:32)
	/// Proof: `Governance::Votes` (`max_values`: None, `max_size`: Some(77), added: 2552, mode: `MaxEncodedLen`)
	/// The range of component `v` is `[0, 32]`.
	fn unlock(v: u32, ) -> Weight {
		// Proof size: measured `493`, estimated `4764`.
		// Minimum execution time: 391_744_000 picoseconds.
		Weight::from_parts(450_016_767, 4764)
			.saturating_add(Weight::from_parts(76_748_144, 0).saturating_mul(v.into()))
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().reads((1_u64).saturating_mul(v.into())))
			.saturating_add(T::DbWeight::get().writes(3_u64))
			.saturating_add(T::DbWeight::get().writes((1_u64).saturating_mul(v.into())))
			.saturating_add(Weight::from_parts(0, 3615).saturating_mul(v.into()))
	}
	/// Storage: `Governance::Parameters` (r:1 w:1)
	/// Proof: `Governance::Parameters` (`max_values`: Some(1), `max_size`: Some(37), added: 532, mode: `MaxEncodedLen`)
	fn force_set_parameter() -> Weight {
		// Proof size: measured `155`, estimated `1522`.
		// Minimum execution time: 150_314_000 picoseconds.
		Weight::from_parts(157_525_000, 1522)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
}

/// The same weights on the reference database weights, for tests and mocks.
impl WeightInfo for () {
	fn stake() -> Weight {
		Weight::from_parts(917_278_000, 4491)
			.saturating_add(RocksDbWeight::get().reads(4_u64))
			.saturating_add(RocksDbWeight::get().writes(4_u64))
	}
	fn unstake(v: u32, ) -> Weight {
		Weight::from_parts(580_305_659, 4764)
			.saturating_add(Weight::from_parts(45_368_062, 0).saturating_mul(v.into()))
			.saturating_add(RocksDbWeight::get().reads(6_u64))
			.saturating_add(RocksDbWeight::get().reads((1_u64).saturating_mul(v.into())))
			.saturating_add(RocksDbWeight::get().writes(4_u64))
			.saturating_add(Weight::from_parts(0, 3615).saturating_mul(v.into()))
	}
	fn withdraw_unbonded(_c: u32, ) -> Weight {
		Weight::from_parts(988_104_912, 4764)
			.saturating_add(RocksDbWeight::get().reads(5_u64))
			.saturating_add(RocksDbWeight::get().writes(4_u64))
	}
	fn propose_parameter() -> Weight {
		Weight::from_parts(923_647_000, 3748)
			.saturating_add(RocksDbWeight::get().reads(5_u64))
			.saturating_add(RocksDbWeight::get().writes(4_u64))
	}
	fn vote(v: u32, ) -> Weight {
		Weight::from_parts(648_864_934, 4764)
			.saturating_add(Weight::from_parts(44_868_391, 0).saturating_mul(v.into()))
			.saturating_add(RocksDbWeight::get().reads(6_u64))
			.saturating_add(RocksDbWeight::get().reads((1_u64).saturating_mul(v.into())))
			.saturating_add(RocksDbWeight::get().writes(5_u64))
			.saturating_add(Weight::from_parts(0, 3615).saturating_mul(v.into()))
	}
	fn close() -> Weight {
		Weight::from_parts(834_625_000, 4605)
			.saturating_add(RocksDbWeight::get().reads(4_u64))
			.saturating_add(RocksDbWeight::get().writes(4_u64))
	}
	fn propose_call() -> Weight {
		Weight::from_parts(915_646_000, 3748)
			.saturating_add(RocksDbWeight::get().reads(5_u64))
			.saturating_add(RocksDbWeight::get().writes(4_u64))
	}
	fn close_call() -> Weight {
		Weight::from_parts(810_999_000, 4605)
			.saturating_add(RocksDbWeight::get().reads(3_u64))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
	}
	fn unlock(v: u32, ) -> Weight {
		Weight::from_parts(450_016_767, 4764)
			.saturating_add(Weight::from_parts(76_748_144, 0).saturating_mul(v.into()))
			.saturating_add(RocksDbWeight::get().reads(4_u64))
			.saturating_add(RocksDbWeight::get().reads((1_u64).saturating_mul(v.into())))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
			.saturating_add(RocksDbWeight::get().writes((1_u64).saturating_mul(v.into())))
			.saturating_add(Weight::from_parts(0, 3615).saturating_mul(v.into()))
	}
	fn force_set_parameter() -> Weight {
		Weight::from_parts(157_525_000, 1522)
			.saturating_add(RocksDbWeight::get().reads(1_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
}
