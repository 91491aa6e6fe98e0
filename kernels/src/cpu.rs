//! SGMV on the CPU: rows in parallel, vectorizable inner loops.
//!
//! The engine calls [`sgmv`] once per LoRA-targeted projection per decoding step, for the whole
//! heterogeneous batch. Each row is independent, so rows are spread over rayon's threads; inside
//! a row every dot product runs over contiguous memory (a row of `x` against a row of `A`, a row
//! of `v` against a row of `B`) in [`LANES`] independent accumulators, which LLVM turns into SIMD.

use crate::{max_rank, validate, KernelError, Segment, Shape};
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

/// Shrink: `v[i, ..r_s] = x[i]·A_sᵀ`, with `v` of row stride `stride` (≥ every rank); the rest of
/// each row of `v`, and rows outside every segment, are zero.
pub fn shrink(
	shape: Shape,
	x: &[f32],
	segments: &[Segment<'_>],
	v: &mut [f32],
	stride: usize,
) -> Result<(), KernelError> {
	let Shape { rows, d_in, .. } = shape;
	if v.len() != rows * stride || stride < max_rank(segments) {
		return Err(KernelError::Shape(format!(
			"v has {} values with stride {stride}; expected {rows} rows of at least rank {}",
			v.len(),
			max_rank(segments)
		)));
	}
	v.fill(0.0);
	for s in segments {
		if s.rows.is_empty() || s.rank == 0 {
			continue;
		}
		let xs = &x[s.rows.start * d_in..s.rows.end * d_in];
		let vs = &mut v[s.rows.start * stride..s.rows.end * stride];
		vs.par_chunks_mut(stride).zip(xs.par_chunks(d_in)).for_each(|(v_row, x_row)| {
			for (k, a_row) in s.a.chunks_exact(d_in).enumerate() {
				v_row[k] = dot(x_row, a_row);
			}
		});
	}
	Ok(())
}

/// Expand: `y[i] += scale_s · v[i, ..r_s]·B_sᵀ`.
pub fn expand(
	shape: Shape,
	v: &[f32],
	stride: usize,
	segments: &[Segment<'_>],
	y: &mut [f32],
) -> Result<(), KernelError> {
	let Shape { rows, d_out, .. } = shape;
	if v.len() != rows * stride || stride < max_rank(segments) {
		return Err(KernelError::Shape(format!(
			"v has {} values with stride {stride}; expected {rows} rows of at least rank {}",
			v.len(),
			max_rank(segments)
		)));
	}
	for s in segments {
		if s.rows.is_empty() || s.rank == 0 {
			continue;
		}
		let vs = &v[s.rows.start * stride..s.rows.end * stride];
		let ys = &mut y[s.rows.start * d_out..s.rows.end * d_out];
		ys.par_chunks_mut(d_out).zip(vs.par_chunks(stride)).for_each(|(y_row, v_row)| {
			let v_row = &v_row[..s.rank];
			for (y_j, b_row) in y_row.iter_mut().zip(s.b.chunks_exact(s.rank)) {
				*y_j += s.scale * dot(v_row, b_row);
			}
		});
	}
	Ok(())
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
