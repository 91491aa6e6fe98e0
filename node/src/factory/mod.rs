//! ModelFactory on the node: jobs over JSON-RPC, the training set read from the chain, the
//! contributions format shared by the RPC and the CLI, and the `model` CLI subcommand.

pub mod command;
pub mod contributions;
pub mod rpc;
pub mod training_data;
