/**
 * `@schemantic/cli`: the generator as a library, for build tools and scripts that run it
 * without the command line (the command line is `main`).
 */
export { main } from './cli/main.js';
export { loadConfig, type Config } from './cli/config.js';
export { createPipelineCache, runPipeline, RUNTIME_RANGE } from './targets/typescript/pipeline.js';
export type { PipelineCache, PipelineOptions, PipelineResult } from './targets/typescript/pipeline.js';
export { compareProblems, formatProblem, hasErrors } from './compiler/problems.js';
export type { Problem, ProblemCode, Severity } from './compiler/problems.js';
export { folderReader, memoryReader } from './compiler/load.js';
export type { LoadedFile, SourceReader } from './compiler/load.js';
export { applyWrite, findConflicts, planWrite, readGenerated, unifiedDiff } from './cli/write.js';
export type { WritePlan } from './cli/write.js';
export type {
  IR,
  IRAgent,
  IRGraph,
  IRGraphEdge,
  IRGraphNode,
  IRGraphSchema,
  IRMcpConnection,
  IRMcpServer,
  IRMcpTool,
  IROutput,
  IROutputMember,
  IRSchema,
  IRSource,
  IRTool,
  IRType,
  InstructionPart,
} from './compiler/ir/types.js';
