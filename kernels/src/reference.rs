//! SGMV by the definition, one multiply-add at a time, in f64: the tests' ground truth.

use crate::{validate, KernelError, Segment, Shape};

/// `y[i] += scale_s · (x[i]·A_sᵀ)·B_sᵀ` for every row `i` of every segment `s`.
pub fn sgmv(
	shape: Shape,
	x: &[f32],
	segments: &[Segment<'_>],
	y: &mut [f32],
) -> Result<(), KernelError> {
	validate(shape, x.len(), y.len(), segments)?;
	let Shape { d_in, d_out, .. } = shape;
	for s in segments {
		for i in s.rows.clone() {
			let v: Vec<f64> = (0..s.rank)
				.map(|k| {
					(0..d_in)
						.map(|c| f64::from(x[i * d_in + c]) * f64::from(s.a[k * d_in + c]))
						.sum()
				})
				.collect();
			for j in 0..d_out {
				let delta: f64 =
					v.iter().enumerate().map(|(k, vk)| vk * f64::from(s.b[j * s.rank + k])).sum();
				y[i * d_out + j] += (f64::from(s.scale) * delta) as f32;
			}
		}
	}
	Ok(())
}
