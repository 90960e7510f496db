/**
 * The training step: the optimizer, how the step holds its floats, k micro-batches with gradients
 * accumulated (the batch slider is then the micro-batch), and how the loss is computed.
 */
import {
  LOSS_STRATEGIES,
  OPTIMIZERS,
  TRAINING_DTYPES,
  type LossStrategy,
  type OptimizerName,
  type TrainingDType,
} from '../../engine/vocabulary';
import { CONTROL_LABELS, FIELD_MAX, SLIDER_RANGES } from '../../state/pageConfig';
import { useAppState } from '../StoreContext';
import { ChoiceField } from './ChoiceField';
import { NumberField } from './NumberField';

const OPTIMIZER_LABELS: Record<OptimizerName, string> = {
  none: 'none: the step ends with the gradients',
  sgd: 'sgd: SGD with momentum (one state per parameter)',
  adamw: 'adamw: AdamW (two moments per parameter)',
};

const DTYPE_LABELS: Record<TrainingDType, string> = {
  f32: 'f32',
  f16: 'f16',
  mixed: 'mixed: f32 master weights and optimizer state, f16 compute',
};

const LOSS_LABELS: Record<LossStrategy, string> = {
  standard: 'standard: the whole B·T·V logits, one cross-entropy',
  chunked: 'chunked: head and cross-entropy over chunks of positions',
};

export function TrainingControls() {
  const optimizer = useAppState((s) => s.config.optimizer);
  const dtype = useAppState((s) => s.config.dtype);
  const microBatches = useAppState((s) => s.config.microBatches);
  const loss = useAppState((s) => s.config.loss);
  const lossChunk = useAppState((s) => s.config.lossChunk);
  const errors = useAppState((s) => s.errors);
  const setOptimizer = useAppState((s) => s.setOptimizer);
  const setDtype = useAppState((s) => s.setDtype);
  const setMicroBatches = useAppState((s) => s.setMicroBatches);
  const setLoss = useAppState((s) => s.setLoss);
  const setLossChunk = useAppState((s) => s.setLossChunk);

  return (
    <fieldset className="hr-group" aria-labelledby="training-title">
      <legend id="training-title">Training step</legend>
      <ChoiceField
        id="optimizer"
        label={CONTROL_LABELS.optimizer}
        value={optimizer}
        choices={OPTIMIZERS}
        labels={OPTIMIZER_LABELS}
        error={errors.optimizer}
        onChange={setOptimizer}
      />
      <ChoiceField
        id="dtype"
        label={CONTROL_LABELS.dtype}
        value={dtype}
        choices={TRAINING_DTYPES}
        labels={DTYPE_LABELS}
        error={errors.dtype}
        onChange={setDtype}
      />
      <NumberField
        id="microBatches"
        label={`${CONTROL_LABELS.microBatches} k`}
        hint="gradients accumulated over k micro-batches of the batch size: effective batch k × B"
        value={microBatches}
        slider={SLIDER_RANGES.microBatches}
        min={1}
        max={FIELD_MAX.microBatches}
        error={errors.microBatches}
        onChange={setMicroBatches}
      />
      <ChoiceField
        id="loss"
        label={CONTROL_LABELS.loss}
        value={loss}
        choices={LOSS_STRATEGIES}
        labels={LOSS_LABELS}
        error={errors.loss}
        onChange={setLoss}
      />
      <NumberField
        id="lossChunk"
        label={CONTROL_LABELS.lossChunk}
        hint="sequence positions per chunk of the chunked loss"
        value={lossChunk}
        slider={SLIDER_RANGES.lossChunk}
        min={1}
        max={FIELD_MAX.lossChunk}
        error={errors.lossChunk}
        disabled={loss !== 'chunked'}
        onChange={setLossChunk}
      />
    </fieldset>
  );
}
