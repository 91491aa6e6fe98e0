//! Evaluation of a fine-tuned adapter on a held-out split (OpenLedger whitepaper §3.1.3): loss and perplexity of
//! the completions before and after training, ROUGE-L and BLEU of greedy generations against the
//! reference completions, and the peak memory of the process.

use crate::{
	error::{Error, Result},
	lora::params::LoraParams,
	lora::store::AdapterStore,
	model::llama::Llama,
	model::trainable::Example,
	model::trainable::Trainable,
	serving::engine::{Engine, EngineConfig, Event, Request},
	serving::sampling::SamplingParams,
};
use serde::{Deserialize, Serialize};
use std::{
	collections::HashMap,
	path::Path,
	sync::{mpsc, Arc},
};
use tokenizers::Tokenizer;

/// Scores of one model (base, or base + adapter) on a split.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Scores {
	/// Mean negative log-likelihood per completion token (nats).
	pub loss: f64,
	pub perplexity: f64,
	/// ROUGE-L F1 of greedy generations against the references, 0–1.
	pub rouge_l: f64,
	/// Corpus BLEU-4 of greedy generations against the references, 0–1.
	pub bleu: f64,
}

/// Before and after, on the same split.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Evaluation {
	pub examples: usize,
	pub base: Scores,
	pub tuned: Scores,
	/// Peak resident memory of the process so far (Linux `VmHWM`), if known.
	pub peak_memory_bytes: Option<u64>,
}

/// Words for the text metrics: lower-cased, punctuation split off.
pub fn words(text: &str) -> Vec<String> {
	let mut out = Vec::new();
	let mut word = String::new();
	for c in text.chars().flat_map(char::to_lowercase) {
		if c.is_alphanumeric() {
			word.push(c);
			continue;
		}
		if !word.is_empty() {
			out.push(std::mem::take(&mut word));
		}
		if !c.is_whitespace() {
			out.push(c.to_string());
		}
	}
	if !word.is_empty() {
		out.push(word);
	}
	out
}

fn lcs(a: &[String], b: &[String]) -> usize {
	let mut row = vec![0usize; b.len() + 1];
	for x in a {
		let mut diagonal = 0;
		for (j, y) in b.iter().enumerate() {
			let above = row[j + 1];
			row[j + 1] = if x == y { diagonal + 1 } else { above.max(row[j]) };
			diagonal = above;
		}
	}
	row[b.len()]
}

/// ROUGE-L F1 (longest common subsequence) of a candidate against a reference.
pub fn rouge_l(candidate: &[String], reference: &[String]) -> f64 {
	let l = lcs(candidate, reference) as f64;
	if l == 0.0 {
		return 0.0;
	}
	let (p, r) = (l / candidate.len() as f64, l / reference.len() as f64);
	2.0 * p * r / (p + r)
}

fn ngrams(words: &[String], n: usize) -> HashMap<&[String], usize> {
	let mut counts = HashMap::new();
	for g in words.windows(n) {
		*counts.entry(g).or_default() += 1;
	}
	counts
}

/// Corpus BLEU-4 (Papineni et al.): clipped n-gram precisions summed over the corpus, their
/// geometric mean, times the brevity penalty. 0 when some order has no match at all.
pub fn corpus_bleu(pairs: &[(Vec<String>, Vec<String>)]) -> f64 {
	let (mut cand_len, mut ref_len) = (0usize, 0usize);
	let mut log_precision = 0.0;
	for n in 1..=4 {
		let (mut matched, mut total) = (0usize, 0usize);
		for (candidate, reference) in pairs {
			if n == 1 {
				cand_len += candidate.len();
				ref_len += reference.len();
			}
			let reference = ngrams(reference, n);
			for (g, count) in ngrams(candidate, n) {
				matched += count.min(reference.get(g).copied().unwrap_or(0));
				total += count;
			}
		}
		if matched == 0 || total == 0 {
			return 0.0;
		}
		log_precision += (matched as f64 / total as f64).ln() / 4.0;
	}
	let brevity = if cand_len >= ref_len || cand_len == 0 {
		1.0
	} else {
		(1.0 - ref_len as f64 / cand_len as f64).exp()
	};
	brevity * log_precision.exp()
}

/// Peak resident memory of this process (Linux), in bytes.
pub fn peak_memory_bytes() -> Option<u64> {
	let status = std::fs::read_to_string("/proc/self/status").ok()?;
	let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
	let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
	Some(kib * 1024)
}

/// Greedy generations of `examples`' prompts through the serving engine, with the adapter named
/// `adapter` under `root`, or the base alone.
fn generate(
	model: &Arc<Llama>,
	tokenizer: &Arc<Tokenizer>,
	eos: &[u32],
	root: &Path,
	adapter: Option<&str>,
	examples: &[Example],
) -> Result<Vec<String>> {
	let mut engine = Engine::new(
		model.clone(),
		tokenizer.clone(),
		eos.to_vec(),
		AdapterStore::new(root, 1 << 30),
		EngineConfig::default(),
	)?;
	let mut pending = Vec::with_capacity(examples.len());
	for e in examples {
		let (tx, rx) = mpsc::channel();
		let request = Request {
			prompt: e.prompt.clone(),
			adapters: adapter.map(|a| vec![(a.to_string(), 1.0)]).unwrap_or_default(),
			sampling: SamplingParams {
				max_tokens: (e.completion.len() * 2).max(8),
				..Default::default()
			},
		};
		engine.submit(request, tx)?;
		pending.push(rx);
	}
	engine.run_until_idle()?;
	let mut texts = Vec::with_capacity(pending.len());
	for rx in pending {
		let text = rx
			.into_iter()
			.find_map(|e| match e {
				Event::Done(f) => Some(Ok(f.text)),
				Event::Failed(e) => Some(Err(e)),
				Event::Token { .. } => None,
			})
			.ok_or(Error::Stopped)??;
		texts.push(text);
	}
	Ok(texts)
}

fn scores(
	trainable: &Trainable,
	lora: &LoraParams,
	generations: &[String],
	tokenizer: &Tokenizer,
	examples: &[Example],
) -> Result<Scores> {
	let (mut nll, mut tokens) = (0.0, 0usize);
	for e in examples {
		let (loss, n) = trainable.completion_nll(e, lora)?;
		nll += loss.to_scalar::<f32>().map_err(|e| Error::Model(e.to_string()))? as f64;
		tokens += n;
	}
	let loss = nll / tokens.max(1) as f64;
	let pairs: Vec<(Vec<String>, Vec<String>)> = generations
		.iter()
		.zip(examples)
		.map(|(g, e)| (words(g), words(&tokenizer.decode(&e.completion, true).unwrap_or_default())))
		.collect();
	let rouge = pairs.iter().map(|(c, r)| rouge_l(c, r)).sum::<f64>() / pairs.len().max(1) as f64;
	Ok(Scores { loss, perplexity: loss.exp(), rouge_l: rouge, bleu: corpus_bleu(&pairs) })
}

/// Evaluates the base, and the base with the trained adapter (written in the PEFT layout under
/// `adapter_dir`, as it will be served), on a held-out split.
pub fn evaluate(
	model: &Arc<Llama>,
	tokenizer: &Arc<Tokenizer>,
	eos: &[u32],
	trained: &LoraParams,
	adapter_dir: &Path,
	held_out: &[Example],
) -> Result<Evaluation> {
	if held_out.is_empty() {
		return Err(Error::Request("the held-out split is empty".into()));
	}
	let (root, name) =
		match (adapter_dir.parent(), adapter_dir.file_name().and_then(|n| n.to_str())) {
			(Some(root), Some(name)) => (root, name),
			_ => {
				return Err(Error::Request(format!(
					"{} is not an adapter directory",
					adapter_dir.display()
				)))
			}
		};
	let trainable = Trainable::new(model)?;
	let base_text = generate(model, tokenizer, eos, root, None, held_out)?;
	let tuned_text = generate(model, tokenizer, eos, root, Some(name), held_out)?;
	Ok(Evaluation {
		examples: held_out.len(),
		base: scores(
			&trainable,
			&LoraParams::none(&model.config),
			&base_text,
			tokenizer,
			held_out,
		)?,
		tuned: scores(&trainable, trained, &tuned_text, tokenizer, held_out)?,
		peak_memory_bytes: peak_memory_bytes(),
	})
}

#[cfg(test)]
mod tests {
	use super::*;

	fn w(s: &str) -> Vec<String> {
		words(s)
	}

	#[test]
	fn words_split_punctuation_and_fold_case() {
		assert_eq!(w("Paris, France."), vec!["paris", ",", "france", "."]);
	}

	#[test]
	fn rouge_l_is_the_lcs_f1() {
		// LCS of "the cat sat on the mat" and "the cat is on the mat" is 5 words.
		let r = rouge_l(&w("the cat sat on the mat"), &w("the cat is on the mat"));
		assert!((r - 5.0 / 6.0).abs() < 1e-12);
		assert_eq!(rouge_l(&w("a b"), &w("c d")), 0.0);
		assert_eq!(rouge_l(&w("same words"), &w("same words")), 1.0);
	}

	#[test]
	fn bleu_is_one_for_identical_text_and_penalizes_brevity() {
		let same = vec![(w("the quick brown fox jumps over"), w("the quick brown fox jumps over"))];
		assert!((corpus_bleu(&same) - 1.0).abs() < 1e-12);
		let short = vec![(w("the quick brown fox"), w("the quick brown fox jumps over"))];
		// All n-gram precisions are 1; the brevity penalty is e^(1 - 6/4).
		assert!((corpus_bleu(&short) - (1.0f64 - 1.5).exp()).abs() < 1e-12);
		assert_eq!(corpus_bleu(&[(w("x y z w"), w("a b c d"))]), 0.0);
	}
}
