//! SGMV on the CPU: rows in parallel, vectorizable inner loops.
//!
//! The engine calls [`sgmv`] once per LoRA-targeted projection per decoding step, for the whole
//! heterogeneous batch. Each row is independent, so shrink and expand are fused per row and rows
//! are spread over rayon's threads; inside a row every dot product runs over contiguous memory (a
//! row of `x` against a row of `A`, the row's `v` against a row of `B`) in [`LANES`] independent
//! accumulators, which LLVM turns into SIMD.

use crate::{validate, KernelError, Segment, Shape};
use rayon::prelude::*;

/// Independent accumulators per dot product: enough for AVX2/NEON to fill their registers.
pub const LANES: usize = 8;

/// Dot product of two equally long slices, in [`LANES`] lanes.
#[inline]
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
	let mut acc = [0f32; LANES];
	let chunks = a.len() / LANES;
	for (ca, cb) in a.chunks_exact(LANES).zip(b.chunks_exact(LANES)) {
		for lane in 0..LANES {
			acc[lane] += ca[lane] * cb[lane];
		}
	}
	let mut sum: f32 = acc.iter().sum();
	for (x, y) in a[chunks * LANES..].iter().zip(&b[chunks * LANES..]) {
		sum += x * y;
	}
	sum
}

/// Shrink then expand, fused per row: `y[i] += scale_s · (x[i]·A_sᵀ)·B_sᵀ` for every row of
/// every segment. All rows of the batch run in parallel whatever their segment, so a decoding
/// step (one row per request, one adapter per request) uses every thread.
pub fn sgmv(
	shape: Shape,
	x: &[f32],
	segments: &[Segment<'_>],
	y: &mut [f32],
) -> Result<(), KernelError> {
	validate(shape, x.len(), y.len(), segments)?;
	let Shape { rows, d_in, d_out } = shape;
	let mut segment_of = vec![usize::MAX; rows];
	for (i, s) in segments.iter().enumerate() {
		segment_of[s.rows.clone()].fill(i);
	}
	y.par_chunks_mut(d_out.max(1)).zip(x.par_chunks(d_in.max(1))).zip(segment_of).for_each(
		|((y_row, x_row), segment)| {
			let Some(s) = segments.get(segment) else { return };
			let v: Vec<f32> =
				s.a.chunks_exact(d_in.max(1)).map(|a_row| dot(x_row, a_row)).collect();
			if v.is_empty() {
				return;
			}
			for (y_j, b_row) in y_row.iter_mut().zip(s.b.chunks_exact(s.rank)) {
				*y_j += s.scale * dot(&v, b_row);
			}
		},
	);
	Ok(())
}
