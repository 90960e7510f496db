/**
 * Headroom's layers, enforced (npm run lint): docs/architecture.md explains them.
 *
 *   ui -> state -> worker (browser) | cli (Node) -> engine
 *   engine: vocabulary <- graph <- ops <- autodiff <- strategies <- models,
 *           with ort (onnxruntime-web's buffer manager) and report (the schema) at the bottom,
 *           and onnx, plan, runtime beside the chain; profile orchestrates them all; explore
 *           (the page's planner: curves, steps, comparisons) sits on plan; fit (the fit advisor:
 *           setups ranked by expected step time) sits on explore.
 *
 * A module may import its own layer and the layers listed as below it; tests may import anything
 * in the engine, but the engine (tests included) never imports the page, the worker or the CLI.
 */
const TEST = '\\.test\\.tsx?$';

/** Engine layer -> the engine layers it may import (besides itself). */
const ENGINE = {
  vocabulary: [],
  ort: ['vocabulary'],
  report: ['vocabulary'],
  graph: ['vocabulary'],
  ops: ['graph', 'vocabulary'],
  autodiff: ['ops', 'graph', 'vocabulary'],
  strategies: ['ops', 'graph', 'vocabulary'],
  models: ['strategies', 'autodiff', 'ops', 'graph', 'vocabulary'],
  onnx: ['ops', 'graph', 'vocabulary'],
  plan: ['models', 'strategies', 'autodiff', 'ops', 'graph', 'ort', 'report', 'vocabulary'],
  runtime: ['onnx', 'ops', 'graph', 'ort', 'report', 'vocabulary'],
  explore: ['plan', 'models', 'strategies', 'autodiff', 'ops', 'graph', 'ort', 'report', 'vocabulary'],
  fit: ['explore', 'plan', 'models', 'strategies', 'autodiff', 'ops', 'graph', 'ort', 'report', 'vocabulary'],
  profile: [
    'plan',
    'runtime',
    'onnx',
    'models',
    'strategies',
    'autodiff',
    'ops',
    'graph',
    'ort',
    'report',
    'vocabulary',
  ],
  testing: [
    'profile',
    'fit',
    'explore',
    'plan',
    'runtime',
    'onnx',
    'models',
    'strategies',
    'autodiff',
    'ops',
    'graph',
    'ort',
    'report',
    'vocabulary',
  ],
};

const layerPath = (layer) => `^src/engine/${layer}(/|\\.ts$)`;
const anyOf = (layers) => `^src/engine/(${layers.join('|')})(/|\\.ts$)`;

const engineRules = Object.entries(ENGINE).map(([layer, below]) => ({
  name: `engine-${layer}`,
  comment: `src/engine/${layer} may import only ${[layer, ...below].join(', ')} (docs/architecture.md)`,
  severity: 'error',
  from: { path: layerPath(layer), pathNot: TEST },
  to: { path: '^src/engine/', pathNot: anyOf([layer, ...below]) },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'Import cycles make layers meaningless and module order fragile',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'engine-is-framework-free',
      comment: 'The engine runs in a Web Worker and in Node: no page, worker, CLI, React or Node modules',
      severity: 'error',
      from: { path: '^src/engine/', pathNot: [TEST, '^src/engine/testing/'] },
      to: {
        path: [
          '^src/(ui|state|worker|cli|harness)/',
          '^src/main\\.tsx$',
          'node_modules/(react|react-dom|zustand|comlink|commander)/',
        ],
      },
    },
    {
      name: 'engine-no-node-builtins',
      comment: 'The engine runs in the browser too: Node built-ins only in tests and engine/testing',
      severity: 'error',
      from: { path: '^src/engine/', pathNot: [TEST, '^src/engine/testing/'] },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'engine-never-imports-app',
      comment: 'Not even engine tests import the page, the worker or the CLI',
      severity: 'error',
      from: { path: '^src/engine/' },
      to: { path: '^src/(ui|state|worker|cli)/' },
    },
    {
      name: 'state-below-ui',
      severity: 'error',
      from: { path: '^src/state/' },
      to: { path: ['^src/ui/', '^src/cli/'] },
    },
    {
      name: 'worker-below-state',
      severity: 'error',
      from: { path: '^src/worker/' },
      to: { path: ['^src/(ui|state|cli)/'] },
    },
    {
      name: 'cli-beside-the-page',
      severity: 'error',
      from: { path: '^src/cli/' },
      to: { path: ['^src/(ui|state|worker|harness)/'] },
    },
    {
      name: 'ui-not-cli',
      severity: 'error',
      from: { path: '^src/ui/' },
      to: { path: ['^src/cli/'] },
    },
    {
      name: 'page-never-loads-onnxruntime',
      comment: 'The UI and the store talk to the worker, never to onnxruntime-web',
      severity: 'error',
      from: { path: '^src/(ui|state)/' },
      to: { path: 'node_modules/onnxruntime-web/' },
    },
    {
      name: 'plan-worker-plans-only',
      comment: 'The plan workers plan: nothing they load may reach onnxruntime-web or the measured runtime',
      severity: 'error',
      from: { path: '^src/worker/plan(\\.worker|Client|Pool|Api)\\.ts$' },
      to: { path: ['node_modules/onnxruntime-web/', '^src/engine/(runtime|profile|onnx)/'], reachable: true },
    },
    ...engineRules,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^src/.*/fixtures/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
