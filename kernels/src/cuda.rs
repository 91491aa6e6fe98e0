//! SGMV on CUDA: the kernels are CUDA C in this file, compiled at run time by NVRTC and launched
//! through cudarc with the driver library loaded dynamically, so nothing CUDA is needed to build.
//!
//! Adapters are uploaded once ([`Sgmv::upload`]) into two device buffers, `A` as is and `B`
//! transposed to `[rank, d_out]` so that the expand kernel's reads are coalesced; a call then
//! names, per segment, its rows, an uploaded adapter and a scale.
//!
//! - shrink: one block per (row, rank index); the block's threads stride over `d_in` and reduce
//!   with warp shuffles.
//! - expand: one thread per output column of a row; the row's `v` is staged in shared memory.

use crate::{KernelError, Segment, Shape};
use cudarc::{
	driver::{CudaContext, CudaFunction, CudaSlice, CudaStream, LaunchConfig, PushKernelArg},
	nvrtc::compile_ptx,
};
use std::{ops::Range, sync::Arc};

const SOURCE: &str = r#"
extern "C" __global__ void sgmv_shrink(
    const float* __restrict__ x, float* __restrict__ v, const int* __restrict__ row_segment,
    const float* __restrict__ a_all, const long long* __restrict__ a_offset,
    const int* __restrict__ ranks, int rows, int d_in, int stride)
{
    const int row = blockIdx.x;
    const int k = blockIdx.y;
    if (row >= rows || k >= stride) return;
    const int seg = row_segment[row];
    if (seg < 0 || k >= ranks[seg]) {
        if (threadIdx.x == 0) v[(long long)row * stride + k] = 0.0f;
        return;
    }
    const float* a = a_all + a_offset[seg] + (long long)k * d_in;
    const float* xr = x + (long long)row * d_in;
    float acc = 0.0f;
    for (int c = threadIdx.x; c < d_in; c += blockDim.x) acc += xr[c] * a[c];
    for (int off = 16; off > 0; off >>= 1) acc += __shfl_down_sync(0xffffffffu, acc, off);
    __shared__ float partial[32];
    const int lane = threadIdx.x & 31;
    const int warp = threadIdx.x >> 5;
    if (lane == 0) partial[warp] = acc;
    __syncthreads();
    if (warp == 0) {
        const int warps = (blockDim.x + 31) >> 5;
        acc = lane < warps ? partial[lane] : 0.0f;
        for (int off = 16; off > 0; off >>= 1) acc += __shfl_down_sync(0xffffffffu, acc, off);
        if (lane == 0) v[(long long)row * stride + k] = acc;
    }
}

extern "C" __global__ void sgmv_expand(
    const float* __restrict__ v, float* __restrict__ y, const int* __restrict__ row_segment,
    const float* __restrict__ bt_all, const long long* __restrict__ bt_offset,
    const int* __restrict__ ranks, const float* __restrict__ scales,
    int rows, int d_out, int stride)
{
    extern __shared__ float vs[];
    const int row = blockIdx.y;
    if (row >= rows) return;
    const int seg = row_segment[row];
    if (seg < 0) return;
    const int rank = ranks[seg];
    for (int k = threadIdx.x; k < rank; k += blockDim.x) vs[k] = v[(long long)row * stride + k];
    __syncthreads();
    const int j = blockIdx.x * blockDim.x + threadIdx.x;
    if (j >= d_out) return;
    const float* bt = bt_all + bt_offset[seg];
    float acc = 0.0f;
    for (int k = 0; k < rank; ++k) acc += vs[k] * bt[(long long)k * d_out + j];
    y[(long long)row * d_out + j] += scales[seg] * acc;
}
"#;

/// Threads per block of both kernels.
const THREADS: u32 = 128;

/// An adapter uploaded to the device.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DeviceAdapter {
	a_offset: i64,
	bt_offset: i64,
	rank: usize,
}

/// Adapters resident on the device, for one `(d_in, d_out)` projection.
pub struct DeviceAdapters {
	a: CudaSlice<f32>,
	bt: CudaSlice<f32>,
	adapters: Vec<DeviceAdapter>,
	d_in: usize,
	d_out: usize,
}

impl DeviceAdapters {
	pub fn len(&self) -> usize {
		self.adapters.len()
	}

	pub fn is_empty(&self) -> bool {
		self.adapters.is_empty()
	}

	/// Bytes of weights held on the device.
	pub fn bytes(&self) -> usize {
		(self.a.len() + self.bt.len()) * std::mem::size_of::<f32>()
	}
}

/// One segment of a device call: rows, the index of an uploaded adapter, and its scale.
#[derive(Clone, Debug)]
pub struct DeviceSegment {
	pub rows: Range<usize>,
	pub adapter: usize,
	pub scale: f32,
}

/// The compiled kernels on one device.
pub struct Sgmv {
	stream: Arc<CudaStream>,
	shrink: CudaFunction,
	expand: CudaFunction,
}

fn cuda<E: std::fmt::Debug>(what: &str) -> impl FnOnce(E) -> KernelError + '_ {
	move |e| KernelError::Cuda(format!("{what}: {e:?}"))
}

impl Sgmv {
	/// Whether a CUDA driver and NVRTC can be loaded on this machine (no GPU needed to ask).
	pub fn available() -> bool {
		// SAFETY: only tries to open the shared libraries; nothing is called through them.
		unsafe { cudarc::driver::sys::is_culib_present() && cudarc::nvrtc::sys::is_culib_present() }
	}

	/// Compiles the kernels for device `ordinal`. An error, not a panic, when there is no driver,
	/// no device or the compiler fails.
	pub fn new(ordinal: usize) -> Result<Self, KernelError> {
		if !Self::available() {
			return Err(KernelError::Cuda(
				"no CUDA driver or NVRTC library on this machine".into(),
			));
		}
		let ctx = CudaContext::new(ordinal).map_err(cuda("opening the device"))?;
		let ptx = compile_ptx(SOURCE).map_err(cuda("compiling the SGMV kernels"))?;
		let module = ctx.load_module(ptx).map_err(cuda("loading the SGMV kernels"))?;
		let shrink = module.load_function("sgmv_shrink").map_err(cuda("sgmv_shrink"))?;
		let expand = module.load_function("sgmv_expand").map_err(cuda("sgmv_expand"))?;
		Ok(Self { stream: ctx.default_stream(), shrink, expand })
	}

	/// Uploads adapters given as host segments' weights (`a`, `b`, `rank`; rows and scale are
	/// ignored) for a `(d_in, d_out)` projection; `B` is transposed on the way.
	pub fn upload(
		&self,
		d_in: usize,
		d_out: usize,
		adapters: &[Segment<'_>],
	) -> Result<DeviceAdapters, KernelError> {
		let mut a_host = Vec::new();
		let mut bt_host = Vec::new();
		let mut index = Vec::with_capacity(adapters.len());
		for (i, s) in adapters.iter().enumerate() {
			if s.a.len() != s.rank * d_in || s.b.len() != d_out * s.rank {
				return Err(KernelError::Shape(format!(
					"adapter {i}: A {} and B {} values do not fit rank {} for {d_in}→{d_out}",
					s.a.len(),
					s.b.len(),
					s.rank
				)));
			}
			index.push(DeviceAdapter {
				a_offset: a_host.len() as i64,
				bt_offset: bt_host.len() as i64,
				rank: s.rank,
			});
			a_host.extend_from_slice(s.a);
			for k in 0..s.rank {
				bt_host.extend((0..d_out).map(|j| s.b[j * s.rank + k]));
			}
		}
		// Never allocate zero bytes: keep one padding value.
		a_host.push(0.0);
		bt_host.push(0.0);
		let a = self.stream.clone_htod(&a_host).map_err(cuda("uploading A"))?;
		let bt = self.stream.clone_htod(&bt_host).map_err(cuda("uploading B"))?;
		Ok(DeviceAdapters { a, bt, adapters: index, d_in, d_out })
	}

	/// `y += scale_s · (x·A_sᵀ)·B_sᵀ` on device buffers `x` (`[rows, d_in]`) and `y`
	/// (`[rows, d_out]`), rows outside every segment left alone.
	pub fn run(
		&self,
		adapters: &DeviceAdapters,
		rows: usize,
		x: &CudaSlice<f32>,
		segments: &[DeviceSegment],
		y: &mut CudaSlice<f32>,
	) -> Result<(), KernelError> {
		let (d_in, d_out) = (adapters.d_in, adapters.d_out);
		if x.len() != rows * d_in || y.len() != rows * d_out {
			return Err(KernelError::Shape(format!(
				"x has {} and y {} values for {rows} rows of {d_in}→{d_out}",
				x.len(),
				y.len()
			)));
		}
		let mut row_segment = vec![-1i32; rows];
		let mut ranks = Vec::with_capacity(segments.len());
		let mut a_offset = Vec::with_capacity(segments.len());
		let mut bt_offset = Vec::with_capacity(segments.len());
		let mut scales = Vec::with_capacity(segments.len());
		let mut end = 0;
		for (i, s) in segments.iter().enumerate() {
			end = crate::check_segment_rows(i, &s.rows, end, rows)?;
			let adapter = adapters.adapters.get(s.adapter).ok_or_else(|| {
				KernelError::Segments(format!("segment {i}: no uploaded adapter {}", s.adapter))
			})?;
			for r in s.rows.clone() {
				row_segment[r] = i as i32;
			}
			ranks.push(adapter.rank as i32);
			a_offset.push(adapter.a_offset);
			bt_offset.push(adapter.bt_offset);
			scales.push(s.scale);
		}
		let stride = ranks.iter().copied().max().unwrap_or(0).max(1) as usize;
		if rows == 0 || segments.is_empty() {
			return Ok(());
		}
		let st = &self.stream;
		let row_segment = st.clone_htod(&row_segment).map_err(cuda("uploading segments"))?;
		let ranks = st.clone_htod(&ranks).map_err(cuda("uploading ranks"))?;
		let a_offset = st.clone_htod(&a_offset).map_err(cuda("uploading offsets"))?;
		let bt_offset = st.clone_htod(&bt_offset).map_err(cuda("uploading offsets"))?;
		let scales = st.clone_htod(&scales).map_err(cuda("uploading scales"))?;
		let mut v = st.alloc_zeros::<f32>(rows * stride).map_err(cuda("allocating v"))?;
		let (rows_i, d_in_i, d_out_i, stride_i) =
			(rows as i32, d_in as i32, d_out as i32, stride as i32);

		let shrink = LaunchConfig {
			grid_dim: (rows as u32, stride as u32, 1),
			block_dim: (THREADS, 1, 1),
			shared_mem_bytes: 0,
		};
		let mut launch = st.launch_builder(&self.shrink);
		launch
			.arg(x)
			.arg(&mut v)
			.arg(&row_segment)
			.arg(&adapters.a)
			.arg(&a_offset)
			.arg(&ranks)
			.arg(&rows_i)
			.arg(&d_in_i)
			.arg(&stride_i);
		// SAFETY: the arguments match the kernel's signature, and every index the kernel forms is
		// bounded by the shapes checked above.
		unsafe { launch.launch(shrink) }.map_err(cuda("launching sgmv_shrink"))?;

		let expand = LaunchConfig {
			grid_dim: ((d_out as u32).div_ceil(THREADS), rows as u32, 1),
			block_dim: (THREADS, 1, 1),
			shared_mem_bytes: (stride * std::mem::size_of::<f32>()) as u32,
		};
		let mut launch = st.launch_builder(&self.expand);
		launch
			.arg(&v)
			.arg(y)
			.arg(&row_segment)
			.arg(&adapters.bt)
			.arg(&bt_offset)
			.arg(&ranks)
			.arg(&scales)
			.arg(&rows_i)
			.arg(&d_out_i)
			.arg(&stride_i);
		// SAFETY: as above.
		unsafe { launch.launch(expand) }.map_err(cuda("launching sgmv_expand"))?;
		Ok(())
	}

	/// The whole round trip from host buffers, for tests and one-off calls: uploads the
	/// segments' adapters, `x` and `y`, runs, and copies `y` back.
	pub fn sgmv_host(
		&self,
		shape: Shape,
		x: &[f32],
		segments: &[Segment<'_>],
		y: &mut [f32],
	) -> Result<(), KernelError> {
		crate::validate(shape, x.len(), y.len(), segments)?;
		let adapters = self.upload(shape.d_in, shape.d_out, segments)?;
		let device_segments: Vec<DeviceSegment> = segments
			.iter()
			.enumerate()
			.map(|(i, s)| DeviceSegment { rows: s.rows.clone(), adapter: i, scale: s.scale })
			.collect();
		let st = &self.stream;
		let x_dev = st.clone_htod(x).map_err(cuda("uploading x"))?;
		let mut y_dev = st.clone_htod(y).map_err(cuda("uploading y"))?;
		self.run(&adapters, shape.rows, &x_dev, &device_segments, &mut y_dev)?;
		let out = st.clone_dtoh(&y_dev).map_err(cuda("downloading y"))?;
		y.copy_from_slice(&out);
		Ok(())
	}

	/// Waits for the device to finish queued work (for timing).
	pub fn synchronize(&self) -> Result<(), KernelError> {
		self.stream.synchronize().map_err(cuda("synchronizing"))
	}

	pub fn stream(&self) -> &Arc<CudaStream> {
		&self.stream
	}
}
