//! `openledger-node`: the OpenLedger validator and full node.

// `sc_cli::Result` carries the SDK's large `sc_cli::Error`; every command returns it.
#![allow(clippy::result_large_err)]

mod attribution_rpc;
#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod chain_spec;
mod cli;
mod command;
mod content_store;
mod demo;
mod factory_rpc;
mod inference;
mod inference_rpc;
mod model_cmd;
mod openai;
mod paid_inference;
mod rpc;
mod service;
mod training_data;

fn main() -> sc_cli::Result<()> {
	command::run()
}
