/// <reference lib="webworker" />
/**
 * A plan worker (module worker): planWorkerApi.ts over comlink; the pool's fit worker answers the
 * fit advisor's questions with it. It plans only (no onnxruntime-web, no GPU): a configuration that
 * can't be built makes the call reject (or its curve carry) the validation message, and the worker
 * goes on.
 */
import { expose } from 'comlink';
import { planWorkerApi } from './planWorkerApi';

expose(planWorkerApi());
