/**
 * The object-rooted form of a schema, for MCP: `inputSchema` and `outputSchema` must have
 * `"type": "object"` at their root, and clients read `properties` there. Definitions often write
 * `parameters: { $ref: '#/types/Query' }` instead; that type is inlined at the root (annotations
 * written beside the `$ref` win over the type's, a `required` list beside it joins the type's), and
 * the types it reaches stay under `$defs` (the type itself too, when it is recursive).
 */
import { withDefs } from '../../compiler/ir/bundle.js';
import { acceptsOnlyObjects, refTarget } from '../../compiler/ir/refs.js';
import type { IRSchema, IRType } from '../../compiler/ir/types.js';
import { ANNOTATION_ONLY } from '../../compiler/schema/keywords.js';
import { isObject, type SchemaObject } from '../../compiler/schema/walk.js';
import { closureOf } from './defs.js';

/**
 * `schema` bundled with `"type": "object"` at its root, or undefined when it is not an object
 * schema (its root is neither `type: object` nor a `$ref` chain to a named type that is). The
 * result accepts exactly the values `schema` accepts.
 */
export function objectRoot(schema: IRSchema, types: ReadonlyMap<string, IRType>): SchemaObject | undefined {
  let node: unknown = schema.schema;
  for (let hops = 0; hops < 100 && isObject(node); hops++) {
    if (node['type'] === 'object') return withDefs(node, closureOf(node, types), types);
    const target = refTarget(node, types);
    if (target === undefined) return undefined;
    const { $ref: _ref, ...siblings } = node;
    if (isObject(target) && Object.keys(siblings).every((k) => ANNOTATION_ONLY.has(k) || k === 'required')) {
      node = inlined(target, siblings);
      continue;
    }
    // Other keywords beside the `$ref` (`properties`, `minProperties`) could change meaning if
    // merged into the type's own (its `additionalProperties` would see the new properties); the
    // root keeps its `$ref` and states the type the referenced chain already guarantees, which
    // changes nothing it accepts. A `type` written there must allow objects: the chain admits
    // nothing else, so narrowing it to `object` is as lossless as adding it.
    const { type: declared, ...rest } = node;
    if (declared !== undefined && !(Array.isArray(declared) && declared.includes('object'))) return undefined;
    if (!acceptsOnlyObjects(target, types)) return undefined;
    const root = { type: 'object', ...rest };
    return withDefs(root, closureOf(root, types), types);
  }
  return undefined;
}

/**
 * `target` with the keywords written beside a `$ref` to it: annotations replace the type's, and a
 * `required` list joins the type's (both lists apply to the `$ref`, so their union is the same
 * constraint; `required` does not interact with any other keyword).
 */
function inlined(target: SchemaObject, siblings: SchemaObject): SchemaObject {
  const { required, ...annotations } = siblings;
  const out: SchemaObject = { ...target, ...annotations };
  if (Array.isArray(required)) {
    const own = Array.isArray(target['required']) ? (target['required'] as unknown[]) : [];
    out['required'] = [...new Set([...own, ...required])];
  }
  return out;
}
