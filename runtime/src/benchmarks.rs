//! The pallets whose weights are measured by `openledger-node benchmark pallet`.

frame_benchmarking::define_benchmarks!(
	[frame_benchmarking, BaselineBench::<Runtime>]
	[frame_system, SystemBench::<Runtime>]
	[pallet_balances, Balances]
	[pallet_timestamp, Timestamp]
	[pallet_sudo, Sudo]
	[pallet_treasury, Treasury]
	[pallet_datanets, Datanets]
	[pallet_model_registry, ModelRegistry]
	[pallet_governance, Governance]
	[pallet_fee_split, FeeSplit]
	[pallet_attribution, Attribution]
);
