//! Command-line interface: `run` (the default) and the operator's subcommands.

use sc_cli::RunCmd;

#[derive(Debug, clap::Parser)]
pub struct Cli {
	#[command(subcommand)]
	pub subcommand: Option<Subcommand>,

	#[clap(flatten)]
	pub run: RunCmd,

	#[clap(flatten)]
	pub inference: crate::serving::args::InferenceArgs,
}

#[derive(Debug, clap::Subcommand)]
#[allow(clippy::large_enum_variant)]
pub enum Subcommand {
	/// Key management: generate, inspect and insert keys (`key insert` puts a validator's or
	/// worker's key into the node's keystore).
	#[command(subcommand)]
	Key(sc_cli::KeySubcommand),

	/// Build a chain specification (`--chain dev|local|testnet|testnet-preset|FILE`).
	BuildSpec(sc_cli::BuildSpecCmd),

	/// Validate blocks.
	CheckBlock(sc_cli::CheckBlockCmd),

	/// Export blocks.
	ExportBlocks(sc_cli::ExportBlocksCmd),

	/// Export the state of a given block into a chain spec.
	ExportState(sc_cli::ExportStateCmd),

	/// Import blocks.
	ImportBlocks(sc_cli::ImportBlocksCmd),

	/// Remove the whole chain.
	PurgeChain(sc_cli::PurgeChainCmd),

	/// Revert the chain to a previous state.
	Revert(sc_cli::RevertCmd),

	/// Runtime and node benchmarks (a node built with `--features runtime-benchmarks`).
	#[cfg(feature = "runtime-benchmarks")]
	#[command(subcommand)]
	Benchmark(frame_benchmarking_cli::BenchmarkCmd),

	/// ModelFactory: fine-tune a LoRA adapter on contributions (`model train`), or show the
	/// contributions behind an output (`model explain`).
	#[command(subcommand)]
	Model(crate::factory::command::ModelCmd),

	/// Db meta columns information.
	ChainInfo(sc_cli::ChainInfoCmd),

	/// The Ethereum JSON-RPC server (pallet-revive-eth-rpc) in front of a node: wallets and
	/// Ethereum tooling connect to it (`--rpc-port`, default 8545) and it talks to the node at
	/// `--node-rpc-url` (default ws://127.0.0.1:9944).
	EthRpc(pallet_revive_eth_rpc::cli::CliCommand),
}

impl Cli {
	/// ParityDB stays the default database: RocksDB is compiled in too (the Ethereum RPC
	/// server's dependencies bring it), and would otherwise become the default and fail to open
	/// an existing ParityDB base path.
	pub fn default_to_paritydb(&mut self) {
		let prefer = |params: &mut sc_cli::DatabaseParams| {
			params.database.get_or_insert(sc_cli::Database::ParityDb);
		};
		prefer(&mut self.run.import_params.database_params);
		match &mut self.subcommand {
			Some(Subcommand::CheckBlock(cmd)) => prefer(&mut cmd.import_params.database_params),
			Some(Subcommand::ImportBlocks(cmd)) => prefer(&mut cmd.import_params.database_params),
			Some(Subcommand::ExportBlocks(cmd)) => prefer(&mut cmd.database_params),
			Some(Subcommand::ExportState(cmd)) => prefer(&mut cmd.database_params),
			Some(Subcommand::PurgeChain(cmd)) => prefer(&mut cmd.database_params),
			Some(Subcommand::Revert(cmd)) => prefer(&mut cmd.database_params),
			Some(Subcommand::ChainInfo(cmd)) => prefer(&mut cmd.database_params),
			_ => {}
		}
	}
}
