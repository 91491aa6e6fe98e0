//! The paged KV cache: keys and values of every running request, in fixed-size blocks from one
//! pool (vLLM's PagedAttention layout), and attention computed directly over those blocks.
//!
//! A request owns a *block table*: the blocks holding its positions `0..len`, in order. Blocks
//! are handed out one at a time as a request grows, so memory is committed for tokens that exist,
//! not for the longest answer a request might give; when the pool runs dry the scheduler preempts
//! a request and its blocks return to the pool.

use crate::config::ModelConfig;
use openledger_kernels::cpu::dot;

/// Index of a block in the pool.
pub type BlockId = u32;

/// Free blocks, handed out and taken back.
#[derive(Debug)]
pub struct BlockAllocator {
	free: Vec<BlockId>,
	total: usize,
}

impl BlockAllocator {
	pub fn new(total: usize) -> Self {
		// Pop from the end: hand out low ids first, which keeps tests readable.
		Self { free: (0..total as BlockId).rev().collect(), total }
	}

	pub fn total(&self) -> usize {
		self.total
	}

	pub fn free(&self) -> usize {
		self.free.len()
	}

	pub fn allocate(&mut self) -> Option<BlockId> {
		self.free.pop()
	}

	pub fn release(&mut self, blocks: impl IntoIterator<Item = BlockId>) {
		self.free.extend(blocks);
	}
}

/// Blocks needed to hold `tokens` positions.
pub fn blocks_for(tokens: usize, block_size: usize) -> usize {
	tokens.div_ceil(block_size.max(1))
}

/// Storage of the pool: per layer, `[block][slot][kv_head][head_dim]` keys and values.
pub struct KvCache {
	block_size: usize,
	kv_heads: usize,
	head_dim: usize,
	keys: Vec<Vec<f32>>,
	values: Vec<Vec<f32>>,
}

impl KvCache {
	/// A pool of `blocks` blocks of `block_size` positions for every layer of `config`.
	pub fn new(config: &ModelConfig, blocks: usize, block_size: usize) -> Self {
		let per_layer = blocks * block_size * config.kv_width();
		Self {
			block_size,
			kv_heads: config.kv_heads,
			head_dim: config.head_dim,
			keys: (0..config.layers).map(|_| vec![0.0; per_layer]).collect(),
			values: (0..config.layers).map(|_| vec![0.0; per_layer]).collect(),
		}
	}

	/// Bytes one position takes over all layers (keys and values, f32).
	pub fn bytes_per_token(config: &ModelConfig) -> usize {
		2 * config.layers * config.kv_width() * std::mem::size_of::<f32>()
	}

	pub fn block_size(&self) -> usize {
		self.block_size
	}

	fn offset(&self, table: &[BlockId], position: usize) -> usize {
		let block = table[position / self.block_size] as usize;
		(block * self.block_size + position % self.block_size) * self.kv_heads * self.head_dim
	}

	/// Stores the key and value rows (`kv_heads × head_dim` each) of `position`. The caller has
	/// allocated the blocks covering it.
	pub fn write(
		&mut self,
		layer: usize,
		table: &[BlockId],
		position: usize,
		k: &[f32],
		v: &[f32],
	) {
		let at = self.offset(table, position);
		let width = self.kv_heads * self.head_dim;
		self.keys[layer][at..at + width].copy_from_slice(k);
		self.values[layer][at..at + width].copy_from_slice(v);
	}

	/// Causal attention of one query row (all heads, `heads × head_dim`, already rotated) at
	/// `position` over positions `0..=position` of a request, written into `out`.
	/// `scores` is scratch space of at least `position + 1` values.
	pub fn attend(
		&self,
		layer: usize,
		table: &[BlockId],
		position: usize,
		query: &[f32],
		out: &mut [f32],
		scores: &mut Vec<f32>,
	) {
		let d = self.head_dim;
		let heads = query.len() / d;
		let group = heads / self.kv_heads;
		let scale = 1.0 / (d as f32).sqrt();
		let keys = &self.keys[layer];
		let values = &self.values[layer];
		let len = position + 1;
		for head in 0..heads {
			let kv_head = head / group;
			let q = &query[head * d..(head + 1) * d];
			scores.clear();
			let mut max = f32::NEG_INFINITY;
			for t in 0..len {
				let at = self.offset(table, t) + kv_head * d;
				let s = dot(q, &keys[at..at + d]) * scale;
				max = max.max(s);
				scores.push(s);
			}
			let mut sum = 0.0;
			for s in scores.iter_mut() {
				*s = (*s - max).exp();
				sum += *s;
			}
			let o = &mut out[head * d..(head + 1) * d];
			o.fill(0.0);
			for (t, s) in scores.iter().enumerate() {
				let w = s / sum;
				let at = self.offset(table, t) + kv_head * d;
				for (o_j, v_j) in o.iter_mut().zip(&values[at..at + d]) {
					*o_j += w * v_j;
				}
			}
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn allocator_hands_out_each_block_once() {
		let mut a = BlockAllocator::new(3);
		let got: Vec<_> = std::iter::from_fn(|| a.allocate()).collect();
		assert_eq!(got, vec![0, 1, 2]);
		assert_eq!(a.free(), 0);
		a.release([1]);
		assert_eq!(a.allocate(), Some(1));
		assert_eq!(a.allocate(), None);
	}

	#[test]
	fn blocks_for_rounds_up() {
		assert_eq!(blocks_for(0, 16), 0);
		assert_eq!(blocks_for(1, 16), 1);
		assert_eq!(blocks_for(16, 16), 1);
		assert_eq!(blocks_for(17, 16), 2);
	}
}
