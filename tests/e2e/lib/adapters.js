// PEFT LoRA adapters written from JavaScript, as `save_pretrained` writes them: an
// adapter_config.json and an adapter_model.safetensors (8-byte little-endian header length,
// a JSON header, then raw little-endian f32 data).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** SmolLM2-135M's shapes: what the default base model's adapters must match. */
export const SMOLLM2 = { layers: 30, hidden: 576, kvWidth: 192 };

function safetensors(tensors) {
  const header = {};
  let offset = 0;
  const parts = [];
  for (const [name, { shape, data }] of Object.entries(tensors)) {
    const bytes = Buffer.from(new Float32Array(data).buffer);
    header[name] = { dtype: 'F32', shape, data_offsets: [offset, offset + bytes.length] };
    offset += bytes.length;
    parts.push(bytes);
  }
  const json = Buffer.from(JSON.stringify(header));
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(json.length));
  return Buffer.concat([len, json, ...parts]);
}

/**
 * Writes a rank-`rank` adapter on q_proj and v_proj of every layer under `dir/name`, with small
 * deterministic weights from `seed`.
 */
export function writeAdapter(dir, name, { rank = 4, seed = 1, shape = SMOLLM2 } = {}) {
  let state = seed >>> 0;
  const random = (n, amplitude) =>
    Array.from({ length: n }, () => {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      return (state / 2 ** 32 - 0.5) * 2 * amplitude;
    });
  const tensors = {};
  for (let l = 0; l < shape.layers; l++) {
    for (const [module, out] of [['q_proj', shape.hidden], ['v_proj', shape.kvWidth]]) {
      const stem = `base_model.model.model.layers.${l}.self_attn.${module}`;
      tensors[`${stem}.lora_A.weight`] = { shape: [rank, shape.hidden], data: random(rank * shape.hidden, 1 / Math.sqrt(shape.hidden)) };
      tensors[`${stem}.lora_B.weight`] = { shape: [out, rank], data: random(out * rank, 0.5 / Math.sqrt(rank)) };
    }
  }
  const target = path.join(dir, name);
  mkdirSync(target, { recursive: true });
  writeFileSync(path.join(target, 'adapter_config.json'), JSON.stringify({
    peft_type: 'LORA', r: rank, lora_alpha: 2 * rank, target_modules: ['q_proj', 'v_proj'],
    bias: 'none', base_model_name_or_path: 'HuggingFaceTB/SmolLM2-135M-Instruct',
  }));
  writeFileSync(path.join(target, 'adapter_model.safetensors'), safetensors(tensors));
  return target;
}
