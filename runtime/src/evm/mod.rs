//! Ethereum compatibility: how a signed Ethereum transaction becomes an extrinsic, and the
//! OpenLedger precompile through which contracts read the chain's AI state.
//!
//! The pallet itself is configured in `configs/revive.rs`; the Ethereum JSON-RPC server
//! (`openledger-node eth-rpc`) turns `eth_sendRawTransaction` into `revive.ethTransact`, which
//! [`crate::UncheckedExtrinsic`] checks by its Ethereum signature and runs with
//! [`EthExtraImpl::get_eth_extension`]'s checks.

pub mod precompile;

#[cfg(test)]
mod tests;

use crate::{Balance, Nonce, Runtime, TxExtension};
use pallet_revive::evm::runtime::EthExtra;

/// The transaction extensions an Ethereum transaction is checked with: those of every signed
/// extrinsic, immortal (Ethereum transactions carry no era), with the Ethereum nonce and tip.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct EthExtraImpl;

impl EthExtra for EthExtraImpl {
	type Config = Runtime;
	type ExtensionV0 = TxExtension;
	type ExtensionOtherVersions = sp_runtime::traits::InvalidVersion;

	fn get_eth_extension(nonce: Nonce, tip: Balance) -> TxExtension {
		(
			frame_system::CheckNonZeroSender::<Runtime>::new(),
			frame_system::CheckSpecVersion::<Runtime>::new(),
			frame_system::CheckTxVersion::<Runtime>::new(),
			frame_system::CheckGenesis::<Runtime>::new(),
			frame_system::CheckEra::<Runtime>::from(sp_runtime::generic::Era::Immortal),
			frame_system::CheckNonce::<Runtime>::from(nonce),
			frame_system::CheckWeight::<Runtime>::new(),
			pallet_transaction_payment::ChargeTransactionPayment::<Runtime>::from(tip),
			pallet_revive::evm::tx_extension::SetOrigin::<Runtime>::new_from_eth_transaction(),
			frame_system::WeightReclaim::<Runtime>::new(),
		)
	}
}
