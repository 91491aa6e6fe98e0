//! `cargo run --release -p openledger-kernels --bin sgmv-bench`: SGMV throughput side by side in
//! one run, printed as a table and written to `bench/results/sgmv.json`.
//!
//! For a decoding step (one token per request) of a batch of N requests, one LoRA-targeted
//! projection at SmolLM2-135M's width (576) and at a 1B-class width (2048), rank 16:
//! - `N adapters`: one SGMV call over N segments, each request with its own adapter;
//! - `1 adapter`: the same rows all with one adapter (Punica's bar: N adapters ≥ 0.8× this);
//! - `loop`: one call per adapter, one after the other (what a server without SGMV does);
//! - on a GPU, the same N-adapter call through the CUDA kernels, with its achieved bandwidth.

use openledger_kernels::{cpu, Segment, Shape};
use std::time::Instant;

struct Row {
	width: usize,
	batch: usize,
	variant: &'static str,
	micros: f64,
	gbps: f64,
}

fn values(n: usize, seed: u64) -> Vec<f32> {
	let mut state = seed;
	(0..n)
		.map(|_| {
			state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
			((state >> 40) as f32 / (1u64 << 24) as f32) - 0.5
		})
		.collect()
}

/// Median wall time of `f` in microseconds over enough runs to last ~0.3 s.
fn time(mut f: impl FnMut()) -> f64 {
	f();
	let start = Instant::now();
	f();
	let once = start.elapsed().as_secs_f64().max(1e-7);
	let runs = ((0.3 / once) as usize).clamp(5, 2_000);
	let mut samples: Vec<f64> = (0..runs)
		.map(|_| {
			let t = Instant::now();
			f();
			t.elapsed().as_secs_f64() * 1e6
		})
		.collect();
	samples.sort_by(|a, b| a.total_cmp(b));
	samples[samples.len() / 2]
}

/// Bytes an SGMV call must move at least: x, every distinct adapter's A and B, y read and written.
fn bytes(shape: Shape, rank: usize, adapters: usize) -> f64 {
	let floats = shape.rows * shape.d_in
		+ adapters * rank * (shape.d_in + shape.d_out)
		+ 2 * shape.rows * shape.d_out;
	(floats * 4) as f64
}

fn main() {
	let rank = 16;
	let mut rows = Vec::new();
	#[cfg(feature = "cuda")]
	let gpu = openledger_kernels::cuda::Sgmv::new(0).ok();
	for width in [576, 2048] {
		for batch in [1, 8, 32] {
			let shape = Shape { rows: batch, d_in: width, d_out: width };
			let x = values(batch * width, 1);
			let weights: Vec<(Vec<f32>, Vec<f32>)> = (0..batch as u64)
				.map(|i| (values(rank * width, 10 + i), values(width * rank, 100 + i)))
				.collect();
			let many: Vec<Segment<'_>> = weights
				.iter()
				.enumerate()
				.map(|(i, (a, b))| Segment { rows: i..i + 1, a, b, rank, scale: 2.0 })
				.collect();
			let one =
				[Segment { rows: 0..batch, a: &weights[0].0, b: &weights[0].1, rank, scale: 2.0 }];
			let mut y = vec![0f32; batch * width];

			let t_many = time(|| cpu::sgmv(shape, &x, &many, &mut y).expect("valid shapes"));
			let t_one = time(|| cpu::sgmv(shape, &x, &one, &mut y).expect("valid shapes"));
			// Each adapter's rows on their own, as a server without SGMV runs them.
			let t_loop = time(|| {
				for s in &many {
					let (i, n) = (s.rows.start, s.rows.len());
					let alone = Shape { rows: n, ..shape };
					let own = Segment { rows: 0..n, ..s.clone() };
					let (x_rows, y_rows) =
						(&x[i * width..(i + n) * width], &mut y[i * width..(i + n) * width]);
					cpu::sgmv(alone, x_rows, std::slice::from_ref(&own), y_rows)
						.expect("valid shapes");
				}
			});
			let moved = bytes(shape, rank, batch);
			for (variant, micros, adapters) in [
				("cpu N adapters", t_many, batch),
				("cpu 1 adapter", t_one, 1),
				("cpu loop", t_loop, batch),
			] {
				let gbps = bytes(shape, rank, adapters) / micros / 1e3;
				rows.push(Row { width, batch, variant, micros, gbps });
			}
			#[cfg(feature = "cuda")]
			if let Some(gpu) = &gpu {
				use openledger_kernels::cuda::DeviceSegment;
				let adapters = gpu.upload(width, width, &many).expect("upload");
				let x_dev = gpu.stream().clone_htod(&x).expect("upload x");
				let mut y_dev = gpu.stream().clone_htod(&y).expect("upload y");
				let segments: Vec<DeviceSegment> = (0..batch)
					.map(|i| DeviceSegment { rows: i..i + 1, adapter: i, scale: 2.0 })
					.collect();
				let micros = time(|| {
					gpu.run(&adapters, batch, &x_dev, &segments, &mut y_dev).expect("run");
					gpu.synchronize().expect("sync");
				});
				rows.push(Row {
					width,
					batch,
					variant: "cuda N adapters",
					micros,
					gbps: moved / micros / 1e3,
				});
			}
		}
	}

	println!(
		"SGMV, rank {rank}, one token per request ({} CPU threads)",
		rayon::current_num_threads()
	);
	println!(
		"{:>6} {:>6} {:<16} {:>12} {:>9} {:>14}",
		"width", "batch", "variant", "µs/call", "GB/s", "vs 1 adapter"
	);
	for r in &rows {
		let base = rows
			.iter()
			.find(|o| o.width == r.width && o.batch == r.batch && o.variant == "cpu 1 adapter")
			.map_or(f64::NAN, |o| o.micros);
		println!(
			"{:>6} {:>6} {:<16} {:>12.1} {:>9.2} {:>13.2}×",
			r.width,
			r.batch,
			r.variant,
			r.micros,
			r.gbps,
			base / r.micros
		);
	}

	let dir = std::env::var("BENCH_OUT").unwrap_or_else(|_| "bench/results".into());
	let entries: Vec<String> = rows
		.iter()
		.map(|r| {
			format!(
				"    {{\"width\": {}, \"batch\": {}, \"variant\": \"{}\", \"micros\": {:.3}, \"gbps\": {:.4}}}",
				r.width, r.batch, r.variant, r.micros, r.gbps
			)
		})
		.collect();
	let json = format!(
		"{{\n  \"bench\": \"sgmv\",\n  \"rank\": {rank},\n  \"threads\": {},\n  \"results\": [\n{}\n  ]\n}}\n",
		rayon::current_num_threads(),
		entries.join(",\n")
	);
	let path = std::path::Path::new(&dir).join("sgmv.json");
	match std::fs::create_dir_all(&dir).and_then(|_| std::fs::write(&path, json)) {
		Ok(()) => println!("wrote {}", path.display()),
		Err(e) => eprintln!("could not write {}: {e}", path.display()),
	}
}
