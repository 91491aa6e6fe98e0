//! SGMV: one batch, many LoRA adapters, one pass.
//!
//! A batch of `n` rows (tokens of several requests) is multiplied by the base weights once; each
//! row then gets the low-rank delta of ITS adapter: for the rows of segment `s`,
//! `y += scale_s · (x · A_sᵀ) · B_sᵀ`. Punica (arXiv 2310.18547) calls the two halves SGMV
//! *shrink* (`v = x·A_sᵀ`, width `d_in` → rank `r_s`) and *expand* (`y += scale_s·v·B_sᵀ`, rank →
//! `d_out`). Segments are contiguous row ranges, may be empty, and may use different ranks.
//!
//! Weights are in the PEFT layout, so adapters load unchanged: `A` is `lora_A.weight`,
//! `[r, d_in]` row-major, and `B` is `lora_B.weight`, `[d_out, r]` row-major; `scale = alpha / r`.
//!
//! - [`reference`]: the obvious loops, the ground truth of the tests.
//! - [`cpu`]: what the engine runs without a GPU: rows in parallel (rayon), dot products over
//!   contiguous memory in eight independent lanes so that the compiler vectorizes them.
//! - `cuda` (feature `cuda`, on by default): the same two kernels as CUDA C, compiled at run time by
//!   NVRTC and launched through cudarc with the driver loaded dynamically: the crate builds
//!   without a CUDA toolkit, and [`cuda::Sgmv::new`] reports when no GPU is there.

pub mod cpu;
#[cfg(feature = "cuda")]
pub mod cuda;
pub mod reference;

use std::ops::Range;

/// The adapter applied to one contiguous range of rows.
#[derive(Clone, Debug)]
pub struct Segment<'a> {
	/// The batch rows this adapter applies to.
	pub rows: Range<usize>,
	/// `lora_A.weight`: `[rank, d_in]`, row-major.
	pub a: &'a [f32],
	/// `lora_B.weight`: `[d_out, rank]`, row-major.
	pub b: &'a [f32],
	pub rank: usize,
	/// `alpha / rank` (or any per-request weight, for adapter ensembles).
	pub scale: f32,
}

/// Shapes of one SGMV call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shape {
	/// Rows in the batch.
	pub rows: usize,
	pub d_in: usize,
	pub d_out: usize,
}

/// Why a call was refused. Nothing is written when it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KernelError {
	/// A buffer's length does not match the shapes.
	Shape(String),
	/// Segments overlap, are out of order or run past the batch.
	Segments(String),
	/// The GPU path failed (no device, compilation, launch, copy).
	Cuda(String),
}

impl std::fmt::Display for KernelError {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		match self {
			Self::Shape(why) => write!(f, "shape mismatch: {why}"),
			Self::Segments(why) => write!(f, "bad segments: {why}"),
			Self::Cuda(why) => write!(f, "CUDA: {why}"),
		}
	}
}

impl std::error::Error for KernelError {}

/// Checks that segment `index`, covering `rows`, starts at or after `end` (where the previous
/// one ended) and stays within a batch of `total` rows; returns where it ends. Shared by the host
/// and device entry points.
pub fn check_segment_rows(
	index: usize,
	rows: &Range<usize>,
	end: usize,
	total: usize,
) -> Result<usize, KernelError> {
	if rows.start < end || rows.end < rows.start || rows.end > total {
		return Err(KernelError::Segments(format!(
			"segment {index} covers rows {rows:?}; segments must be ordered, disjoint and within {total} rows"
		)));
	}
	Ok(rows.end)
}

/// Checks buffers and segments against the shapes: `x` is `[rows, d_in]`, `y` is
/// `[rows, d_out]`, segments are in order, disjoint and inside the batch, and each adapter's
/// matrices have the sizes its rank implies.
pub fn validate(
	shape: Shape,
	x_len: usize,
	y_len: usize,
	segments: &[Segment<'_>],
) -> Result<(), KernelError> {
	let Shape { rows, d_in, d_out } = shape;
	if x_len != rows * d_in {
		return Err(KernelError::Shape(format!("x has {x_len} values, expected {rows}×{d_in}")));
	}
	if y_len != rows * d_out {
		return Err(KernelError::Shape(format!("y has {y_len} values, expected {rows}×{d_out}")));
	}
	let mut end = 0;
	for (i, s) in segments.iter().enumerate() {
		end = check_segment_rows(i, &s.rows, end, rows)?;
		if s.a.len() != s.rank * d_in {
			return Err(KernelError::Shape(format!(
				"segment {i}: A has {} values, expected rank {} × d_in {d_in}",
				s.a.len(),
				s.rank
			)));
		}
		if s.b.len() != d_out * s.rank {
			return Err(KernelError::Shape(format!(
				"segment {i}: B has {} values, expected d_out {d_out} × rank {}",
				s.b.len(),
				s.rank
			)));
		}
	}
	Ok(())
}
