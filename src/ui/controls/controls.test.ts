/** The controls render from the store with every test id and label the report lists (server-rendered, no DOM). */
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { createStore } from 'zustand/vanilla';
import { createFakeApi } from '../../state/fakeApi';
import { createFakePlan } from '../../state/fakePlan';
import { createAppStore, type AppStore } from '../../state/store';
import { App } from '../App';
import { StoreProvider } from '../StoreContext';
import { headChoices } from './ModelControls';

/**
 * Server rendering reads a store's initial state (zustand's server snapshot): render a store whose
 * initial state is `store`'s current one.
 */
const render = (store: AppStore) =>
  renderToString(
    createElement(StoreProvider, {
      store: createStore(() => store.getState()),
      children: createElement(App),
    }),
  );
const newStore = (initialUrl = '') =>
  createAppStore({ measure: createFakeApi(), plan: createFakePlan(), writeUrl: () => {}, initialUrl });

describe('the controls', () => {
  it('render every control with its test id and label', () => {
    const html = render(newStore());
    for (const id of [
      'preset',
      'budget',
      'input-batch',
      'slider-batch',
      'input-seq',
      'slider-seq',
      'input-embd',
      'input-heads',
      'input-layers',
      'input-mlpRatio',
      'input-vocab',
      'activation',
      'kind-gpt',
      'kind-attn',
      'combo-copy-tape',
      'combo-chunked-checkpoint',
      'input-chunk',
      'dtype',
      'allocator',
      'measure-batches',
      'measure-batches-1-2-4',
      'measure',
      'measure-status',
      'step-combo',
      'step-batch',
      'compare-a-combo',
      'compare-b-batch',
      'metric-live',
      'metric-reserved',
      'theme-toggle',
    ]) {
      expect(html, id).toContain(`data-testid="${id}"`);
    }
    for (const label of ['Sequence length', 'Embedding size', 'Heads', 'Layers', 'MLP ratio', 'Vocabulary']) {
      expect(html).toContain(`>${label}</label>`);
    }
    expect(html).toContain('6 GB (5.59 GiB)');
    expect(html).toContain('Attention only (6 layers)');
  });

  it('shows the message beside an invalid control, marks it invalid, and disables Measure with the reason', () => {
    const store = newStore('?H=5&combos=&foo=1');
    const html = render(store);
    expect(html).toMatch(/data-testid="error-embd"[^>]*>Embedding size 384 is not divisible by 5 heads</);
    expect(html).toMatch(/data-testid="input-embd"[^>]*aria-invalid="true"/);
    expect(html).toContain('Pick at least one strategy × retention');
    expect(html).toMatch(/data-testid="measure"[^>]*disabled/);
    expect(html).toContain('Fix the setting marked in red to measure.');
    expect(html).toContain('Ignored unknown parameter &quot;foo&quot;');
  });

  it('disables MLP ratio, vocabulary and activation for an attention-only model', () => {
    const html = render(newStore('?kind=attn'));
    expect(html).toMatch(/data-testid="input-mlpRatio"[^>]*disabled/);
    expect(html).toMatch(/data-testid="input-vocab"[^>]*disabled/);
    expect(html).toMatch(/data-testid="activation"[^>]*disabled/);
    expect(html).not.toMatch(/data-testid="input-seq"[^>]*disabled/);
  });

  it('says how long measuring should take before it starts, and asks to confirm a slow run', async () => {
    const store = createAppStore({
      measure: createFakeApi({ probe: { available: true, adapter: 'Google SwiftShader' } }),
      plan: createFakePlan(),
      writeUrl: () => {},
    });
    await store.getState().probe();
    let html = render(store);
    expect(html).toMatch(
      /Expected to take about \d+ min on SwiftShader \(a CPU adapter\)(<!-- -->)?; pick smaller batches/,
    );
    await store.getState().measure();
    html = render(store);
    expect(html).toContain('data-testid="measure-anyway"');
    expect(html).toContain('Choose smaller batches');
  });

  it('offers on the sliders only models that can be built: heads that divide C, C in steps of H', () => {
    expect(headChoices(384)).toEqual([1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64]);
    expect(headChoices(7)).toEqual([1, 7]);
    expect(headChoices(Number.NaN)).toEqual([]);
    const html = render(newStore()); // seed: C 384, H 6
    const slider = (id: string) =>
      html.match(new RegExp(`<input[^>]*data-testid="slider-${id}"[^>]*>`))?.[0] ?? '';
    // heads: positions over the 12 divisors of 384; 6 is the fifth (index 4).
    expect(slider('heads')).toMatch(/min="0"/);
    expect(slider('heads')).toMatch(/max="11"/);
    expect(slider('heads')).toMatch(/value="4"/);
    expect(slider('heads')).toMatch(/aria-valuetext="6"/);
    // embd: multiples of 6 from 12 (8 rounded up) to 4092.
    expect(slider('embd')).toMatch(/min="12"/);
    expect(slider('embd')).toMatch(/max="4092"/);
    expect(slider('embd')).toMatch(/step="6"/);
  });
});
