//! `openledger-node`: the OpenLedger validator and full node.
//!
//! The root holds the solochain template's files (CLI, commands, chain specs, the service, the
//! RPC, benchmarks); the inference side is grouped by concern: [`serving`] (the engine host, its
//! JSON-RPC and the OpenAI-compatible API), [`paid`] (paid requests from admission to the
//! settlement feed), [`factory`] (ModelFactory jobs and their training data), and the Datanets
//! [`content_store`].

// `sc_cli::Result` carries the SDK's large `sc_cli::Error`; every command returns it.
#![allow(clippy::result_large_err)]

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod chain_spec;
mod cli;
mod command;
mod content_store;
mod demo;
mod factory;
mod paid;
mod rpc;
mod service;
mod serving;

fn main() -> sc_cli::Result<()> {
	command::run()
}
