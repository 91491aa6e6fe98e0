//! Weights for `pallet_attribution`, measured by the benchmark CLI 64.0.0 on 2026-11-28.
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
	fn settle(c: u32, s: u32, ) -> Weight;
	fn slash_worker() -> Weight;
}

/// Weights for `pallet_attribution` on the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	/// Storage: `Attribution::Workers` (r:1 w:1)
	/// Proof: `Attribution::Workers` (`max_values`: None, `max_size`: Some(331), added: 2806, mode: `MaxEncodedLen`)
	/// Storage: `ModelRegistry::Models` (r:64 w:0)
	/// Proof: `ModelRegistry::Models` (`max_values`: None, `max_size`: Some(937), added: 3412, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:1 w:1)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Proof: `Balances::Holds` (`max_values`: None, `max_size`: Some(193), added: 2668, mode: `MaxEncodedLen`)
	/// The range of component `m` is `[1, 64]`.
	fn register_worker(m: u32, ) -> Weight {
		// Proof size: measured `331`, estimated `3796`.
		// Minimum execution time: 1_988_926_000 picoseconds.
		Weight::from_parts(2_035_128_980, 3796)
			.saturating_add(Weight::from_parts(115_514_128, 0).saturating_mul(m.into()))
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().reads((1_u64).saturating_mul(m.into())))
			.saturating_add(T::DbWeight::get().writes(3_u64))
			.saturating_add(Weight::from_parts(0, 3412).saturating_mul(m.into()))
	}
	/// Storage: `ModelRegistry::Models` (r:64 w:0)
	/// Proof: `ModelRegistry::Models` (`max_values`: None, `max_size`: Some(937), added: 3412, mode: `MaxEncodedLen`)
	/// Storage: `Attribution::Workers` (r:1 w:1)
	/// Proof: `Attribution::Workers` (`max_values`: None, `max_size`: Some(331), added: 2806, mode: `MaxEncodedLen`)
	/// The range of component `m` is `[1, 64]`.
	fn set_worker_models(m: u32, ) -> Weight {
		// Proof size: measured `296`, estimated `3796`.
		// Minimum execution time: 565_025_000 picoseconds.
		Weight::from_parts(582_605_798, 3796)
			.saturating_add(Weight::from_parts(142_330_085, 0).saturating_mul(m.into()))
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().reads((1_u64).saturating_mul(m.into())))
			.saturating_add(T::DbWeight::get().writes(1_u64))
			.saturating_add(Weight::from_parts(0, 3412).saturating_mul(m.into()))
	}
	/// Storage: `Attribution::Workers` (r:1 w:1)
	/// Proof: `Attribution::Workers` (`max_values`: None, `max_size`: Some(331), added: 2806, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:1 w:1)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Proof: `Balances::Holds` (`max_values`: None, `max_size`: Some(193), added: 2668, mode: `MaxEncodedLen`)
	fn bond_extra() -> Weight {
		// Proof size: measured `301`, estimated `3796`.
		// Minimum execution time: 1_592_375_000 picoseconds.
		Weight::from_parts(1_770_278_000, 3796)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	/// Storage: `Attribution::Workers` (r:1 w:1)
	/// Proof: `Attribution::Workers` (`max_values`: None, `max_size`: Some(331), added: 2806, mode: `MaxEncodedLen`)
	fn unregister_worker() -> Weight {
		// Proof size: measured `105`, estimated `3796`.
		// Minimum execution time: 353_304_000 picoseconds.
		Weight::from_parts(411_700_000, 3796)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	/// Storage: `Attribution::Workers` (r:1 w:1)
	/// Proof: `Attribution::Workers` (`max_values`: None, `max_size`: Some(331), added: 2806, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:1 w:1)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Proof: `Balances::Holds` (`max_values`: None, `max_size`: Some(193), added: 2668, mode: `MaxEncodedLen`)
	fn withdraw_worker() -> Weight {
		// Proof size: measured `305`, estimated `3796`.
		// Minimum execution time: 1_404_900_000 picoseconds.
		Weight::from_parts(2_179_372_000, 3796)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	/// Storage: `Attribution::Workers` (r:1 w:0)
	/// Proof: `Attribution::Workers` (`max_values`: None, `max_size`: Some(331), added: 2806, mode: `MaxEncodedLen`)
	/// Storage: `Attribution::Records` (r:1 w:1)
	/// Proof: `Attribution::Records` (`max_values`: None, `max_size`: Some(5158), added: 7633, mode: `MaxEncodedLen`)
	/// Storage: `FeeSplit::Requests` (r:1 w:1)
	/// Proof: `FeeSplit::Requests` (`max_values`: None, `max_size`: Some(134), added: 2609, mode: `MaxEncodedLen`)
	/// Storage: `ModelRegistry::Models` (r:1 w:0)
	/// Proof: `ModelRegistry::Models` (`max_values`: None, `max_size`: Some(937), added: 3412, mode: `MaxEncodedLen`)
	/// Storage: `Datanets::Contributions` (r:64 w:0)
	/// Proof: `Datanets::Contributions` (`max_values`: None, `max_size`: Some(412), added: 2887, mode: `MaxEncodedLen`)
	/// Storage: `Governance::Parameters` (r:1 w:0)
	/// Proof: `Governance::Parameters` (`max_values`: Some(1), `max_size`: Some(37), added: 532, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:167 w:167)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Proof: `Balances::Holds` (`max_values`: None, `max_size`: Some(193), added: 2668, mode: `MaxEncodedLen`)
	/// Storage: `ModelRegistry::ModelStakes` (r:101 w:0)
	/// Proof: `ModelRegistry::ModelStakes` (`max_values`: None, `max_size`: Some(76), added: 2551, mode: `MaxEncodedLen`)
	/// Storage: `Attribution::ModelRecordCount` (r:1 w:1)
	/// Proof: `Attribution::ModelRecordCount` (`max_values`: None, `max_size`: Some(20), added: 2495, mode: `MaxEncodedLen`)
	/// Storage: `Attribution::ContributionEarnings` (r:64 w:64)
	/// Proof: `Attribution::ContributionEarnings` (`max_values`: None, `max_size`: Some(40), added: 2515, mode: `MaxEncodedLen`)
	/// Storage: `Attribution::ContributorEarnings` (r:64 w:64)
	/// Proof: `Attribution::ContributorEarnings` (`max_values`: None, `max_size`: Some(72), added: 2547, mode: `MaxEncodedLen`)
	/// Storage: `Attribution::ModelRecords` (r:0 w:1)
	/// Proof: `Attribution::ModelRecords` (`max_values`: None, `max_size`: Some(60), added: 2535, mode: `MaxEncodedLen`)
	/// Storage: `Attribution::ContributorRecords` (r:0 w:64)
	/// Proof: `Attribution::ContributorRecords` (`max_values`: None, `max_size`: Some(96), added: 2571, mode: `MaxEncodedLen`)
	/// The range of component `c` is `[0, 64]`.
	/// The range of component `s` is `[0, 100]`.
	fn settle(c: u32, s: u32, ) -> Weight {
		// Proof size: measured `2284`, estimated `8799`.
		// Minimum execution time: 114_830_094_000 picoseconds.
		Weight::from_parts(125_864_242_000, 8799)
			.saturating_add(Weight::from_parts(900_143_157, 0).saturating_mul(c.into()))
			.saturating_add(Weight::from_parts(759_609_839, 0).saturating_mul(s.into()))
			.saturating_add(T::DbWeight::get().reads(11_u64))
			.saturating_add(T::DbWeight::get().reads((4_u64).saturating_mul(c.into())))
			.saturating_add(T::DbWeight::get().reads((2_u64).saturating_mul(s.into())))
			.saturating_add(T::DbWeight::get().writes(8_u64))
			.saturating_add(T::DbWeight::get().writes((4_u64).saturating_mul(c.into())))
			.saturating_add(T::DbWeight::get().writes((1_u64).saturating_mul(s.into())))
			.saturating_add(Weight::from_parts(0, 2887).saturating_mul(c.into()))
			.saturating_add(Weight::from_parts(0, 2603).saturating_mul(s.into()))
	}
	/// Storage: `Attribution::Workers` (r:1 w:1)
	/// Proof: `Attribution::Workers` (`max_values`: None, `max_size`: Some(331), added: 2806, mode: `MaxEncodedLen`)
	/// Storage: `Balances::Holds` (r:1 w:1)
	/// Proof: `Balances::Holds` (`max_values`: None, `max_size`: Some(193), added: 2668, mode: `MaxEncodedLen`)
	/// Storage: `System::Account` (r:2 w:2)
	/// Proof: `System::Account` (`max_values`: None, `max_size`: Some(128), added: 2603, mode: `MaxEncodedLen`)
	fn slash_worker() -> Weight {
		// Proof size: measured `404`, estimated `6196`.
		// Minimum execution time: 1_655_122_000 picoseconds.
		Weight::from_parts(2_800_833_000, 6196)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
}

/// The same weights on the reference database weights, for tests and mocks.
impl WeightInfo for () {
	fn register_worker(m: u32, ) -> Weight {
		Weight::from_parts(2_035_128_980, 3796)
			.saturating_add(Weight::from_parts(115_514_128, 0).saturating_mul(m.into()))
			.saturating_add(RocksDbWeight::get().reads(3_u64))
			.saturating_add(RocksDbWeight::get().reads((1_u64).saturating_mul(m.into())))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
			.saturating_add(Weight::from_parts(0, 3412).saturating_mul(m.into()))
	}
	fn set_worker_models(m: u32, ) -> Weight {
		Weight::from_parts(582_605_798, 3796)
			.saturating_add(Weight::from_parts(142_330_085, 0).saturating_mul(m.into()))
			.saturating_add(RocksDbWeight::get().reads(1_u64))
			.saturating_add(RocksDbWeight::get().reads((1_u64).saturating_mul(m.into())))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
			.saturating_add(Weight::from_parts(0, 3412).saturating_mul(m.into()))
	}
	fn bond_extra() -> Weight {
		Weight::from_parts(1_770_278_000, 3796)
			.saturating_add(RocksDbWeight::get().reads(3_u64))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
	}
	fn unregister_worker() -> Weight {
		Weight::from_parts(411_700_000, 3796)
			.saturating_add(RocksDbWeight::get().reads(1_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
	fn withdraw_worker() -> Weight {
		Weight::from_parts(2_179_372_000, 3796)
			.saturating_add(RocksDbWeight::get().reads(3_u64))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
	}
	fn settle(c: u32, s: u32, ) -> Weight {
		Weight::from_parts(125_864_242_000, 8799)
			.saturating_add(Weight::from_parts(900_143_157, 0).saturating_mul(c.into()))
			.saturating_add(Weight::from_parts(759_609_839, 0).saturating_mul(s.into()))
			.saturating_add(RocksDbWeight::get().reads(11_u64))
			.saturating_add(RocksDbWeight::get().reads((4_u64).saturating_mul(c.into())))
			.saturating_add(RocksDbWeight::get().reads((2_u64).saturating_mul(s.into())))
			.saturating_add(RocksDbWeight::get().writes(8_u64))
			.saturating_add(RocksDbWeight::get().writes((4_u64).saturating_mul(c.into())))
			.saturating_add(RocksDbWeight::get().writes((1_u64).saturating_mul(s.into())))
			.saturating_add(Weight::from_parts(0, 2887).saturating_mul(c.into()))
			.saturating_add(Weight::from_parts(0, 2603).saturating_mul(s.into()))
	}
	fn slash_worker() -> Weight {
		Weight::from_parts(2_800_833_000, 6196)
			.saturating_add(RocksDbWeight::get().reads(4_u64))
			.saturating_add(RocksDbWeight::get().writes(4_u64))
	}
}
