//! The hash the runtime uses, for what the node and the chain must agree on.

/// blake2-256 of `data`, as the runtime computes it.
pub fn blake2_256(data: &[u8]) -> [u8; 32] {
	let hash = blake2b_simd::Params::new().hash_length(32).hash(data);
	let mut out = [0u8; 32];
	out.copy_from_slice(hash.as_bytes());
	out
}
