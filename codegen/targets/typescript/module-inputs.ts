/**
 * What the module emitters (emit-modules.ts, agent-module.ts) are given besides the IR.
 */
import type { Code } from '../escape.js';
import type { PlannedType } from './plan.js';

/** Inputs of `emitModules` besides the IR. */
export interface ModuleInputs {
  /** Declarations by plan key. */
  declarations: ReadonlyMap<string, Code>;
  planned: ReadonlyMap<string, PlannedType>;
  /** The runtime range generated code requires (`^0.1.0`). */
  runtimeRange: string;
}
