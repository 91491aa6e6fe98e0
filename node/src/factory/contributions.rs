//! Contributions to train on, as the CLI's JSON lines, the `modelFactory_train` RPC and the
//! chain-sourced training set give them, turned into tokenized training examples.

use openledger_inference::model::{loader::LoadedModel, trainable::Example};
use serde::Deserialize;

/// One contribution to train on, as the CLI's JSON lines and the `modelFactory_train` RPC take it.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Line {
	pub id: u64,
	pub prompt: String,
	pub completion: String,
	pub contributor: Option<String>,
	pub datanet: Option<u32>,
}

/// The prompt and completion as the model sees them: in the chat template (a contribution's
/// text stays text, whatever markers it holds), with the end-of-turn token after the
/// completion so that the model learns to stop; or `raw`, as given.
pub fn example_tokens(
	model: &LoadedModel,
	prompt: &str,
	completion: &str,
	raw: bool,
) -> Result<(Vec<u32>, Vec<u32>), String> {
	let tokens = if raw {
		model.chat.raw_tokens(prompt).and_then(|p| Ok((p, model.chat.raw_tokens(completion)?)))
	} else {
		model
			.chat
			.conversation(&[("user".into(), prompt.to_string())])
			.and_then(|p| Ok((p, model.chat.completion(completion)?)))
	};
	tokens.map_err(|e| format!("tokenizing: {e}"))
}

/// (contribution, contributor) pairs.
pub type Contributors = Vec<(u64, String)>;

/// Training examples from contributions, refusing any from a Datanet not in `approved` (when
/// given); also returns the contributors and the Datanets read.
pub fn examples_from(
	lines: Vec<Line>,
	model: &LoadedModel,
	approved: &[u32],
	raw: bool,
) -> Result<(Vec<Example>, Contributors, Vec<u32>), String> {
	let (mut examples, mut contributors, mut datanets) = (Vec::new(), Vec::new(), Vec::new());
	for l in lines {
		if let Some(d) = l.datanet {
			if !approved.is_empty() && !approved.contains(&d) {
				return Err(format!(
					"contribution {} is from Datanet {d}, which this model is not approved to read ({approved:?})",
					l.id
				));
			}
			if !datanets.contains(&d) {
				datanets.push(d);
			}
		}
		let (prompt, completion) = example_tokens(model, &l.prompt, &l.completion, raw)?;
		examples.push(Example { id: l.id, prompt, completion });
		if let Some(c) = l.contributor {
			contributors.push((l.id, c));
		}
	}
	Ok((examples, contributors, datanets))
}
