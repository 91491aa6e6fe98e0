//! The runtime whose metadata `pallet-revive-eth-rpc` generates its subxt client from.
//!
//! Upstream, the Ethereum JSON-RPC server's build script reads the metadata of Parity's
//! `revive-dev-runtime`; the workspace patches that crate to this one, so the server's types,
//! calls and runtime-API hashes are those of the OpenLedger runtime it serves, checked against
//! the node's own metadata at connection time.

pub use openledger_runtime::{Runtime, RuntimeCall, RuntimeEvent, UncheckedExtrinsic};
