//! PEFT adapters: bad ones are refused with a clear error and harm nothing; the cache keeps hot
//! adapters within its byte budget and never evicts one in use.

mod common;

use candle_core::{Device, Tensor};
use common::*;
use openledger_inference::{
	lora::adapter::{
		save_peft, synthetic_weights, LoraAdapter, PeftConfig, PeftWeights, Projection,
		CONFIG_FILE, WEIGHTS_FILE,
	},
	lora::store::AdapterStore,
	Error,
};

fn adapter_error(dir: &std::path::Path) -> String {
	match LoraAdapter::load("bad", dir, &config()) {
		Err(Error::Adapter(why)) => why,
		Err(other) => panic!("expected an adapter error, got {other}"),
		Ok(_) => panic!("a bad adapter was accepted"),
	}
}

fn write(dir: &std::path::Path, peft: &PeftConfig, weights: &PeftWeights) {
	save_peft(dir, peft, weights).unwrap();
}

#[test]
fn bad_adapters_are_refused_with_what_is_wrong() {
	let root = temp_dir("bad-adapters");
	let c = config();
	let good = synthetic_weights(&c, 4, &[Projection::Q], 1);
	let peft = PeftConfig::lora(4, 8.0, &[Projection::Q]);

	// A truncated weights file.
	let dir = root.join("truncated");
	write(&dir, &peft, &good);
	let bytes = std::fs::read(dir.join(WEIGHTS_FILE)).unwrap();
	std::fs::write(dir.join(WEIGHTS_FILE), &bytes[..bytes.len() / 2]).unwrap();
	assert!(adapter_error(&dir).contains("corrupt"));

	// A config that is not JSON, and a missing config.
	let dir = root.join("garbled-config");
	write(&dir, &peft, &good);
	std::fs::write(dir.join(CONFIG_FILE), "{ not json").unwrap();
	assert!(adapter_error(&dir).contains(CONFIG_FILE));
	let dir = root.join("no-config");
	write(&dir, &peft, &good);
	std::fs::remove_file(dir.join(CONFIG_FILE)).unwrap();
	assert!(adapter_error(&dir).contains("reading"));

	// Trained for another model: lora_A has the wrong input width.
	let dir = root.join("wrong-shape");
	let a = Tensor::zeros((4, 32), candle_core::DType::F32, &Device::Cpu).unwrap();
	let b = Tensor::zeros((64, 4), candle_core::DType::F32, &Device::Cpu).unwrap();
	write(&dir, &peft, &vec![((0, Projection::Q), (a, b))]);
	assert!(adapter_error(&dir).contains("[r, 64]"));

	// A layer the base model does not have.
	let dir = root.join("extra-layer");
	let mut weights = good.clone();
	weights[0].0 .0 = 7;
	write(&dir, &peft, &weights);
	assert!(adapter_error(&dir).contains("layer 7"));

	// NaN weights.
	let dir = root.join("nan");
	let mut weights = good.clone();
	weights[0].1 .1 = (weights[0].1 .1.clone() * f64::NAN).unwrap();
	write(&dir, &peft, &weights);
	assert!(adapter_error(&dir).contains("NaN"));

	// DoRA, bias terms.
	let dir = root.join("dora");
	write(&dir, &PeftConfig { use_dora: true, ..peft.clone() }, &good);
	assert!(adapter_error(&dir).contains("DoRA"));
	let dir = root.join("bias");
	write(&dir, &PeftConfig { bias: "all".into(), ..peft.clone() }, &good);
	assert!(adapter_error(&dir).contains("bias"));

	// A lone lora_A.
	let dir = root.join("lonely");
	write(&dir, &peft, &good);
	let mut tensors = candle_core::safetensors::load(dir.join(WEIGHTS_FILE), &Device::Cpu).unwrap();
	tensors.retain(|k, _| !(k.contains("layers.0.") && k.contains("lora_B")));
	candle_core::safetensors::save(&tensors, dir.join(WEIGHTS_FILE)).unwrap();
	assert!(adapter_error(&dir).contains("only one of"));

	// Through the store, a bad adapter is an error for its request and the good ones still load.
	let mut store = AdapterStore::new(&root, 1 << 20);
	write(&root.join("good"), &peft, &good);
	assert!(matches!(store.get("truncated", &c), Err(Error::Adapter(_))));
	assert!(store.get("good", &c).is_ok());
	assert_eq!(store.stats().load_failures, 1);
}

#[test]
fn rslora_and_alpha_set_the_scale() {
	let root = temp_dir("scales");
	let c = config();
	let weights = synthetic_weights(&c, 16, &[Projection::V], 3);
	let plain = PeftConfig::lora(16, 32.0, &[Projection::V]);
	write(&root.join("plain"), &plain, &weights);
	write(&root.join("rs"), &PeftConfig { use_rslora: true, ..plain }, &weights);
	let plain = LoraAdapter::load("plain", &root.join("plain"), &c).unwrap();
	let rs = LoraAdapter::load("rs", &root.join("rs"), &c).unwrap();
	assert_eq!(plain.weights(0, Projection::V).unwrap().scale, 2.0);
	assert_eq!(rs.weights(0, Projection::V).unwrap().scale, 8.0);
	assert!(plain.weights(0, Projection::Q).is_none());
	assert_eq!(plain.targets(), vec![Projection::V]);
}

#[test]
fn the_cache_evicts_the_coldest_adapter_and_never_one_in_use() {
	let root = temp_dir("lru");
	write_adapters(&root, 6);
	let c = config();
	let small = LoraAdapter::load("a0", &root.join("a0"), &c).unwrap().bytes();
	let large = LoraAdapter::load("a1", &root.join("a1"), &c).unwrap().bytes();
	// a0 and a3 (q, v; rank 4) are small, a1 and a4 (every projection, rank 8) large: the
	// budget holds one of each.
	let budget = small + large;
	let mut store = AdapterStore::new(&root, budget);
	assert_eq!(store.on_disk().len(), 6);
	let a0 = store.get("a0", &c).unwrap();
	drop(a0);
	store.get("a3", &c).unwrap();
	store.get("a0", &c).unwrap(); // a0 is now the most recent
	store.get("a1", &c).unwrap(); // evicts a3, the coldest
	let cached = store.cached();
	assert!(
		cached.contains(&"a1".to_string()) && !cached.contains(&"a3".to_string()),
		"{cached:?}"
	);
	assert!(store.stats().cached_bytes <= budget);

	// Hold every cached adapter: a new one cannot come in, and says so.
	let held: Vec<_> = store.cached().iter().map(|n| store.get(n, &c).unwrap()).collect();
	assert!(matches!(store.get("a4", &c), Err(Error::Busy(_))));
	drop(held);
	assert!(store.get("a4", &c).is_ok());
	assert!(store.stats().evictions >= 2);
	assert!(matches!(store.get("missing", &c), Err(Error::Request(_))));
}
