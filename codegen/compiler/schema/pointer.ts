/**
 * Reading values by JSON pointer.
 */
import { fromPointer } from '../problems.js';
import { isObject } from './walk.js';

/** The value under one pointer segment (an array index or an own property), or undefined. */
export function child(value: unknown, segment: string): unknown {
  return Array.isArray(value) ? value[Number(segment)] : isObject(value) && Object.hasOwn(value, segment) ? value[segment] : undefined;
}

/**
 * The value at a JSON pointer, or undefined. When nothing is there, `onMissing` (if given) is told
 * the first segment that was missing and the value it was missing from.
 */
export function valueAt(root: unknown, pointer: string, onMissing?: (segment: string, parent: unknown) => void): unknown {
  let value = root;
  for (const segment of fromPointer(pointer)) {
    const next = child(value, segment);
    if (next === undefined) {
      onMissing?.(segment, value);
      return undefined;
    }
    value = next;
  }
  return value;
}
