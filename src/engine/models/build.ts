/**
 * A training step as one graph: forward, loss, backward (outputs `loss`, then `grad/<name>` for
 * every parameter and float input), then the step's end (microStep.ts: gradient accumulation over
 * micro-batches, the optimizer's update), under a strategy and a retention policy:
 * - minimal: the backward pass keeps what each gradient rule declares it reads;
 * - tape: every forward intermediate stays alive until the step ends;
 * - checkpoint: only each block's input is kept; the block's forward is recomputed in backward.
 * Chunked attention's per-chunk scores are recomputed in backward under minimal and checkpoint.
 * dtype `mixed`: parameters are f32 masters, each read through an f16 copy (a Cast where the model
 * asks for it, Graph.paramCopies); everything computed is f16, and the Cast's gradient casts each
 * parameter's gradient back to f32.
 */
import { appendBackward } from '../autodiff/backward';
import { Graph, type ParamCopies } from '../graph/graph';
import { cast } from '../ops/cast';
import { opDef } from '../ops/index';
import { mul } from '../ops/mul';
import { reduceMean } from '../ops/reduceMean';
import { CHUNK_REGION } from '../strategies/chunked';
import { causalSelfAttention } from './attentionLayer';
import { checkBindingLimit } from './bindingLimit';
import { buildGpt } from './gpt';
import { BLOCK_REGION } from './regions';
import { appendStepEnd, microStepsOf, type MicroStep } from './microStep';
import { computeDType, validateSpec, type BuildSpec, type ModelSpec } from './spec';

/** L attention layers on a float input x [B, T, C]; loss = mean(y²). */
function buildAttentionOnly(g: Graph, spec: ModelSpec): { loss: string; blockOutputs: string[] } {
  const { model, strategy, chunk, dtype } = spec;
  let h = g.input('x', ['B', model.seq, model.embd], spec.dtype);
  const blockOutputs: string[] = [];
  for (let i = 0; i < model.layers; i++) {
    h = g.within(`block${i}`, () =>
      g.inRegion(BLOCK_REGION, () =>
        causalSelfAttention(g, h, { ...model, prefix: `transformer.h.${i}.attn`, strategy, chunk, dtype }),
      ),
    );
    blockOutputs.push(h);
  }
  const loss = g.within('loss', () => reduceMean(g, mul(g, h, h, 'square'), null, false, 'mean'));
  return { loss, blockOutputs };
}

/** Forward tensors the retention policy and strategy recompute rather than keep. */
function droppedTensors(g: Graph, spec: ModelSpec, blockOutputs: readonly string[]): Set<string> {
  if (spec.retention === 'tape') return new Set();
  const regions = new Set([CHUNK_REGION, ...(spec.retention === 'checkpoint' ? [BLOCK_REGION] : [])]);
  const kept = new Set(blockOutputs);
  const dropped = new Set<string>();
  for (const n of g.nodes)
    if (n.region !== undefined && regions.has(n.region))
      for (const t of n.outputs) if (!kept.has(t)) dropped.add(t);
  return dropped;
}

/** Every forward tensor a tape keeps: outputs of non-aliasing forward nodes. */
function tapeTensors(g: Graph): string[] {
  const tape: string[] = [];
  for (const n of g.nodes) if (n.phase === 'forward' && !opDef(n.opType).ort?.alias) tape.push(...n.outputs);
  return tape;
}

/**
 * The `tape` graph from the `minimal` graph of the same spec, without building again, where the
 * two differ only in the forward tensors the tape retains: where minimal recomputes nothing (no
 * chunked scores). Null where they differ more. explore/planner.test.ts checks it against a build.
 */
export function tapeFromMinimal(minimal: Graph): Graph | null {
  if (minimal.retained.length > 0) throw new Error('tapeFromMinimal: the graph already retains tensors');
  // Minimal drops (and so recomputes) exactly the outputs of CHUNK_REGION nodes (droppedTensors).
  if (minimal.nodes.some((n) => n.region === CHUNK_REGION)) return null;
  const g = minimal.clone();
  g.retained.push(...tapeTensors(g).filter((t) => t !== 'loss'));
  return g;
}

/** Mixed precision's f16 compute copy of an f32 master parameter. */
const MIXED_COPIES: ParamCopies = {
  master: 'f32',
  copy: (g, param, to) => cast(g, param, to, `${param}.${to}`),
};

/**
 * The graph of one micro-batch of `spec`'s step: `apply` (the default; with one micro-batch, the
 * whole step) or, with more than one, `accumulate` (microStep.ts).
 */
export function buildTrainingGraph(spec: BuildSpec, microStep: MicroStep = 'apply'): Graph {
  const errors = validateSpec(spec);
  if (errors.length) throw new Error(errors.map((e) => e.message).join('; '));
  const g = new Graph();
  if (spec.dtype === 'mixed') g.paramCopies = MIXED_COPIES;
  const model: ModelSpec = { ...spec, dtype: computeDType(spec.dtype) };
  const { loss, blockOutputs } = spec.model.attentionOnly ? buildAttentionOnly(g, model) : buildGpt(g, model);
  g.rename(loss, 'loss');
  const tape = spec.retention === 'tape' ? tapeTensors(g).filter((t) => t !== 'loss') : [];
  const floatInputs = g.inputs.filter((n) => g.info(n).dtype !== 'i64');
  appendBackward(g, 'loss', [...g.params, ...floatInputs], {
    dropped: droppedTensors(
      g,
      model,
      blockOutputs.map((t) => (t === loss ? 'loss' : t)),
    ),
    seed: 1 / spec.microBatches,
  });
  g.retained.push(...tape);
  appendStepEnd(g, spec, microStep);
  // Every node must run on any WebGPU adapter: within the default storage buffers per shader stage.
  checkBindingLimit(g);
  return g;
}

/**
 * Every graph a step of `spec` runs, in order: with k > 1 micro-batches an `accumulate` graph
 * (run k − 1 times) then the `apply` graph; otherwise the one `apply` graph.
 */
export function buildTrainingSteps(spec: BuildSpec): Graph[] {
  return microStepsOf(spec.microBatches).map((m) => buildTrainingGraph(spec, m));
}
