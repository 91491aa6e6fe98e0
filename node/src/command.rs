//! Dispatches the command line to the node or to a subcommand.

use sc_cli::SubstrateCli;
use sc_service::PartialComponents;

use crate::{
	chain_spec,
	cli::{Cli, Subcommand},
	service,
};

impl SubstrateCli for Cli {
	fn impl_name() -> String {
		"OpenLedger Node".into()
	}

	fn impl_version() -> String {
		env!("SUBSTRATE_CLI_IMPL_VERSION").into()
	}

	fn description() -> String {
		env!("CARGO_PKG_DESCRIPTION").into()
	}

	fn author() -> String {
		env!("CARGO_PKG_AUTHORS").into()
	}

	fn support_url() -> String {
		"https://openledger.invalid/openledger-node/issues".into()
	}

	fn copyright_start_year() -> i32 {
		2026
	}

	fn load_spec(&self, id: &str) -> Result<Box<dyn sc_service::ChainSpec>, String> {
		chain_spec::load(id)
	}
}

/// Runs a subcommand that only needs the client and import queue.
macro_rules! with_partial {
	($cli:expr, $cmd:expr, |$parts:ident, $config:ident| $body:expr) => {{
		let runner = $cli.create_runner($cmd)?;
		runner.async_run(|$config| {
			let $parts = service::new_partial(&$config)?;
			$body
		})
	}};
}

/// Parses the command line and runs it.
pub fn run() -> sc_cli::Result<()> {
	let mut cli = Cli::from_args();
	cli.default_to_paritydb();

	match cli.subcommand.take() {
		Some(Subcommand::Key(cmd)) => cmd.run(&cli),
		Some(Subcommand::BuildSpec(cmd)) => {
			let runner = cli.create_runner(&cmd)?;
			runner.sync_run(|config| cmd.run(config.chain_spec, config.network))
		}
		Some(Subcommand::CheckBlock(cmd)) => with_partial!(cli, &cmd, |parts, config| {
			let PartialComponents { client, task_manager, import_queue, .. } = parts;
			Ok((cmd.run(client, import_queue), task_manager))
		}),
		Some(Subcommand::ExportBlocks(cmd)) => with_partial!(cli, &cmd, |parts, config| {
			let PartialComponents { client, task_manager, .. } = parts;
			Ok((cmd.run(client, config.database), task_manager))
		}),
		Some(Subcommand::ExportState(cmd)) => with_partial!(cli, &cmd, |parts, config| {
			let PartialComponents { client, task_manager, .. } = parts;
			Ok((cmd.run(client, config.chain_spec), task_manager))
		}),
		Some(Subcommand::ImportBlocks(cmd)) => with_partial!(cli, &cmd, |parts, config| {
			let PartialComponents { client, task_manager, import_queue, .. } = parts;
			Ok((cmd.run(client, import_queue), task_manager))
		}),
		Some(Subcommand::PurgeChain(cmd)) => {
			let runner = cli.create_runner(&cmd)?;
			runner.sync_run(|config| cmd.run(config.database))
		}
		Some(Subcommand::Revert(cmd)) => with_partial!(cli, &cmd, |parts, config| {
			let PartialComponents { client, task_manager, backend, .. } = parts;
			let aux_revert = Box::new(|client, _, blocks| {
				sc_consensus_grandpa::revert(client, blocks)?;
				Ok(())
			});
			Ok((cmd.run(client, backend, Some(aux_revert)), task_manager))
		}),
		#[cfg(feature = "runtime-benchmarks")]
		Some(Subcommand::Benchmark(cmd)) => crate::benchmarking::run(&cli, &cmd),
		Some(Subcommand::Model(cmd)) => {
			let result = match cmd {
				crate::factory::command::ModelCmd::Train(train) => train.run(),
				crate::factory::command::ModelCmd::Explain(explain) => explain.run(),
			};
			result.map_err(sc_cli::Error::Input)
		}
		Some(Subcommand::ChainInfo(cmd)) => {
			let runner = cli.create_runner(&cmd)?;
			runner.sync_run(|config| cmd.run::<openledger_runtime::Block>(&config))
		}
		// The Ethereum RPC server sets up its own logger and async runtime.
		Some(Subcommand::EthRpc(cmd)) => pallet_revive_eth_rpc::cli::run(cmd)
			.map_err(|error| sc_cli::Error::Application(error.into())),
		None => {
			let runner = cli.create_runner(&cli.run)?;
			let inference = cli.inference.clone();
			runner.run_node_until_exit(|config| async move {
				match config.network.network_backend {
					sc_network::config::NetworkBackendType::Libp2p => service::new_full::<
						sc_network::NetworkWorker<
							openledger_runtime::opaque::Block,
							<openledger_runtime::opaque::Block as sp_runtime::traits::Block>::Hash,
						>,
					>(config, inference)
					.map_err(sc_cli::Error::Service),
					sc_network::config::NetworkBackendType::Litep2p => {
						service::new_full::<sc_network::Litep2pNetworkBackend>(config, inference)
							.map_err(sc_cli::Error::Service)
					}
				}
			})
		}
	}
}
