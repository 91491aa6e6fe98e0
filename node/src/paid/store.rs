//! The settlement store: what this node has promised to answer, what it answered and what it is
//! ready to settle, on disk, one file per request and kind:
//!
//! - `<id>.reserved`: the request was admitted ([`Reservation`]), before any work;
//! - `<id>.answer`: it was answered ([`Answered`]) and awaits its attribution;
//! - `<id>.settlement`: its [`PreparedSettlement`], for the off-chain worker;
//! - `<id>.reveal`: the prompt and the answer as text, kept for [`REVEAL_RETENTION`] after the
//!   answer (past the chain's dispute window) so that the worker can show them if the user
//!   challenges the settlement as unanswered.
//!
//! Crash-safe: each file is written under its own temporary name (`<id>.<kind>.tmp`), flushed to
//! disk, renamed into place, and the directory is flushed, so a file is either absent or whole
//! after a crash at any moment. A file that does not decode is moved to `quarantine/` and
//! counted, never skipped in silence.

use codec::{Decode, Encode};
use openledger_primitives::PreparedSettlement;
use openledger_runtime::{AccountId, Balance, BlockNumber};
use sp_core::H256;
use std::{
	fs::File,
	io::Write,
	path::{Path, PathBuf},
	sync::atomic::{AtomicU64, AtomicUsize, Ordering},
	time::{Duration, SystemTime, UNIX_EPOCH},
};

const RESERVED: &str = "reserved";
const ANSWER: &str = "answer";
const SETTLEMENT: &str = "settlement";
const REVEAL: &str = "reveal";
const QUARANTINE: &str = "quarantine";

/// How long the prompt and the answer of a paid request are kept: the testnet's dispute window
/// (a day) and response period (six hours) after the latest settlement (an hour after the
/// answer), with room to spare.
pub const REVEAL_RETENTION: Duration = Duration::from_secs(3 * 24 * 3600);
/// How often old reveals are pruned.
const PRUNE_EVERY: Duration = Duration::from_secs(3600);

/// A request admitted for answering: enough to count what it holds of the user's balance and to
/// forget it once it can no longer be settled.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct Reservation {
	/// The user, for a request signed off-chain (not yet in escrow): its `max_fee` counts against
	/// the user's balance until the escrow holds it.
	pub signed_by: Option<AccountId>,
	pub max_fee: Balance,
	pub expires_at: BlockNumber,
}

/// An answered request whose attribution is not yet computed.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct Answered {
	pub request: H256,
	/// The model version that answered (the settlement must name it).
	pub version: u32,
	pub adapter: String,
	pub prompt: Vec<u32>,
	pub output: Vec<u32>,
	pub tokens_in: u32,
	pub tokens_out: u32,
	pub output_hash: H256,
	/// The off-chain signed request, for the worker to put in escrow (see [`PreparedSettlement`]).
	pub signed_request: Option<Vec<u8>>,
}

/// The store; see the module's docs.
pub struct SettlementStore {
	dir: PathBuf,
	quarantined: AtomicUsize,
	/// When reveals were last pruned, in seconds since the epoch.
	pruned_at: AtomicU64,
}

fn now_secs() -> u64 {
	SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

impl SettlementStore {
	/// Opens (or creates) the store in `dir`; temporary files a crash left behind are removed.
	pub fn open(dir: PathBuf) -> std::io::Result<Self> {
		std::fs::create_dir_all(dir.join(QUARANTINE))?;
		for entry in std::fs::read_dir(&dir)?.flatten() {
			let path = entry.path();
			if path.extension().and_then(|e| e.to_str()) == Some("tmp") {
				std::fs::remove_file(&path)?;
			}
		}
		let quarantined = std::fs::read_dir(dir.join(QUARANTINE))?.count();
		let store = Self { dir, quarantined: AtomicUsize::new(quarantined), pruned_at: 0.into() };
		store.prune_reveals(REVEAL_RETENTION);
		Ok(store)
	}

	fn path(&self, request: &H256, kind: &str) -> PathBuf {
		self.dir.join(format!("{request:x}.{kind}"))
	}

	/// Writes `bytes` whole at `path`: a temporary file of its own, fsync, rename, directory fsync.
	fn write(&self, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
		let mut tmp = path.as_os_str().to_owned();
		tmp.push(".tmp");
		let tmp = PathBuf::from(tmp);
		let mut file = File::create(&tmp)?;
		file.write_all(bytes)?;
		file.sync_all()?;
		drop(file);
		std::fs::rename(&tmp, path)?;
		self.sync_dir()
	}

	fn sync_dir(&self) -> std::io::Result<()> {
		File::open(&self.dir)?.sync_all()
	}

	fn remove(&self, path: &Path) -> std::io::Result<()> {
		match std::fs::remove_file(path) {
			Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
			_ => Ok(()),
		}
	}

	/// Every decodable item of `kind`; undecodable files go to quarantine.
	fn read_all<T: Decode>(&self, kind: &str) -> Vec<(H256, T)> {
		let Ok(entries) = std::fs::read_dir(&self.dir) else { return Vec::new() };
		let mut items = Vec::new();
		for entry in entries.flatten() {
			let path = entry.path();
			if path.extension().and_then(|e| e.to_str()) != Some(kind) {
				continue;
			}
			let id = path
				.file_stem()
				.and_then(|s| s.to_str())
				.and_then(|s| s.parse::<H256>().ok().or_else(|| format!("0x{s}").parse().ok()));
			let item =
				std::fs::read(&path).ok().and_then(|bytes| T::decode(&mut &bytes[..]).ok()).zip(id);
			match item {
				Some((item, id)) => items.push((id, item)),
				None => self.quarantine(&path),
			}
		}
		items
	}

	fn quarantine(&self, path: &Path) {
		let Some(name) = path.file_name() else { return };
		let to = self.dir.join(QUARANTINE).join(name);
		match std::fs::rename(path, &to) {
			Ok(()) => {
				self.quarantined.fetch_add(1, Ordering::SeqCst);
				log::error!(
					target: "attribution",
					"unreadable settlement file {}: moved to {}",
					path.display(),
					to.display()
				);
			}
			Err(e) => log::error!(
				target: "attribution",
				"unreadable settlement file {}, and it could not be quarantined: {e}",
				path.display()
			),
		}
	}

	/// Files moved to quarantine since the store was created.
	pub fn quarantined(&self) -> usize {
		self.quarantined.load(Ordering::SeqCst)
	}

	pub fn put_reservation(&self, request: &H256, r: &Reservation) -> std::io::Result<()> {
		self.write(&self.path(request, RESERVED), &r.encode())
	}

	pub fn reservations(&self) -> Vec<(H256, Reservation)> {
		self.read_all(RESERVED)
	}

	/// Forgets a reservation that was never answered.
	pub fn remove_reservation(&self, request: &H256) -> std::io::Result<()> {
		self.remove(&self.path(request, RESERVED))
	}

	pub fn put_answer(&self, answer: &Answered) -> std::io::Result<()> {
		self.write(&self.path(&answer.request, ANSWER), &answer.encode())
	}

	pub fn answers(&self) -> Vec<Answered> {
		self.read_all(ANSWER).into_iter().map(|(_, a)| a).collect()
	}

	/// Records a prepared settlement, replacing its answer (the settlement is on disk first).
	pub fn put(&self, settlement: &PreparedSettlement) -> std::io::Result<()> {
		self.write(&self.path(&settlement.request, SETTLEMENT), &settlement.encode())?;
		self.remove(&self.path(&settlement.request, ANSWER))?;
		self.sync_dir()
	}

	/// Whether the request was answered here (attributed or not).
	pub fn answered(&self, request: &H256) -> bool {
		self.path(request, SETTLEMENT).exists() || self.path(request, ANSWER).exists()
	}

	/// The prepared settlements, oldest request id first (a stable order).
	pub fn settlements(&self) -> Vec<PreparedSettlement> {
		let mut list: Vec<PreparedSettlement> =
			self.read_all(SETTLEMENT).into_iter().map(|(_, s)| s).collect();
		list.sort_by_key(|s| s.request);
		list
	}

	/// Keeps the prompt and the answer of a request for the dispute window.
	pub fn put_reveal(&self, request: &H256, prompt: &str, answer: &str) -> std::io::Result<()> {
		let last = self.pruned_at.load(Ordering::SeqCst);
		if now_secs().saturating_sub(last) >= PRUNE_EVERY.as_secs() {
			self.prune_reveals(REVEAL_RETENTION);
		}
		let kept = (prompt.as_bytes().to_vec(), answer.as_bytes().to_vec());
		self.write(&self.path(request, REVEAL), &kept.encode())
	}

	/// The prompt and the answer kept for a request, as bytes.
	pub fn reveal(&self, request: &H256) -> Option<(Vec<u8>, Vec<u8>)> {
		let bytes = std::fs::read(self.path(request, REVEAL)).ok()?;
		<(Vec<u8>, Vec<u8>)>::decode(&mut &bytes[..]).ok()
	}

	/// Removes the reveals written more than `age` ago.
	pub fn prune_reveals(&self, age: Duration) {
		self.pruned_at.store(now_secs(), Ordering::SeqCst);
		let Ok(entries) = std::fs::read_dir(&self.dir) else { return };
		for entry in entries.flatten() {
			let path = entry.path();
			if path.extension().and_then(|e| e.to_str()) != Some(REVEAL) {
				continue;
			}
			let old = entry
				.metadata()
				.and_then(|m| m.modified())
				.ok()
				.and_then(|t| t.elapsed().ok())
				.is_some_and(|elapsed| elapsed >= age);
			if old {
				let _ = self.remove(&path);
			}
		}
	}

	/// Drops everything about a request: settled, refunded or expired (not its reveal, which
	/// outlives the settlement for the dispute window).
	pub fn forget(&self, request: &H256) -> std::io::Result<()> {
		for kind in [SETTLEMENT, ANSWER, RESERVED] {
			self.remove(&self.path(request, kind))?;
		}
		self.sync_dir()
	}
}

#[cfg(test)]
pub(crate) mod tests {
	use super::*;

	pub fn settlement(byte: u8) -> PreparedSettlement {
		PreparedSettlement {
			request: H256::repeat_byte(byte),
			version: 0,
			tokens_out: 20,
			output_hash: H256::repeat_byte(9),
			influences: vec![(3, 700), (1, 300)],
			signed_request: None,
		}
	}

	fn temp(name: &str) -> PathBuf {
		let dir = std::env::temp_dir().join(format!("settlements-{name}-{}", std::process::id()));
		let _ = std::fs::remove_dir_all(&dir);
		dir
	}

	#[test]
	fn reveals_outlive_the_settlement_and_are_pruned_by_age() {
		let dir = temp("reveal");
		let store = SettlementStore::open(dir.clone()).unwrap();
		let id = H256::repeat_byte(5);
		assert_eq!(store.reveal(&id), None);
		store.put_reveal(&id, "What is a Datanet?", "A shared dataset.").unwrap();
		store.put(&settlement(5)).unwrap();
		store.forget(&id).unwrap();
		assert_eq!(
			store.reveal(&id),
			Some((b"What is a Datanet?".to_vec(), b"A shared dataset.".to_vec()))
		);
		store.prune_reveals(REVEAL_RETENTION);
		assert!(store.reveal(&id).is_some(), "a fresh reveal is kept");
		store.prune_reveals(Duration::ZERO);
		assert_eq!(store.reveal(&id), None);
		let _ = std::fs::remove_dir_all(&dir);
	}

	fn answer(byte: u8) -> Answered {
		Answered {
			request: H256::repeat_byte(byte),
			version: 0,
			adapter: "a".into(),
			prompt: vec![1, 2],
			output: vec![3],
			tokens_in: 2,
			tokens_out: 1,
			output_hash: H256::zero(),
			signed_request: Some(vec![7; 3]),
		}
	}

	#[test]
	fn store_keeps_reservations_answers_and_settlements_across_reopening() {
		let dir = temp("reopen");
		let store = SettlementStore::open(dir.clone()).unwrap();
		let held = Reservation { signed_by: None, max_fee: 5, expires_at: 90 };
		store.put_reservation(&H256::repeat_byte(2), &held).unwrap();
		store.put_answer(&answer(2)).unwrap();
		store.put(&settlement(1)).unwrap();
		assert!(store.answered(&H256::repeat_byte(2)));

		let reopened = SettlementStore::open(dir.clone()).unwrap();
		assert_eq!(reopened.reservations(), vec![(H256::repeat_byte(2), held)]);
		assert_eq!(reopened.answers(), vec![answer(2)]);
		assert_eq!(reopened.settlements(), vec![settlement(1)]);
		// Attributing the answer replaces it with its settlement.
		reopened.put(&settlement(2)).unwrap();
		assert!(reopened.answers().is_empty());
		assert_eq!(reopened.settlements().len(), 2);
		reopened.forget(&H256::repeat_byte(2)).unwrap();
		assert_eq!(reopened.settlements(), vec![settlement(1)]);
		assert!(reopened.reservations().is_empty());
		let _ = std::fs::remove_dir_all(&dir);
	}

	#[test]
	fn an_answer_and_its_settlement_never_share_a_temporary_file() {
		// Before: both were written through `<id>.tmp`, so an answer and a settlement of one
		// request written at once could rename each other's bytes into place.
		let dir = temp("tmp-names");
		let store = SettlementStore::open(dir.clone()).unwrap();
		let id = H256::repeat_byte(4);
		let tmp = |kind: &str| {
			let mut p = store.path(&id, kind).into_os_string();
			p.push(".tmp");
			PathBuf::from(p)
		};
		assert_ne!(tmp(ANSWER), tmp(SETTLEMENT));
		// A crash between writing and renaming leaves a temporary file: reopening removes it and
		// keeps what was whole.
		std::fs::write(tmp(SETTLEMENT), b"half a settlement").unwrap();
		store.put_answer(&answer(4)).unwrap();
		let reopened = SettlementStore::open(dir.clone()).unwrap();
		assert!(!tmp(SETTLEMENT).exists());
		assert_eq!(reopened.answers(), vec![answer(4)]);
		let _ = std::fs::remove_dir_all(&dir);
	}

	#[test]
	fn an_unreadable_file_is_quarantined_and_counted_not_skipped_in_silence() {
		let dir = temp("quarantine");
		let store = SettlementStore::open(dir.clone()).unwrap();
		store.put(&settlement(1)).unwrap();
		let junk = dir.join(format!("{}.settlement", "ff".repeat(32)));
		std::fs::write(&junk, b"junk").unwrap();
		assert_eq!(store.settlements(), vec![settlement(1)]);
		assert_eq!(store.quarantined(), 1);
		assert!(!junk.exists());
		assert!(dir.join(QUARANTINE).join(junk.file_name().unwrap()).exists());
		// The count survives a restart.
		assert_eq!(SettlementStore::open(dir.clone()).unwrap().quarantined(), 1);
		let _ = std::fs::remove_dir_all(&dir);
	}
}
