/**
 * The type of one embedding: a list of numbers whose length, when known, is part of its type, so
 * that a 768-number vector cannot be stored where the definitions say 1536. It is a type only:
 * at run time an embedding is a plain array, and its length is checked where vectors enter (an
 * embedder asked for a size checks every answer; a generated validator checks `minItems` and
 * `maxItems`).
 */

/**
 * The brand carrying the size. Declared, never created: it exists only for the type checker, and
 * a unique symbol cannot be written by hand, so only a checked source can produce a sized vector.
 */
declare const dimensionsBrand: unique symbol;

/**
 * An embedding of `N` numbers. `Embedding<1536>` is what an embedder made with `dimensions: 1536`
 * returns and what a definitions type marked `x-embedding` with 1536 items is declared as; an
 * `Embedding<768>` is not assignable to it, nor is a plain `number[]` (validate it first). With
 * no size (`Embedding`, or `Embedding<number>`), any readonly list of numbers is one.
 */
export type Embedding<N extends number = number> = number extends N ? readonly number[] : readonly number[] & { readonly [dimensionsBrand]: N };
