//! Genesis presets: `dev` (one validator), `local` (alice + bob) and `testnet` (three validators).
//!
//! `dev` also starts with the flywheel's demo (see [`DEMO_QA`]): a curated Datanet, a deployed
//! model trained on it, and a worker serving it.
//!
//! Every preset mints exactly [`crate::token::TOTAL_SUPPLY`] OPEN, split by the tokenomics table of
//! the OpenLedger whitepaper (§5.1, Table 2) into one keyless account per category. On `dev` and
//! `local` the well-known development accounts are funded for testing out of the Community share,
//! so the supply and the split stay exact.

use crate::{
	configs::{TreasuryAccount, EXISTENTIAL_DEPOSIT},
	token::AllocationCategory,
	AccountId, AttributionConfig, Balance, BalancesConfig, BlockNumber, DatanetsConfig,
	GovernanceConfig, ModelRegistryConfig, Runtime, RuntimeGenesisConfig, SudoConfig, OPEN,
};
use alloc::{vec, vec::Vec};
use frame_support::{build_struct_json_patch, PalletId};
use pallet_governance::{FeeSplit, ParameterSet, PlatformFee};
use serde_json::Value;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_core::crypto::UncheckedFrom;
use sp_genesis_builder::{self, PresetId};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};
use sp_runtime::{traits::AccountIdConversion, Perbill};

/// Preset of a single-validator development chain.
pub const DEV_PRESET: &str = "dev";
/// Preset of a local two-validator network (alice, bob).
pub const LOCAL_PRESET: &str = "local";
/// Preset of the public test network (three validators).
pub const TESTNET_PRESET: &str = "testnet";

/// What each development account holds on `dev` and `local`.
pub const DEV_ACCOUNT_BALANCE: Balance = 1_000_000 * OPEN;

/// Public keys (aura sr25519, grandpa ed25519) of the testnet validators. They are derived from
/// the test-only secret URIs `//OpenLedgerTestnet//validator//1` to `//3` (see chain-spec/README.md);
/// a unit test checks the derivation.
pub const TESTNET_VALIDATORS: [([u8; 32], [u8; 32]); 3] = [
	(
		hex_bytes("6a7fe8ebe71d3651a78cfa063316988d6e40701ee46cfac272222b8b9d19ea33"),
		hex_bytes("81254e8b1c692fb77b2bf9dcf6fe82a946e73b2a55893e267c781af658c73c60"),
	),
	(
		hex_bytes("d60c03294a5d7c29ee79483a403249d5bc90aaa71ebaea99b98e45ba1ac4493f"),
		hex_bytes("1d176586422825813239225eecea44a516c4ac0defefea0550504b3d0569547c"),
	),
	(
		hex_bytes("f43739a0a2e7c491f859f2e0a5ae617157c7091e1697d2e63c06fdb61296677a"),
		hex_bytes("e37e4b60196edd87d635b3ab1819526cf6842cd0d9c364cde4669e8bee74fe04"),
	),
];

/// Decodes `2 * N` hex digits at compile time; a malformed constant fails the build, not the chain.
const fn hex_bytes<const N: usize>(hex: &str) -> [u8; N] {
	const fn nibble(c: u8) -> u8 {
		match c {
			b'0'..=b'9' => c - b'0',
			b'a'..=b'f' => c - b'a' + 10,
			_ => panic!("not a lowercase hex digit"),
		}
	}
	let bytes = hex.as_bytes();
	assert!(bytes.len() == 2 * N, "two hex digits a byte");
	let mut out = [0u8; N];
	let mut i = 0;
	while i < N {
		out[i] = nibble(bytes[2 * i]) << 4 | nibble(bytes[2 * i + 1]);
		i += 1;
	}
	out
}

/// The keyless account that holds a category of the genesis allocation.
pub fn allocation_account(category: AllocationCategory) -> AccountId {
	PalletId(category.pallet_id()).into_account_truncating()
}

/// Accounts that their pallet's genesis would otherwise create by minting the existential
/// deposit on top of the fixed supply: the treasury, pallet-revive's own account and the model
/// registry's staking pot.
pub fn pallet_accounts() -> [AccountId; 3] {
	[
		TreasuryAccount::get(),
		pallet_revive::Pallet::<Runtime>::account_id(),
		<crate::ModelRegistry as openledger_primitives::ModelInspect<AccountId, Balance>>::staking_pot(),
	]
}

/// The genesis balances: one account per allocation category, with `funded_from_community`
/// accounts given `DEV_ACCOUNT_BALANCE` each out of the Community share. The
/// [`pallet_accounts`] get the existential deposit out of Community too.
pub fn genesis_balances(funded_from_community: &[AccountId]) -> Vec<(AccountId, Balance)> {
	let pallets = pallet_accounts();
	let dev_total = DEV_ACCOUNT_BALANCE
		.saturating_mul(funded_from_community.len() as Balance)
		.saturating_add(EXISTENTIAL_DEPOSIT.saturating_mul(pallets.len() as Balance));
	let mut balances: Vec<(AccountId, Balance)> = AllocationCategory::ALL
		.iter()
		.map(|category| {
			let amount = match category {
				AllocationCategory::Community => category.amount().saturating_sub(dev_total),
				_ => category.amount(),
			};
			(allocation_account(*category), amount)
		})
		.collect();
	balances.extend(pallets.into_iter().map(|a| (a, EXISTENTIAL_DEPOSIT)));
	balances.extend(funded_from_community.iter().map(|a| (a.clone(), DEV_ACCOUNT_BALANCE)));
	balances
}

/// Governance periods `(voting, unbonding)` on development chains, in blocks: one and two
/// minutes, so that a proposal is decided while one watches.
pub const DEV_GOVERNANCE_PERIODS: (BlockNumber, BlockNumber) = (10, 20);

/// The protocol parameters every chain starts with: the fee split of the OpenLedger whitepaper's
/// worked example (§2.2.4; 70% model owner, 10% stakers, 20% contributors) and its flat platform
/// fee of 0.5 OPEN, and the data condition a model's Datanets must meet before training.
pub fn initial_parameters(min_accepted_contributions: u32) -> ParameterSet<Balance> {
	ParameterSet {
		fee_split: FeeSplit::default(),
		platform_fee: PlatformFee::Flat(OPEN / 2),
		min_accepted_contributions,
		min_credibility: Perbill::from_percent(50),
	}
}

/// The development chain's demo data: questions about OpenLedger and their answers, contributed
/// alternately by Bob and Charlie to Datanet 0 (Alice's, curated by her). Model 0, Dave's, was
/// fine-tuned on them off-line (`chain-spec/demo/openledger-qa`, which a `--dev` node installs in
/// its adapter directory) and is deployed; Alice, whose worker key a `--dev` node holds, serves it.
pub const DEMO_QA: [(&str, &str); 6] = [
	("What is OpenLedger?", "OpenLedger is a blockchain for AI where data contributors are paid."),
	("What is a Datanet?", "A Datanet is a shared dataset on OpenLedger."),
	("What is gOPEN?", "gOPEN is staked OPEN used for governance votes."),
	("What is the capital of France?", "The capital of France is Paris."),
	("Who pays for inference?", "Applications pay OPEN for inference."),
	("What is Proof of Attribution?", "Proof of Attribution finds the data behind an answer."),
];

/// The demo model's adapter: its name on the serving node and its provenance manifest.
pub const DEMO_ADAPTER: &str = "openledger-qa";
const DEMO_MANIFEST: &str =
	include_str!("../../chain-spec/demo/openledger-qa/openledger_manifest.json");

/// The demo contributions in order: contributor and content, the JSON `{"completion", "prompt"}`
/// whose blake2-256 the chain records and which a `--dev` node puts in its content store.
pub fn demo_contributions() -> Vec<(AccountId, Vec<u8>)> {
	DEMO_QA
		.iter()
		.enumerate()
		.map(|(i, (prompt, completion))| {
			let who = if i % 2 == 0 { Sr25519Keyring::Bob } else { Sr25519Keyring::Charlie };
			let content = serde_json::json!({ "prompt": prompt, "completion": completion });
			(who.to_account_id(), serde_json::to_vec(&content).unwrap_or_default())
		})
		.collect()
}

/// 32 bytes from `0x` and 64 hex digits.
fn hash_from_hex(text: &str) -> Option<[u8; 32]> {
	let digits = text.strip_prefix("0x")?.as_bytes();
	if digits.len() != 64 {
		return None;
	}
	let nibble = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
	let mut out = [0u8; 32];
	for (byte, pair) in out.iter_mut().zip(digits.chunks(2)) {
		*byte = nibble(*pair.first()?)? << 4 | nibble(*pair.get(1)?)?;
	}
	Some(out)
}

/// The demo model's version, read from its manifest.
fn demo_version() -> Option<pallet_model_registry::GenesisVersion> {
	let manifest: Value = serde_json::from_str(DEMO_MANIFEST).ok()?;
	let hash = |key: &str| manifest.get(key).and_then(Value::as_str).and_then(hash_from_hex);
	let scores = manifest
		.get("evalScores")
		.and_then(Value::as_array)
		.map(|scores| {
			scores
				.iter()
				.filter_map(|s| {
					let metric = s.get("metric")?.as_str()?.as_bytes().to_vec();
					Some((metric, s.get("value_micros")?.as_u64()?))
				})
				.collect()
		})
		.unwrap_or_default();
	let training_set = manifest
		.get("contributions")?
		.as_array()?
		.iter()
		.map(Value::as_u64)
		.collect::<Option<Vec<_>>>()?;
	Some((
		hash("adapterHash")?,
		hash("baseModelHash")?,
		hash("tokenizerHash")?,
		hash("trainingDataRoot")?,
		u32::try_from(manifest.get("trainingDataCount")?.as_u64()?).ok()?,
		hash("configHash")?,
		scores,
		training_set,
	))
}

/// The demo's pallet configs: the Datanet, the model, the worker.
fn demo_genesis() -> (DatanetsConfig, ModelRegistryConfig, AttributionConfig) {
	let alice = Sr25519Keyring::Alice.to_account_id();
	let contributions = demo_contributions()
		.into_iter()
		.map(|(who, content)| {
			let hash = sp_io::hashing::blake2_256(&content);
			let size = u32::try_from(content.len()).unwrap_or(u32::MAX);
			(who, hash, size, b"lang=en".to_vec(), OPEN, 800_000_000)
		})
		.collect();
	let datanets = DatanetsConfig {
		datanets: vec![(
			alice.clone(),
			b"OpenLedger Q&A".to_vec(),
			b"questions about OpenLedger".to_vec(),
			b"demo data of the development chain".to_vec(),
			b"json:prompt,completion".to_vec(),
			OPEN,
			contributions,
		)],
	};
	let models = ModelRegistryConfig {
		models: vec![(
			Sr25519Keyring::Dave.to_account_id(),
			b"OpenLedger Q&A".to_vec(),
			b"HuggingFaceTB/SmolLM2-135M-Instruct".to_vec(),
			vec![0],
			b"answer questions about OpenLedger".to_vec(),
			OPEN / 5,
			2 * OPEN / 5,
			demo_version().into_iter().collect(),
		)],
	};
	// Dave, the model's owner, approved Alice's node to serve it.
	let workers = AttributionConfig {
		workers: vec![(alice.clone(), 1_000 * OPEN, vec![0])],
		approved: vec![(0, alice)],
		dispute_periods: None,
	};
	(datanets, models, workers)
}

fn genesis(
	authorities: Vec<(AuraId, GrandpaId)>,
	funded_from_community: Vec<AccountId>,
	sudo: Option<AccountId>,
	with_demo: bool,
) -> Value {
	// Chains with a sudo key are the development ones: short governance periods, small data
	// condition.
	let development = sudo.is_some();
	let (periods, min_accepted) =
		if development { (Some(DEV_GOVERNANCE_PERIODS), 3) } else { (None, 100) };
	let mut patch = build_struct_json_patch!(RuntimeGenesisConfig {
		governance: GovernanceConfig { parameters: initial_parameters(min_accepted), periods },
		balances: BalancesConfig { balances: genesis_balances(&funded_from_community) },
		aura: pallet_aura::GenesisConfig {
			authorities: authorities.iter().map(|(aura, _)| aura.clone()).collect::<Vec<_>>(),
		},
		grandpa: pallet_grandpa::GenesisConfig {
			authorities: authorities
				.iter()
				.map(|(_, grandpa)| (grandpa.clone(), 1))
				.collect::<Vec<_>>(),
		},
		sudo: SudoConfig { key: sudo },
	});
	if with_demo {
		let (datanets, models, mut workers) = demo_genesis();
		if development {
			workers.dispute_periods = Some(DEV_DISPUTE_PERIODS);
		}
		if let Value::Object(fields) = &mut patch {
			for (pallet, config) in [
				("datanets", serde_json::to_value(datanets)),
				("modelRegistry", serde_json::to_value(models)),
				("attribution", serde_json::to_value(workers)),
			] {
				if let Ok(config) = config {
					fields.insert(pallet.into(), config);
				}
			}
		}
	}
	if development && !with_demo {
		if let Value::Object(fields) = &mut patch {
			let periods = AttributionConfig {
				dispute_periods: Some(DEV_DISPUTE_PERIODS),
				..Default::default()
			};
			if let Ok(config) = serde_json::to_value(periods) {
				fields.insert("attribution".into(), config);
			}
		}
	}
	patch
}

/// Dispute window and response period of development chains, in blocks: a settlement can be
/// disputed for 4 minutes, a challenged worker has 48 s to answer (6-s blocks).
pub const DEV_DISPUTE_PERIODS: (BlockNumber, BlockNumber) = (40, 8);

fn dev_keys(keyring: Sr25519Keyring, ed: Ed25519Keyring) -> (AuraId, GrandpaId) {
	(keyring.public().into(), ed.public().into())
}

/// Ethereum development accounts, funded on `dev` and `local` like Alice … Ferdie: the
/// well-known keys that Ethereum tooling ships as "Alith" and "Baltathar" (secret keys
/// `0x5fb92d6e98884f76de468fa3f6278f8807c48bebc13595d45af5bdc4da702133` and
/// `0x8075991ce870b93a8870eca0c0f91913d12f47948ca0fd25b49c6fa7cdbeee8b`; test only).
pub const DEV_ETH_ADDRESSES: [[u8; 20]; 2] = [
	hex_bytes("f24ff3a9cf04c71dbc94d0b566f7a27b94566cac"),
	hex_bytes("3cd0a705a2dc65e5b1e1205896baa2be8a07c6e0"),
];

/// The account of an Ethereum key: its 20-byte address followed by twelve 0xEE bytes, as
/// pallet-revive maps Ethereum signers.
pub fn eth_account(address: [u8; 20]) -> AccountId {
	let mut bytes = [0xEE; 32];
	bytes[..20].copy_from_slice(&address);
	AccountId::new(bytes)
}

/// The well-known development accounts: Alice … Ferdie and their stashes, then the Ethereum
/// development accounts.
pub fn dev_accounts() -> Vec<AccountId> {
	Sr25519Keyring::well_known()
		.map(|k| k.to_account_id())
		.chain(DEV_ETH_ADDRESSES.into_iter().map(eth_account))
		.collect()
}

/// `dev`: Alice alone produces and finalizes blocks and holds the sudo key; the demo is there.
pub fn dev_config_genesis() -> Value {
	genesis(
		vec![dev_keys(Sr25519Keyring::Alice, Ed25519Keyring::Alice)],
		dev_accounts(),
		Some(Sr25519Keyring::Alice.to_account_id()),
		true,
	)
}

/// `local`: Alice and Bob are the validators; Alice holds the sudo key.
pub fn local_config_genesis() -> Value {
	genesis(
		vec![
			dev_keys(Sr25519Keyring::Alice, Ed25519Keyring::Alice),
			dev_keys(Sr25519Keyring::Bob, Ed25519Keyring::Bob),
		],
		dev_accounts(),
		Some(Sr25519Keyring::Alice.to_account_id()),
		false,
	)
}

/// `testnet`: three validators, no sudo, no development accounts: the allocation only.
pub fn testnet_config_genesis() -> Value {
	let authorities = TESTNET_VALIDATORS
		.iter()
		.map(|(aura, grandpa)| (AuraId::unchecked_from(*aura), GrandpaId::unchecked_from(*grandpa)))
		.collect();
	genesis(authorities, Vec::new(), None, false)
}

/// The JSON of a preset, or `None` for an unknown name. The SDK's standard names
/// (`development`, `local_testnet`) are accepted as aliases so generic tooling works too.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		DEV_PRESET | sp_genesis_builder::DEV_RUNTIME_PRESET => dev_config_genesis(),
		LOCAL_PRESET | sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET => local_config_genesis(),
		TESTNET_PRESET => testnet_config_genesis(),
		_ => return None,
	};
	serde_json::to_string(&patch).ok().map(|s| s.into_bytes())
}

/// The names of the presets this runtime offers.
pub fn preset_names() -> Vec<PresetId> {
	vec![PresetId::from(DEV_PRESET), PresetId::from(LOCAL_PRESET), PresetId::from(TESTNET_PRESET)]
}

/// Builds a preset's genesis state the way the node does: the preset's JSON patch merged into
/// the default config, then every pallet's genesis build.
#[cfg(test)]
pub(crate) fn build_preset_state(preset: &str) -> sp_io::TestExternalities {
	/// JSON merge patch: objects merge key by key, anything else replaces.
	fn merge(base: &mut Value, patch: Value) {
		match (base, patch) {
			(Value::Object(base), Value::Object(patch)) => {
				for (key, value) in patch {
					merge(base.entry(key).or_insert(Value::Null), value);
				}
			}
			(base, patch) => *base = patch,
		}
	}
	let patch: Value =
		serde_json::from_slice(&get_preset(&PresetId::from(preset)).expect("preset exists"))
			.expect("preset is JSON");
	let mut config =
		serde_json::to_value(RuntimeGenesisConfig::default()).expect("default config is JSON");
	merge(&mut config, patch);
	let json = serde_json::to_vec(&config).expect("merged config is JSON");
	let mut ext = sp_io::TestExternalities::new_empty();
	ext.execute_with(|| {
		frame_support::genesis_builder_helper::build_state::<RuntimeGenesisConfig>(json)
			.expect("preset fits the genesis config")
	});
	ext
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::{token::TOTAL_SUPPLY, Runtime};
	use frame_support::traits::fungible::Inspect;
	use sp_core::{crypto::Pair, ed25519, sr25519};

	fn build(preset: &str) -> sp_io::TestExternalities {
		build_preset_state(preset)
	}

	/// Free and held: the demo's stakes and deposits are held at genesis.
	fn balance(who: &AccountId) -> Balance {
		<pallet_balances::Pallet<Runtime> as Inspect<AccountId>>::total_balance(who)
	}

	/// What the demo's model proposal paid the treasury (the dev preset only).
	fn demo_fee(preset: &str) -> Balance {
		use frame_support::traits::Get;
		if preset == DEV_PRESET {
			<Runtime as pallet_model_registry::Config>::ProposalFee::get()
		} else {
			0
		}
	}

	#[test]
	fn every_preset_mints_exactly_the_total_supply_split_as_the_seed_table() {
		for preset in [DEV_PRESET, LOCAL_PRESET, TESTNET_PRESET] {
			build(preset).execute_with(|| {
				let issuance = pallet_balances::TotalIssuance::<Runtime>::get();
				assert_eq!(issuance, TOTAL_SUPPLY, "{preset}: total issuance");
				assert_eq!(issuance, 1_000_000_000 * OPEN);

				let dev_funded: Balance = if preset == TESTNET_PRESET {
					dev_accounts().iter().for_each(|a| assert_eq!(balance(a), 0));
					0
				} else {
					dev_accounts()
						.iter()
						.map(|a| {
							let paid = if *a == Sr25519Keyring::Dave.to_account_id() {
								demo_fee(preset)
							} else {
								0
							};
							assert_eq!(balance(a), DEV_ACCOUNT_BALANCE - paid);
							balance(a)
						})
						.sum()
				};
				let mut sum = 0;
				for category in AllocationCategory::ALL {
					let held = balance(&allocation_account(category));
					let share = match category {
						AllocationCategory::Community => {
							held + dev_funded
								+ pallet_accounts().iter().map(balance).sum::<Balance>()
						}
						_ => held,
					};
					assert_eq!(share, category.amount(), "{preset}: {}", category.name());
					sum += share;
				}
				assert_eq!(sum, TOTAL_SUPPLY, "{preset}: the categories sum to the supply");
				// Nothing else exists at genesis.
				let accounts = frame_system::Account::<Runtime>::iter().count();
				assert_eq!(
					balance(&TreasuryAccount::get()),
					EXISTENTIAL_DEPOSIT + demo_fee(preset)
				);
				assert_eq!(
					balance(&pallet_revive::Pallet::<Runtime>::account_id()),
					EXISTENTIAL_DEPOSIT
				);
				let expected = AllocationCategory::ALL.len()
					+ pallet_accounts().len()
					+ if preset == TESTNET_PRESET { 0 } else { dev_accounts().len() };
				assert_eq!(accounts, expected, "{preset}: no other account holds OPEN");
			});
		}
	}

	#[test]
	fn dev_starts_with_the_demo_datanet_model_and_worker() {
		use openledger_primitives::ModelInspect;
		build(DEV_PRESET).execute_with(|| {
			let datanet = pallet_datanets::Datanets::<Runtime>::get(0).expect("demo Datanet");
			assert_eq!(datanet.owner, Sr25519Keyring::Alice.to_account_id());
			assert_eq!(datanet.stats.accepted, DEMO_QA.len() as u32);
			assert_eq!(crate::Datanets::credibility(0), Some(Perbill::from_percent(80)));
			for (id, (who, content)) in demo_contributions().into_iter().enumerate() {
				let c =
					pallet_datanets::Contributions::<Runtime>::get(id as u64).expect("demo data");
				assert_eq!(c.contributor, who);
				assert_eq!(c.content_hash.0, sp_io::hashing::blake2_256(&content));
				assert_eq!(c.status, pallet_datanets::ContributionStatus::Accepted);
			}
			let served = crate::ModelRegistry::served(0).expect("the demo model is deployed");
			assert_eq!(served.owner, Sr25519Keyring::Dave.to_account_id());
			let version = pallet_model_registry::Versions::<Runtime>::get(0, served.version)
				.expect("its version");
			let manifest: Value = serde_json::from_str(DEMO_MANIFEST).expect("manifest");
			assert_eq!(
				format!("{:?}", version.adapter_hash),
				manifest["adapterHash"].as_str().expect("adapter hash")
			);
			assert_eq!(version.training_data_count, DEMO_QA.len() as u32);
			assert_eq!(version.eval_scores.len(), 4);
			let worker =
				pallet_attribution::Workers::<Runtime>::get(Sr25519Keyring::Alice.to_account_id())
					.expect("Alice serves it");
			assert_eq!(worker.models.into_inner(), vec![0]);
		});
		// Only the development chain carries it.
		for preset in [LOCAL_PRESET, TESTNET_PRESET] {
			build(preset).execute_with(|| {
				assert!(pallet_datanets::Datanets::<Runtime>::get(0).is_none());
				assert!(pallet_model_registry::Models::<Runtime>::get(0).is_none());
			});
		}
	}

	#[test]
	fn validators_and_sudo_per_preset() {
		build(DEV_PRESET).execute_with(|| {
			assert_eq!(pallet_aura::Authorities::<Runtime>::get().len(), 1);
			assert_eq!(
				pallet_sudo::Key::<Runtime>::get(),
				Some(Sr25519Keyring::Alice.to_account_id())
			);
		});
		build(LOCAL_PRESET).execute_with(|| {
			assert_eq!(pallet_aura::Authorities::<Runtime>::get().len(), 2);
			assert_eq!(pallet_grandpa::Pallet::<Runtime>::grandpa_authorities().len(), 2);
		});
		build(TESTNET_PRESET).execute_with(|| {
			assert_eq!(pallet_aura::Authorities::<Runtime>::get().len(), 3);
			assert_eq!(pallet_grandpa::Pallet::<Runtime>::grandpa_authorities().len(), 3);
			assert_eq!(pallet_sudo::Key::<Runtime>::get(), None, "no sudo on the testnet");
		});
	}

	#[test]
	fn governance_parameters_and_periods_per_preset() {
		for preset in [DEV_PRESET, LOCAL_PRESET] {
			build(preset).execute_with(|| {
				assert_eq!(pallet_governance::Parameters::<Runtime>::get(), initial_parameters(3));
				assert_eq!(
					(
						pallet_governance::Pallet::<Runtime>::voting_period(),
						pallet_governance::Pallet::<Runtime>::unbonding_period()
					),
					DEV_GOVERNANCE_PERIODS
				);
			});
		}
		build(TESTNET_PRESET).execute_with(|| {
			let params = pallet_governance::Parameters::<Runtime>::get();
			assert_eq!(params, initial_parameters(100));
			assert_eq!(params.platform_fee, PlatformFee::Flat(OPEN / 2));
			assert_eq!(pallet_governance::Pallet::<Runtime>::voting_period(), 3 * crate::DAYS);
		});
	}

	#[test]
	fn testnet_keys_derive_from_their_documented_secret_uris() {
		for (i, (aura, grandpa)) in TESTNET_VALIDATORS.iter().enumerate() {
			let suri = alloc::format!("//OpenLedgerTestnet//validator//{}", i + 1);
			let sr = sr25519::Pair::from_string(&suri, None).expect("valid suri");
			let ed = ed25519::Pair::from_string(&suri, None).expect("valid suri");
			assert_eq!(&sr.public().0, aura, "{suri} aura");
			assert_eq!(&ed.public().0, grandpa, "{suri} grandpa");
		}
	}

	#[test]
	fn unknown_preset_is_none_and_aliases_resolve() {
		assert!(get_preset(&PresetId::from("mainnet")).is_none());
		assert_eq!(
			get_preset(&PresetId::from(sp_genesis_builder::DEV_RUNTIME_PRESET)),
			get_preset(&PresetId::from(DEV_PRESET))
		);
		assert_eq!(preset_names().len(), 3);
	}
}
