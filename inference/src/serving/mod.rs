//! Serving: continuous heterogeneous batching with admission and preemption, the scheduling rule
//! across engines, sampling, and the engines on their own thread behind an async handle.

pub mod engine;
pub mod router;
pub mod sampling;
pub mod service;
