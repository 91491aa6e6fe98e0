//! `openledger-node`: the OpenLedger validator and full node.

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod chain_spec;
mod cli;
mod command;
mod content_store;
mod rpc;
mod service;

fn main() -> sc_cli::Result<()> {
	command::run()
}
