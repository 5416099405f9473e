/**
 * What `schemantic init` writes into a new project: the config and a first definitions file (an
 * agent with one tool and a structured output, ready to generate), with `$schema` lines that
 * point into the installed generator.
 */
import path from 'node:path';

/** Where the installed generator keeps its meta-schemas, from the project's root. */
const META = 'node_modules/@schemantic/cli/schemas/meta';

/** The name of the first definitions file, in the definitions folder. */
export const DEFINITIONS_FILE = 'agents.yaml';

/** The agent of the first definitions file, and what its generated module is called. */
export const AGENT = { name: 'order_support', module: 'order-support', factory: 'createOrderSupportAgent', handler: 'getOrderStatus' };

/** The first definitions file, after its `# yaml-language-server` line. */
const DEFINITIONS_BODY = `#
# Your first agent, written by \`schemantic init\`: a support agent that looks orders up with one
# tool and answers with a structured reply. Edit it, or add more .yaml files beside it (a tool or
# type defined in one file is used from another by name or by $ref), then run
# \`npx schemantic generate\`.
spec: schemantic/v1
description: Order support, a first agent.

types:
  SupportReply:
    description: The agent's answer to the customer, and whether a person should follow up.
    type: object
    properties:
      reply: { type: string, minLength: 1, description: The answer to send to the customer. }
      order_id: { type: string, description: 'The order the question was about, if any.' }
      needs_human: { type: boolean, description: Whether a person from the support team should follow up. }
    required: [reply, needs_human]
    additionalProperties: false

tools:
  get_order_status:
    description: Look up the status of an order by its id.
    parameters:
      type: object
      properties:
        order_id: { type: string, minLength: 1, description: 'The order id, such as "A-1042".' }
      required: [order_id]
      additionalProperties: false
    returns:
      type: object
      properties:
        status: { enum: [pending, shipped, delivered, cancelled], description: Where the order is. }
        expected_delivery: { type: string, format: date, description: 'The expected delivery date (YYYY-MM-DD), once shipped.' }
      required: [status]
      additionalProperties: false

agents:
  ${AGENT.name}:
    description: Answers customers' questions about their orders.
    model: openai:gpt-4o-mini
    instructions: >-
      You help {{customer_name}} with questions about their orders. Look an order up with
      get_order_status before saying anything about it; never guess its status. If you cannot
      help, say so and set needs_human.
    context:
      type: object
      properties:
        customer_name: { type: string, description: How to address the customer. }
      required: [customer_name]
      additionalProperties: false
    tools: [get_order_status]
    output: { $ref: '#/types/SupportReply' }
    retries: 2
`;

/** `/`-separated path from `fromDir` to `to`, starting with `./` or `../` (as editors want it). */
function relativeRef(fromDir: string, to: string): string {
  const rel = path.relative(fromDir, to).split(path.sep).join('/');
  return rel.startsWith('../') || path.isAbsolute(rel) ? rel : `./${rel}`;
}

/** The definitions file written at `abs`, for a project rooted at `cwd`. */
export function definitionsText(cwd: string, abs: string): string {
  const meta = relativeRef(path.dirname(abs), path.join(cwd, META, 'definitions.schema.json'));
  return `# yaml-language-server: $schema=${meta}\n${DEFINITIONS_BODY}`;
}

/** schemantic.config.json, naming the folders as given (relative to the project). */
export function configText(schemas: string, out: string): string {
  return JSON.stringify({ $schema: `./${META}/config.schema.json`, schemas, out }, null, 2) + '\n';
}
