/**
 * References to named types, as the comparison sees them: a schema that is `{"$ref": "#/$defs/Name"}`
 * (with or without sibling keywords) stands for the type `Name`, which each side resolves.
 */
import { isSchemaObject, refName } from '../schema/json-kinds.js';

/**
 * The named type a schema node refers to (`Name` of `#/$defs/Name`, pointer escapes decoded);
 * undefined when the node is no such reference. The generator's IR only holds references of
 * this form, to names that need no escaping, so both halves read them alike.
 */
export function typeRef(node: unknown): string | undefined {
  return isSchemaObject(node) ? refName(node['$ref']) : undefined;
}
