/**
 * `schemantic/dbos`: durable agent runs on DBOS Transact and PostgreSQL. Each model request and
 * each tool call of a run is a checkpointed step, so a run interrupted by a crash or a deploy
 * resumes where it was, in any worker sharing the database; a run that stops for approval waits
 * durably and resumes in the same workflow when the decision arrives; runs can be enqueued and
 * spread over worker processes.
 *
 * ```ts
 * import { DBOS } from '@dbos-inc/dbos-sdk';
 * import { dbosAgent } from 'schemantic/dbos';
 *
 * const support = await dbosAgent(createSupportAgent({ tools }), { deps: { db } }); // before launch
 * DBOS.setConfig({ name: 'support', applicationVersion: '1', systemDatabaseUrl: process.env.DATABASE_URL });
 * await DBOS.launch();
 * const result = await support.run('Refund order 42', { context, workflowId: ticketId });
 * ```
 *
 * Needs `@dbos-inc/dbos-sdk` (an optional peer dependency), imported when a durable agent is made.
 * See docs/durable-runs.md: idempotent tools (`ctx.runId`, `ctx.toolCallId`), crashes, deploys.
 */
export { dbosAgent, DbosAgent } from './dbos-agent.js';
export type { DbosAgentOptions, DbosAgentSettings, DurableRunArgs } from './dbos-agent.js';
export type { AfterStep, DbosStepOptions, RecordedStep } from './dbos-steps.js';
export type { DurableRunInput, DurableRunOptions } from './durable-run-input.js';
export { DurableRunResult } from './durable-run-result.js';
export type { DurableRunOutput } from './durable-run-result.js';
export { DurableRunHandle, durableRunHandle } from './durable-run-handle.js';
export type { DbosWorkflowHandle, DbosWorkflows } from './durable-run-handle.js';
export { pendingRequests, sendResults, PENDING_EVENT, RESULTS_TOPIC } from './deferred-channel.js';
export type { DbosMessaging, PendingRequests } from './deferred-channel.js';
export { enqueueRun, workflowNameOf } from './enqueue-run.js';
export type { DbosEnqueuer, EnqueueRunOptions, EnqueueTarget } from './enqueue-run.js';
export { CONTRACT_STEP } from './dbos-steps.js';
