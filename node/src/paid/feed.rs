//! The settlement feed: the prepared settlements, served to this node's off-chain worker on a
//! loopback port whose URL goes into persistent offchain storage at every start.
//!
//! That storage is writable over RPC (`offchain_localStorageSet`), so the URL alone proves
//! nothing: a local caller could point the worker at a feed of their own and have the worker key
//! sign settlements of their choosing. The worker therefore sends a fresh challenge with every
//! request, and this node answers with a [`SettlementFeed`] signed by each worker key in its
//! keystore over [`feed_digest`]`(challenge, settlements)`; the worker submits for a worker only
//! what that worker's key signed. Only a process holding the key can sign, and the key never
//! leaves the keystore.

use crate::{
	paid::{admission::Admission, store::SettlementStore},
	serving::http::{self, Limits},
};
use codec::Encode;
use http_body_util::Full;
use hyper::{Response, StatusCode};
use openledger_primitives::{
	feed_digest, PreparedSettlement, SettlementFeed, REVEAL_PATH, SETTLEMENTS_PATH,
	SETTLEMENT_ENDPOINT_KEY,
};
use openledger_runtime::{opaque::Block, AccountId, Balance, BlockNumber};
use pallet_fee_split::{runtime_api::FeeSplitApi, RequestStatus};
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_core::{offchain::OffchainStorage, H256};
use sp_keystore::KeystorePtr;
use std::{sync::Arc, time::Duration};

/// Most settlements one answer of the feed carries (the worker submits at most 32 a block).
pub const MAX_FEED_SETTLEMENTS: usize = 128;

/// The feed's server: only this node's off-chain worker calls it.
const LIMITS: Limits = Limits {
	max_connections: 8,
	header_timeout: Duration::from_secs(5),
	body_timeout: Duration::from_secs(5),
	max_body_bytes: 0,
};

/// What the feed needs of the node.
pub struct Feed<C> {
	pub client: Arc<C>,
	pub store: Arc<SettlementStore>,
	pub admission: Arc<Admission>,
	pub keystore: KeystorePtr,
}

impl<C> Feed<C>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: FeeSplitApi<Block, AccountId, Balance, BlockNumber>,
{
	/// Serves the feed until the node stops, after writing its URL for the worker (replacing
	/// whatever was there).
	pub async fn serve<S: OffchainStorage + 'static>(self, mut storage: S) {
		let listener = match tokio::net::TcpListener::bind(("127.0.0.1", 0)).await {
			Ok(l) => l,
			Err(e) => {
				log::error!(target: "attribution", "settlement feed: cannot listen: {e}");
				return;
			}
		};
		let Ok(addr) = listener.local_addr() else { return };
		let url = format!("http://{addr}");
		storage.set(sp_offchain::STORAGE_PREFIX, SETTLEMENT_ENDPOINT_KEY, url.as_bytes());
		log::info!(target: "attribution", "settlements for the off-chain worker at {url}{SETTLEMENTS_PATH}");
		let feed = Arc::new(self);
		http::serve(listener, LIMITS, "settlement feed", move |request| {
			let feed = feed.clone();
			async move {
				let (path, query) = (request.uri().path(), request.uri().query());
				if path == REVEAL_PATH {
					return match hex_32(query, "request=") {
						Some(id) => reply(StatusCode::OK, feed.store.reveal(&H256(id)).encode()),
						None => reply(StatusCode::BAD_REQUEST, Vec::new()),
					};
				}
				let challenge = (path == SETTLEMENTS_PATH).then(|| challenge_of(query)).flatten();
				match challenge {
					Some(challenge) => reply(StatusCode::OK, feed.answer(&challenge).encode()),
					None => reply(StatusCode::BAD_REQUEST, Vec::new()),
				}
			}
		})
		.await
	}

	/// The live settlements, signed for `challenge` by every worker key held here.
	pub fn answer(&self, challenge: &[u8; 32]) -> SettlementFeed {
		let mut settlements = self.live_settlements();
		settlements.truncate(MAX_FEED_SETTLEMENTS);
		signed_feed(&self.keystore, challenge, settlements)
	}

	/// The stored settlements still pending on-chain; forgets the others (settled, refunded,
	/// expired), with their reservations.
	fn live_settlements(&self) -> Vec<PreparedSettlement> {
		let info = self.client.info();
		let (at, now) = (info.best_hash, info.best_number);
		let api = self.client.runtime_api();
		// A signed request not yet in escrow is live until it expires: the worker brings it.
		let unopened_and_live = |s: &PreparedSettlement| {
			s.signed_request
				.as_deref()
				.and_then(crate::paid::request::signed_request_expiry)
				.is_some_and(|e| e > now)
		};
		self.store
			.settlements()
			.into_iter()
			.filter(|s| match api.request(at, s.request) {
				Ok(Some(r)) if r.status == RequestStatus::Pending => true,
				Ok(None) if unopened_and_live(s) => true,
				Ok(_) => {
					if let Err(e) = self.store.forget(&s.request) {
						log::warn!(target: "attribution", "forgetting {:?}: {e}", s.request);
					}
					self.admission.forget(&s.request);
					false
				}
				// The chain could not be read: keep it for the next time.
				Err(_) => true,
			})
			.collect()
	}
}

/// `settlements`, signed for `challenge` by every worker key in `keystore`.
pub fn signed_feed(
	keystore: &KeystorePtr,
	challenge: &[u8; 32],
	settlements: Vec<PreparedSettlement>,
) -> SettlementFeed {
	let digest = feed_digest(challenge, &settlements);
	let key_type = pallet_attribution_worker::KEY_TYPE;
	let signatures = keystore
		.sr25519_public_keys(key_type)
		.into_iter()
		.filter_map(|public| {
			let signature = keystore.sr25519_sign(key_type, &public, &digest).ok()??;
			Some((public.0, signature.0))
		})
		.collect();
	SettlementFeed { settlements, signatures }
}

/// The `challenge=<64 hex digits>` of a query string.
fn challenge_of(query: Option<&str>) -> Option<[u8; 32]> {
	hex_32(query, "challenge=")
}

/// The 32 bytes in hex after `key` (e.g. `request=`) in a query string.
fn hex_32(query: Option<&str>, key: &str) -> Option<[u8; 32]> {
	let hex = query?.split('&').find_map(|pair| pair.strip_prefix(key))?;
	let bytes = sp_core::bytes::from_hex(hex).ok()?;
	<[u8; 32]>::try_from(bytes.as_slice()).ok()
}

fn reply(status: StatusCode, body: Vec<u8>) -> Response<Full<bytes::Bytes>> {
	let mut response = Response::new(Full::new(bytes::Bytes::from(body)));
	*response.status_mut() = status;
	response
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn the_feed_is_signed_by_each_worker_key_for_its_challenge_only() {
		use sp_core::{sr25519, Pair};
		let keystore: KeystorePtr = Arc::new(sp_keystore::testing::MemoryKeystore::new());
		let key_type = pallet_attribution_worker::KEY_TYPE;
		let alice = keystore.sr25519_generate_new(key_type, Some("//Alice")).unwrap();
		let bob = keystore.sr25519_generate_new(key_type, Some("//Bob")).unwrap();
		// A key of another type never signs the feed.
		keystore.sr25519_generate_new(sp_core::crypto::KeyTypeId(*b"aura"), Some("//Eve")).unwrap();
		let settlements = vec![crate::paid::store::tests::settlement(1)];
		let feed = signed_feed(&keystore, &[7; 32], settlements.clone());
		assert_eq!(feed.settlements, settlements);
		let mut signers: Vec<_> = feed.signatures.iter().map(|(p, _)| *p).collect();
		signers.sort();
		let mut expected = vec![alice.0, bob.0];
		expected.sort();
		assert_eq!(signers, expected);
		let verifies = |challenge: &[u8; 32], list: &[PreparedSettlement]| {
			feed.signatures.iter().all(|(public, signature)| {
				sr25519::Pair::verify(
					&sr25519::Signature::from_raw(*signature),
					feed_digest(challenge, list),
					&sr25519::Public::from_raw(*public),
				)
			})
		};
		assert!(verifies(&[7; 32], &settlements));
		// Replayed for another challenge, or with other settlements, it proves nothing.
		assert!(!verifies(&[8; 32], &settlements));
		assert!(!verifies(&[7; 32], &[crate::paid::store::tests::settlement(2)]));
	}

	#[test]
	fn the_challenge_is_read_from_the_query_and_nothing_else() {
		let hex = "ab".repeat(32);
		assert_eq!(challenge_of(Some(&format!("challenge={hex}"))), Some([0xab; 32]));
		assert_eq!(challenge_of(Some(&format!("x=1&challenge={hex}"))), Some([0xab; 32]));
		assert_eq!(challenge_of(Some(&format!("challenge=0x{hex}"))), Some([0xab; 32]));
		assert_eq!(challenge_of(Some("challenge=abcd")), None);
		assert_eq!(challenge_of(Some("challenge=zz")), None);
		assert_eq!(challenge_of(None), None);
	}
}
