//! The Datanets content store: the data behind each contribution, kept by the node and addressed
//! by its blake2-256 hash, which is what the chain records.
//!
//! Contributors hand their data to a node with `datanets_putContent` and submit the returned hash
//! in `datanets.contribute`; training jobs and the off-chain worker read it back by hash
//! (`datanets_content`, or the persistent offchain storage under [`content_key`]). Writing is an
//! unsafe RPC method: a node serving the public (`--rpc-methods safe`) does not take uploads.

use jsonrpsee::{
	core::RpcResult,
	proc_macros::rpc,
	types::{ErrorObject, ErrorObjectOwned},
	Extensions,
};
use sp_core::{offchain::OffchainStorage, Bytes, H256};
use sp_io::hashing::blake2_256;
use std::sync::{Mutex, MutexGuard};

/// Where content lives in the offchain database, under the persistent prefix.
pub fn content_key(hash: &H256) -> Vec<u8> {
	[b"openledger/datanets/content/".as_slice(), hash.as_bytes()].concat()
}

/// Stores `data` under its blake2-256 hash in the offchain database; returns the hash.
pub fn store<S: OffchainStorage>(storage: &mut S, data: &[u8]) -> H256 {
	let hash = H256(blake2_256(data));
	storage.set(sp_offchain::STORAGE_PREFIX, &content_key(&hash), data);
	hash
}

/// The content with this hash, if the offchain database holds it.
pub fn load<S: OffchainStorage>(storage: &S, hash: &H256) -> Option<Vec<u8>> {
	storage.get(sp_offchain::STORAGE_PREFIX, &content_key(hash))
}

/// JSON-RPC error code for content refused by the store.
const CONTENT_REFUSED: i32 = 5001;

#[rpc(server, namespace = "datanets")]
pub trait ContentStoreApi {
	/// Stores `data` and returns its blake2-256 hash: the `content_hash` of a contribution.
	#[method(name = "putContent", with_extensions)]
	fn put_content(&self, data: Bytes) -> RpcResult<H256>;

	/// The content with this hash, if this node holds it.
	#[method(name = "content")]
	fn content(&self, hash: H256) -> RpcResult<Option<Bytes>>;
}

/// The store, over the node's offchain database.
pub struct ContentStore<S> {
	storage: Mutex<S>,
	max_size: u32,
}

impl<S: OffchainStorage> ContentStore<S> {
	/// `max_size`: the largest content the runtime accepts a contribution for.
	pub fn new(storage: S, max_size: u32) -> Self {
		Self { storage: Mutex::new(storage), max_size }
	}

	fn storage(&self) -> MutexGuard<'_, S> {
		// A panic while holding the lock cannot leave the map half-written: recover it.
		self.storage.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
	}
}

impl<S: OffchainStorage + 'static> ContentStoreApiServer for ContentStore<S> {
	fn put_content(&self, ext: &Extensions, data: Bytes) -> RpcResult<H256> {
		sc_rpc_api::check_if_safe(ext)?;
		if data.is_empty() || data.len() > self.max_size as usize {
			return Err(refused(format!(
				"content must be 1 to {} bytes, got {}",
				self.max_size,
				data.len()
			)));
		}
		let hash = store(&mut *self.storage(), &data);
		log::debug!(target: "datanets", "stored {} bytes of content {hash:?}", data.len());
		Ok(hash)
	}

	fn content(&self, hash: H256) -> RpcResult<Option<Bytes>> {
		Ok(load(&*self.storage(), &hash).map(Bytes))
	}
}

fn refused(message: String) -> ErrorObjectOwned {
	ErrorObject::owned(CONTENT_REFUSED, message, None::<()>)
}

#[cfg(test)]
mod tests {
	use super::*;
	use sp_core::offchain::storage::InMemOffchainStorage;

	#[test]
	fn content_round_trips_by_hash_and_bad_sizes_are_refused() {
		let store = ContentStore::new(InMemOffchainStorage::default(), 8);
		let mut ext = Extensions::new();
		ext.insert(sc_rpc_api::DenyUnsafe::No);
		let hash = store.put_content(&ext, Bytes(b"fresh".to_vec())).unwrap();
		assert_eq!(hash, H256(blake2_256(b"fresh")));
		assert_eq!(store.content(hash).unwrap(), Some(Bytes(b"fresh".to_vec())));
		assert_eq!(store.content(H256::zero()).unwrap(), None);
		let too_big = store.put_content(&ext, Bytes(vec![0; 9])).unwrap_err();
		assert_eq!(too_big.code(), CONTENT_REFUSED);
		assert!(too_big.message().contains("1 to 8 bytes"));
		assert!(store.put_content(&ext, Bytes(vec![])).is_err());
	}

	#[test]
	fn public_rpc_cannot_upload() {
		let store = ContentStore::new(InMemOffchainStorage::default(), 8);
		let mut ext = Extensions::new();
		ext.insert(sc_rpc_api::DenyUnsafe::Yes);
		assert!(store.put_content(&ext, Bytes(b"spam".to_vec())).is_err());
		assert_eq!(store.content(H256(blake2_256(b"spam"))).unwrap(), None);
	}
}
