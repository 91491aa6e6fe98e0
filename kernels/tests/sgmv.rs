//! SGMV against the reference on random shapes: ranks 4–64, many segments, empty segments, rows
//! that no adapter covers. The CUDA cases run when a GPU is there and say so when it is not.

use openledger_kernels::{cpu, reference, KernelError, Segment, Shape};

/// SplitMix64: deterministic test data without a dependency.
struct Rng(u64);

impl Rng {
	fn next(&mut self) -> u64 {
		self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
		let mut z = self.0;
		z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
		z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
		z ^ (z >> 31)
	}
	fn below(&mut self, n: usize) -> usize {
		(self.next() % n as u64) as usize
	}
	fn value(&mut self) -> f32 {
		(self.next() >> 40) as f32 / (1u64 << 24) as f32 * 2.0 - 1.0
	}
	fn values(&mut self, n: usize) -> Vec<f32> {
		(0..n).map(|_| self.value()).collect()
	}
}

/// One segment's adapter, owned.
struct Adapter {
	rows: std::ops::Range<usize>,
	a: Vec<f32>,
	b: Vec<f32>,
	rank: usize,
	scale: f32,
}

/// A random problem: shape, inputs and segments.
struct Case {
	shape: Shape,
	x: Vec<f32>,
	y: Vec<f32>,
	adapters: Vec<Adapter>,
}

impl Case {
	fn random(rng: &mut Rng) -> Self {
		let d_in = 1 + rng.below(300);
		let d_out = 1 + rng.below(300);
		let segments = 1 + rng.below(12);
		let mut adapters = Vec::new();
		let mut row = 0;
		for _ in 0..segments {
			// Gaps between segments: rows no adapter touches.
			row += rng.below(3);
			// Some segments are empty.
			let len = if rng.below(4) == 0 { 0 } else { 1 + rng.below(6) };
			let rank = [4, 8, 16, 32, 64][rng.below(5)];
			let a = rng.values(rank * d_in);
			let b = rng.values(d_out * rank);
			let scale = 2.0 / rank as f32;
			adapters.push(Adapter { rows: row..row + len, a, b, rank, scale });
			row += len;
		}
		let rows = row + rng.below(3);
		let shape = Shape { rows, d_in, d_out };
		Self { x: rng.values(rows * d_in), y: rng.values(rows * d_out), shape, adapters }
	}

	fn segments(&self) -> Vec<Segment<'_>> {
		self.adapters
			.iter()
			.map(|t| Segment {
				rows: t.rows.clone(),
				a: &t.a,
				b: &t.b,
				rank: t.rank,
				scale: t.scale,
			})
			.collect()
	}
}

fn assert_close(expected: &[f32], got: &[f32], what: &str) {
	assert_eq!(expected.len(), got.len());
	for (i, (e, g)) in expected.iter().zip(got).enumerate() {
		let tolerance = 1e-4 * (1.0 + e.abs()) * 50.0;
		assert!((e - g).abs() <= tolerance, "{what}: y[{i}] = {g}, reference {e}");
	}
}

#[test]
fn cpu_matches_the_reference_on_random_shapes() {
	let mut rng = Rng(7);
	for _ in 0..60 {
		let case = Case::random(&mut rng);
		let segments = case.segments();
		let mut expected = case.y.clone();
		reference::sgmv(case.shape, &case.x, &segments, &mut expected).unwrap();
		let mut got = case.y.clone();
		cpu::sgmv(case.shape, &case.x, &segments, &mut got).unwrap();
		assert_close(&expected, &got, "cpu");
	}
}

#[test]
fn rows_outside_every_segment_are_untouched() {
	let a = vec![1.0; 4 * 3];
	let b = vec![1.0; 2 * 4];
	let shape = Shape { rows: 3, d_in: 3, d_out: 2 };
	let x = vec![1.0; 9];
	let mut y = vec![5.0; 6];
	let segments = [Segment { rows: 1..2, a: &a, b: &b, rank: 4, scale: 0.5 }];
	cpu::sgmv(shape, &x, &segments, &mut y).unwrap();
	// Row 1: each of 4 ranks is 3, each output 4·3 = 12, times 0.5 = 6, plus 5.
	assert_eq!(y, vec![5.0, 5.0, 11.0, 11.0, 5.0, 5.0]);
}

#[test]
fn bad_shapes_and_segments_are_refused_and_nothing_is_written() {
	let a = vec![0.5; 4 * 3];
	let b = vec![0.5; 2 * 4];
	let shape = Shape { rows: 3, d_in: 3, d_out: 2 };
	let x = vec![1.0; 9];
	let mut y = vec![1.0; 6];
	let ok = |rows| Segment { rows, a: &a, b: &b, rank: 4, scale: 1.0 };

	let overlapping = [ok(0..2), ok(1..3)];
	assert!(matches!(cpu::sgmv(shape, &x, &overlapping, &mut y), Err(KernelError::Segments(_))));
	let past_the_end = [ok(2..4)];
	assert!(matches!(cpu::sgmv(shape, &x, &past_the_end, &mut y), Err(KernelError::Segments(_))));
	let wrong_rank = [Segment { rank: 8, ..ok(0..1) }];
	assert!(matches!(cpu::sgmv(shape, &x, &wrong_rank, &mut y), Err(KernelError::Shape(_))));
	assert!(matches!(cpu::sgmv(shape, &x[..8], &[ok(0..1)], &mut y), Err(KernelError::Shape(_))));
	assert_eq!(y, vec![1.0; 6]);
}

#[cfg(feature = "cuda")]
#[test]
fn cuda_matches_the_reference_on_random_shapes() {
	use openledger_kernels::cuda::Sgmv;
	let sgmv = match Sgmv::new(0) {
		Ok(sgmv) => sgmv,
		Err(why) => {
			eprintln!("skipped: no GPU here ({why})");
			return;
		}
	};
	let mut rng = Rng(11);
	for _ in 0..60 {
		let case = Case::random(&mut rng);
		let segments = case.segments();
		let mut expected = case.y.clone();
		reference::sgmv(case.shape, &case.x, &segments, &mut expected).unwrap();
		let mut got = case.y.clone();
		sgmv.sgmv_host(case.shape, &case.x, &segments, &mut got).unwrap();
		assert_close(&expected, &got, "cuda");
	}
}

#[cfg(feature = "cuda")]
#[test]
fn without_a_driver_cuda_is_an_error_not_a_panic() {
	use openledger_kernels::cuda::Sgmv;
	if !Sgmv::available() {
		assert!(matches!(Sgmv::new(0), Err(KernelError::Cuda(_))));
	}
}
