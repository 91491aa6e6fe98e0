//! Configuration of pallet-revive: Solidity contracts (EVM bytecode) and Ethereum transactions.

use frame_support::{
	parameter_types,
	traits::{tokens::imbalance::ResolveTo, ConstBool, ConstU32, FindAuthor},
};
use frame_system::EnsureSigned;
use sp_runtime::{ConsensusEngineId, FixedU128, Perbill};

use super::TreasuryAccount;
use crate::{
	evm::{precompile::OpenLedgerPrecompile, EthExtraImpl},
	AccountId, Address, Balance, Balances, Runtime, RuntimeCall, RuntimeEvent, RuntimeHoldReason,
	RuntimeOrigin, Signature, Timestamp, MICRO_OPEN, MILLI_OPEN,
};

parameter_types! {
	/// The EIP-155 chain id that Ethereum transactions sign for: OpenLedger's, 1612 (0x64c).
	pub const ChainId: u64 = 1612;
	/// The gas price is `GasScale` wei of OPEN: 1 gwei, 10^-9 OPEN per unit of gas. Gas is the
	/// transaction's fee (weight and length, as for any extrinsic) divided by that price.
	pub const GasScale: u32 = 1_000_000_000;
	/// Storage a contract occupies is paid for by a refundable deposit: per item of the main trie
	/// (a contract, its code) …
	pub const DepositPerItem: Balance = 10 * MILLI_OPEN;
	/// … per item of a contract's own storage (a Solidity storage slot) …
	pub const DepositPerChildTrieItem: Balance = 100 * MICRO_OPEN;
	/// … and per byte; 10 KiB of contract code hold 0.1 OPEN.
	pub const DepositPerByte: Balance = 10 * MICRO_OPEN;
	/// Instantiating a contract locks this share of its code's deposit, so that code in use is
	/// not removed.
	pub const CodeHashLockupDepositPercent: Perbill = Perbill::from_percent(30);
	/// An Ethereum transaction may use up to 90% of an extrinsic's maximum weight.
	pub MaxEthExtrinsicWeight: FixedU128 = FixedU128::from_rational(9, 10);
}

/// The author of the block (`block.coinbase`): the Aura authority of the block's slot, whose
/// sr25519 key is its account.
pub struct AuraAuthor;

impl FindAuthor<AccountId> for AuraAuthor {
	fn find_author<'a, I>(digests: I) -> Option<AccountId>
	where
		I: 'a + IntoIterator<Item = (ConsensusEngineId, &'a [u8])>,
	{
		let index = pallet_aura::Pallet::<Runtime>::find_author(digests)?;
		let authorities = pallet_aura::Authorities::<Runtime>::get();
		let authority = authorities.get(usize::try_from(index).ok()?)?;
		let key: &[u8] = authority.as_ref();
		AccountId::try_from(key).ok()
	}
}

impl pallet_revive::Config for Runtime {
	type Time = Timestamp;
	type Balance = Balance;
	type Currency = Balances;
	// Gas rounding goes to the treasury: no OPEN is ever destroyed.
	type OnBurn = ResolveTo<TreasuryAccount, Balances>;
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type RuntimeOrigin = RuntimeOrigin;
	type RuntimeHoldReason = RuntimeHoldReason;
	type WeightInfo = pallet_revive::weights::SubstrateWeight<Runtime>;
	type Precompiles = (OpenLedgerPrecompile,);
	type FindAuthor = AuraAuthor;
	type DepositPerByte = DepositPerByte;
	type DepositPerItem = DepositPerItem;
	type DepositPerChildTrieItem = DepositPerChildTrieItem;
	type CodeHashLockupDepositPercent = CodeHashLockupDepositPercent;
	type AddressMapper = pallet_revive::AccountId32Mapper<Runtime>;
	// Solidity compiled by solc runs as is; PolkaVM contracts are accepted too.
	type AllowEVMBytecode = ConstBool<true>;
	type UploadOrigin = EnsureSigned<AccountId>;
	type InstantiateOrigin = EnsureSigned<AccountId>;
	// What pallet-revive's integrity test checks its limits against: the executor's default
	// runtime memory and a generous bound for a validator's memory.
	type RuntimeMemory = ConstU32<{ 128 * 1024 * 1024 }>;
	type PVFMemory = ConstU32<{ 512 * 1024 * 1024 }>;
	type ChainId = ChainId;
	// OPEN has 18 decimals, like ether: one unit is one wei.
	type NativeToEthRatio = ConstU32<1>;
	type FeeInfo = pallet_revive::evm::fees::Info<Address, Signature, EthExtraImpl>;
	type Deposit = ();
	type MaxEthExtrinsicWeight = MaxEthExtrinsicWeight;
	type DebugEnabled = ConstBool<false>;
	// Native accounts are mapped to their Ethereum address when created (frame_system's
	// OnNewAccount), without a deposit; `map_account` is not needed.
	type AutoMap = ConstBool<true>;
	type GasScale = GasScale;
}
