//! The OpenLedger runtime.
//!
//! The state machine of the AI blockchain: accounts and the OPEN token, block production (Aura) and
//! finality (GRANDPA), transaction fees, and the treasury that receives platform fees. The AI
//! pallets (Datanets, model registry, governance, attribution, fee split) build on this base.

#![cfg_attr(not(feature = "std"), no_std)]

#[cfg(feature = "std")]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));

extern crate alloc;

use alloc::vec::Vec;

#[cfg(feature = "runtime-benchmarks")]
#[macro_use]
mod benchmarks;
pub mod apis;
pub mod configs;
pub mod evm;
pub mod genesis_config_presets;
pub mod token;

#[cfg(test)]
mod lifecycle_tests;

use sp_runtime::{
	generic, impl_opaque_keys,
	traits::{BlakeTwo256, IdentifyAccount, Verify},
	MultiAddress, MultiSignature,
};
use sp_version::RuntimeVersion;

pub use frame_system::Call as SystemCall;
pub use pallet_balances::Call as BalancesCall;
pub use pallet_timestamp::Call as TimestampCall;
#[cfg(any(feature = "std", test))]
pub use sp_runtime::BuildStorage;
pub use token::{Balance, MICRO_OPEN, MILLI_OPEN, OPEN};

/// Opaque types: what the node needs to know of the runtime's types without knowing the runtime,
/// so that the client stays generic over runtime upgrades.
pub mod opaque {
	use super::*;
	#[allow(unused_imports)]
	use alloc::vec::Vec;
	use sp_runtime::traits::{BlakeTwo256, Hash as HashT};

	pub use sp_runtime::OpaqueExtrinsic as UncheckedExtrinsic;

	/// Opaque block header type.
	pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
	/// Opaque block type.
	pub type Block = generic::Block<Header, UncheckedExtrinsic>;
	/// Opaque block identifier type.
	pub type BlockId = generic::BlockId<Block>;
	/// Opaque block hash type.
	pub type Hash = <BlakeTwo256 as HashT>::Output;

	impl_opaque_keys! {
		/// The session keys a validator holds: one for block production, one for finality.
		pub struct SessionKeys {
			pub aura: super::Aura,
			pub grandpa: super::Grandpa,
		}
	}
}

/// The runtime's identity, as polkadot.js and the node read it.
#[sp_version::runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
	spec_name: alloc::borrow::Cow::Borrowed("openledger"),
	impl_name: alloc::borrow::Cow::Borrowed("openledger-node"),
	authoring_version: 1,
	// Bump on every change of the runtime's logic; the node refuses to run a WASM whose spec
	// version does not match what it expects for native tooling.
	spec_version: 107,
	impl_version: 1,
	apis: apis::RUNTIME_API_VERSIONS,
	transaction_version: 1,
	system_version: 1,
};

/// Target block time. Slot duration equals block time: one Aura slot, one block.
pub const MILLI_SECS_PER_BLOCK: u64 = 6000;
pub const SLOT_DURATION: u64 = MILLI_SECS_PER_BLOCK;

/// Time in blocks, for periods set as runtime constants.
pub const MINUTES: BlockNumber = 60_000 / (MILLI_SECS_PER_BLOCK as BlockNumber);
pub const HOURS: BlockNumber = MINUTES * 60;
pub const DAYS: BlockNumber = HOURS * 24;

/// SS58 address format: the generic Substrate prefix, until a dedicated one is registered.
pub const SS58_PREFIX: u16 = 42;

/// Block number type.
pub type BlockNumber = u32;
/// Signature type of transactions (sr25519, ed25519 or ecdsa).
pub type Signature = MultiSignature;
/// An account is identified by the public key behind its signature.
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;
/// Account nonce type.
pub type Nonce = u32;
/// Block hash type.
pub type Hash = sp_core::H256;
/// How an account is addressed in a call.
pub type Address = MultiAddress<AccountId, ()>;
/// Block header type.
pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
/// Block type.
pub type Block = generic::Block<Header, UncheckedExtrinsic>;
/// A signed block with its justifications.
pub type SignedBlock = generic::SignedBlock<Block>;
/// Block identifier.
pub type BlockId = generic::BlockId<Block>;

/// The checks every signed transaction passes before it is executed.
pub type TxExtension = (
	frame_system::CheckNonZeroSender<Runtime>,
	frame_system::CheckSpecVersion<Runtime>,
	frame_system::CheckTxVersion<Runtime>,
	frame_system::CheckGenesis<Runtime>,
	frame_system::CheckEra<Runtime>,
	frame_system::CheckNonce<Runtime>,
	frame_system::CheckWeight<Runtime>,
	pallet_transaction_payment::ChargeTransactionPayment<Runtime>,
	// Marks the origin of a transaction that came in as a signed Ethereum transaction, after
	// every extension that needs a signed origin (encodes to nothing).
	pallet_revive::evm::tx_extension::SetOrigin<Runtime>,
	frame_system::WeightReclaim<Runtime>,
);

/// Unchecked extrinsic type as expected by this runtime: Substrate's, plus Ethereum transactions
/// (`revive.ethTransact`) that are checked by their Ethereum signature (see [`evm::EthExtraImpl`]).
pub type UncheckedExtrinsic =
	pallet_revive::evm::runtime::UncheckedExtrinsic<Address, Signature, evm::EthExtraImpl>;
/// The payload a user signs.
pub type SignedPayload = generic::SignedPayload<RuntimeCall, TxExtension>;

/// Migrations applied on runtime upgrade.
#[allow(unused_parens)]
type Migrations = (pallet_governance::migrations::MigrateToV2<Runtime>,);

/// Dispatches calls to the pallets and runs the block lifecycle.
pub type Executive = frame_executive::Executive<
	Runtime,
	Block,
	frame_system::ChainContext<Runtime>,
	Runtime,
	AllPalletsWithSystem,
	Migrations,
>;

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Runtime;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;

	#[runtime::pallet_index(1)]
	pub type Timestamp = pallet_timestamp;

	#[runtime::pallet_index(2)]
	pub type Aura = pallet_aura;

	#[runtime::pallet_index(3)]
	pub type Grandpa = pallet_grandpa;

	#[runtime::pallet_index(4)]
	pub type Balances = pallet_balances;

	#[runtime::pallet_index(5)]
	pub type TransactionPayment = pallet_transaction_payment;

	#[runtime::pallet_index(6)]
	pub type Treasury = pallet_treasury;

	#[runtime::pallet_index(7)]
	pub type Sudo = pallet_sudo;

	// The AI blockchain: data, models and their governance.
	#[runtime::pallet_index(20)]
	pub type Datanets = pallet_datanets;

	#[runtime::pallet_index(21)]
	pub type ModelRegistry = pallet_model_registry;

	#[runtime::pallet_index(22)]
	pub type Governance = pallet_governance;

	// Paid, attributed inference.
	#[runtime::pallet_index(23)]
	pub type FeeSplit = pallet_fee_split;

	#[runtime::pallet_index(24)]
	pub type Attribution = pallet_attribution;
	#[runtime::pallet_index(25)]
	pub type AttributionWorker = pallet_attribution_worker;

	// Solidity contracts and Ethereum tooling (EVM bytecode through pallet-revive). The
	// Ethereum JSON-RPC server finds the pallet by this name.
	#[runtime::pallet_index(30)]
	pub type Revive = pallet_revive;
}
