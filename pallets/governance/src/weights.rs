//! Weights for `pallet_governance`, measured by the benchmark CLI 64.0.0 on 2026-11-28.
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
	/// Proof: `Balances::Holds` (`max_values`: None, `max_size`: Some(157), added: 2632, mode: `MaxEncodedLen`)
	fn stake() -> Weight {
		// Proof size: measured `146`, estimated `4491`.
		// Minimum execution time: 1_663_097_000 picoseconds.
		Weight::from_parts(1_836_339_000, 4491)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	/// Storage: `Governance::Stakes` (r:1 w:1)
	/// Proof: `Governance::Stakes` (`max_values`: None, `max_size`: Some(1026), added: 3501, mode: `MaxEncodedLen`)
	/// Storage: `Governance::Proposals` (r:32 w:0)
	/// Proof: `Governance::Proposals` (`max_values`: None, `max_size`: Some(116), added: 2591, mode: `MaxEncodedLen`)
	/// Storage: `Governance::PeriodOverrides` (r:1 w:0)
	/// Proof: `Governance::PeriodOverrides` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `Governance::TotalStake` (r:1 w:1)
	/// Proof: `Governance::TotalStake` (`max_values`: Some(1), `max_size`: Some(16), added: 511, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Freezes` (r:1 w:1)
	/// Proof: `Balances::Freezes` (`max_values`: None, `max_size`: Some(67), added: 2542, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:1 w:1)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Locks` (r:1 w:0)
	/// Proof: `Balances::Locks` (`max_values`: None, `max_size`: Some(1299), added: 3774, mode: `MaxEncodedLen`)
	/// The range of component `v` is `[0, 32]`.
	fn unstake(v: u32, ) -> Weight {
		// Proof size: measured `498`, estimated `4764`.
		// Minimum execution time: 1_680_053_000 picoseconds.
		Weight::from_parts(2_227_644_106, 4764)
			.saturating_add(Weight::from_parts(70_707_187, 0).saturating_mul(v.into()))
			.saturating_add(T::DbWeight::get().reads(6_u64))
			.saturating_add(T::DbWeight::get().reads((1_u64).saturating_mul(v.into())))
			.saturating_add(T::DbWeight::get().writes(4_u64))
			.saturating_add(Weight::from_parts(0, 2591).saturating_mul(v.into()))
	}
	/// Storage: `Governance::Stakes` (r:1 w:1)
	/// Proof: `Governance::Stakes` (`max_values`: None, `max_size`: Some(1026), added: 3501, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:1 w:1)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Proof: `Balances::Holds` (`max_values`: None, `max_size`: Some(157), added: 2632, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Freezes` (r:1 w:1)
	/// Proof: `Balances::Freezes` (`max_values`: None, `max_size`: Some(67), added: 2542, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Locks` (r:1 w:0)
	/// Proof: `Balances::Locks` (`max_values`: None, `max_size`: Some(1299), added: 3774, mode: `MaxEncodedLen`)
	/// The range of component `c` is `[1, 16]`.
	fn withdraw_unbonded(_c: u32, ) -> Weight {
		// Proof size: measured `304`, estimated `4764`.
		// Minimum execution time: 1_721_694_000 picoseconds.
		Weight::from_parts(2_070_757_180, 4764)
			.saturating_add(T::DbWeight::get().reads(5_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	/// Storage: `System::Account` (r:1 w:1)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Proof: `Balances::Holds` (`max_values`: None, `max_size`: Some(157), added: 2632, mode: `MaxEncodedLen`)
	/// Storage: `Governance::NextProposalId` (r:1 w:1)
	/// Proof: `Governance::NextProposalId` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	/// Storage: `Governance::PeriodOverrides` (r:1 w:0)
	/// Proof: `Governance::PeriodOverrides` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `Governance::Proposals` (r:0 w:1)
	/// Proof: `Governance::Proposals` (`max_values`: None, `max_size`: Some(116), added: 2591, mode: `MaxEncodedLen`)
	fn propose_parameter() -> Weight {
		// Proof size: measured `176`, estimated `3622`.
		// Minimum execution time: 1_678_223_000 picoseconds.
		Weight::from_parts(1_916_612_000, 3622)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	/// Storage: `Governance::Proposals` (r:32 w:1)
	/// Proof: `Governance::Proposals` (`max_values`: None, `max_size`: Some(116), added: 2591, mode: `MaxEncodedLen`)
	/// Storage: `Governance::Stakes` (r:1 w:1)
	/// Proof: `Governance::Stakes` (`max_values`: None, `max_size`: Some(1026), added: 3501, mode: `MaxEncodedLen`)
	/// Storage: `Governance::Votes` (r:1 w:1)
	/// Proof: `Governance::Votes` (`max_values`: None, `max_size`: Some(77), added: 2552, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Freezes` (r:1 w:1)
	/// Proof: `Balances::Freezes` (`max_values`: None, `max_size`: Some(67), added: 2542, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:1 w:1)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Locks` (r:1 w:0)
	/// Proof: `Balances::Locks` (`max_values`: None, `max_size`: Some(1299), added: 3774, mode: `MaxEncodedLen`)
	/// The range of component `v` is `[0, 31]`.
	fn vote(v: u32, ) -> Weight {
		// Proof size: measured `640`, estimated `4764`.
		// Minimum execution time: 1_336_619_000 picoseconds.
		Weight::from_parts(1_643_078_477, 4764)
			.saturating_add(Weight::from_parts(125_788_819, 0).saturating_mul(v.into()))
			.saturating_add(T::DbWeight::get().reads(6_u64))
			.saturating_add(T::DbWeight::get().reads((1_u64).saturating_mul(v.into())))
			.saturating_add(T::DbWeight::get().writes(5_u64))
			.saturating_add(Weight::from_parts(0, 2591).saturating_mul(v.into()))
	}
	/// Storage: `Governance::Proposals` (r:1 w:1)
	/// Proof: `Governance::Proposals` (`max_values`: None, `max_size`: Some(116), added: 2591, mode: `MaxEncodedLen`)
	/// Storage: `Governance::TotalStake` (r:1 w:0)
	/// Proof: `Governance::TotalStake` (`max_values`: Some(1), `max_size`: Some(16), added: 511, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:1 w:1)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Proof: `Balances::Holds` (`max_values`: None, `max_size`: Some(157), added: 2632, mode: `MaxEncodedLen`)
	/// Storage: `Governance::Parameters` (r:1 w:1)
	/// Proof: `Governance::Parameters` (`max_values`: Some(1), `max_size`: Some(37), added: 532, mode: `MaxEncodedLen`)
	fn close() -> Weight {
		// Proof size: measured `591`, estimated `3622`.
		// Minimum execution time: 1_722_280_000 picoseconds.
		Weight::from_parts(2_398_158_000, 3622)
			.saturating_add(T::DbWeight::get().reads(5_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	/// Storage: `Governance::Stakes` (r:1 w:1)
	/// Proof: `Governance::Stakes` (`max_values`: None, `max_size`: Some(1026), added: 3501, mode: `MaxEncodedLen`)
	/// Storage: `Governance::Proposals` (r:32 w:0)
	/// Proof: `Governance::Proposals` (`max_values`: None, `max_size`: Some(116), added: 2591, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Freezes` (r:1 w:1)
	/// Proof: `Balances::Freezes` (`max_values`: None, `max_size`: Some(67), added: 2542, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:1 w:1)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Locks` (r:1 w:0)
	/// Proof: `Balances::Locks` (`max_values`: None, `max_size`: Some(1299), added: 3774, mode: `MaxEncodedLen`)
	/// Storage: `Governance::Votes` (r:0 w:32)
	/// Proof: `Governance::Votes` (`max_values`: None, `max_size`: Some(77), added: 2552, mode: `MaxEncodedLen`)
	/// The range of component `v` is `[0, 32]`.
	fn unlock(v: u32, ) -> Weight {
		// Proof size: measured `440`, estimated `4764`.
		// Minimum execution time: 1_546_325_000 picoseconds.
		Weight::from_parts(630_343_753, 4764)
			.saturating_add(Weight::from_parts(331_544_667, 0).saturating_mul(v.into()))
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().reads((1_u64).saturating_mul(v.into())))
			.saturating_add(T::DbWeight::get().writes(3_u64))
			.saturating_add(T::DbWeight::get().writes((1_u64).saturating_mul(v.into())))
			.saturating_add(Weight::from_parts(0, 2591).saturating_mul(v.into()))
	}
	/// Storage: `Governance::Parameters` (r:1 w:1)
	/// Proof: `Governance::Parameters` (`max_values`: Some(1), `max_size`: Some(37), added: 532, mode: `MaxEncodedLen`)
	fn force_set_parameter() -> Weight {
		// Proof size: measured `98`, estimated `1522`.
		// Minimum execution time: 297_188_000 picoseconds.
		Weight::from_parts(578_550_000, 1522)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
}

/// The same weights on the reference database weights, for tests and mocks.
impl WeightInfo for () {
	fn stake() -> Weight {
		Weight::from_parts(1_836_339_000, 4491)
			.saturating_add(RocksDbWeight::get().reads(4_u64))
			.saturating_add(RocksDbWeight::get().writes(4_u64))
	}
	fn unstake(v: u32, ) -> Weight {
		Weight::from_parts(2_227_644_106, 4764)
			.saturating_add(Weight::from_parts(70_707_187, 0).saturating_mul(v.into()))
			.saturating_add(RocksDbWeight::get().reads(6_u64))
			.saturating_add(RocksDbWeight::get().reads((1_u64).saturating_mul(v.into())))
			.saturating_add(RocksDbWeight::get().writes(4_u64))
			.saturating_add(Weight::from_parts(0, 2591).saturating_mul(v.into()))
	}
	fn withdraw_unbonded(_c: u32, ) -> Weight {
		Weight::from_parts(2_070_757_180, 4764)
			.saturating_add(RocksDbWeight::get().reads(5_u64))
			.saturating_add(RocksDbWeight::get().writes(4_u64))
	}
	fn propose_parameter() -> Weight {
		Weight::from_parts(1_916_612_000, 3622)
			.saturating_add(RocksDbWeight::get().reads(4_u64))
			.saturating_add(RocksDbWeight::get().writes(4_u64))
	}
	fn vote(v: u32, ) -> Weight {
		Weight::from_parts(1_643_078_477, 4764)
			.saturating_add(Weight::from_parts(125_788_819, 0).saturating_mul(v.into()))
			.saturating_add(RocksDbWeight::get().reads(6_u64))
			.saturating_add(RocksDbWeight::get().reads((1_u64).saturating_mul(v.into())))
			.saturating_add(RocksDbWeight::get().writes(5_u64))
			.saturating_add(Weight::from_parts(0, 2591).saturating_mul(v.into()))
	}
	fn close() -> Weight {
		Weight::from_parts(2_398_158_000, 3622)
			.saturating_add(RocksDbWeight::get().reads(5_u64))
			.saturating_add(RocksDbWeight::get().writes(4_u64))
	}
	fn unlock(v: u32, ) -> Weight {
		Weight::from_parts(630_343_753, 4764)
			.saturating_add(Weight::from_parts(331_544_667, 0).saturating_mul(v.into()))
			.saturating_add(RocksDbWeight::get().reads(4_u64))
			.saturating_add(RocksDbWeight::get().reads((1_u64).saturating_mul(v.into())))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
			.saturating_add(RocksDbWeight::get().writes((1_u64).saturating_mul(v.into())))
			.saturating_add(Weight::from_parts(0, 2591).saturating_mul(v.into()))
	}
	fn force_set_parameter() -> Weight {
		Weight::from_parts(578_550_000, 1522)
			.saturating_add(RocksDbWeight::get().reads(1_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
}
