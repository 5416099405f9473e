/**
 * `schemantic/codegen`: the generator as a library, for build tools and scripts that run it
 * without the command line (the command line is `main`).
 */
export { main } from './cli.js';
export { loadConfig, type Config } from './config.js';
export { createPipelineCache, runPipeline, RUNTIME_RANGE } from './pipeline.js';
export type { PipelineCache, PipelineOptions, PipelineResult } from './pipeline.js';
export { compareProblems, formatProblem, hasErrors } from './problems.js';
export type { Problem, ProblemCode, Severity } from './problems.js';
export { folderReader, memoryReader } from './stages/load.js';
export type { LoadedFile, SourceReader } from './stages/load.js';
export { applyWrite, findConflicts, planWrite, readGenerated, unifiedDiff } from './stages/write.js';
export type { WritePlan } from './stages/write.js';
export type { IR, IRAgent, IROutput, IROutputMember, IRSchema, IRSource, IRTool, IRType, InstructionPart } from './ir/types.js';
