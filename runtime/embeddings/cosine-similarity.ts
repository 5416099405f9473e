/** How alike two embeddings are. */
import { UserError } from '../contract/errors.js';

/**
 * The cosine of the angle between two vectors: 1 for the same direction, 0 for unrelated, -1 for
 * opposite. 0 when either is all zeros (the embedding of a text with no words), which has no
 * direction. Vectors of different lengths come from different models or settings: a `UserError`.
 */
export function cosineSimilarity(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) throw new UserError(`cannot compare vectors of ${a.length} and ${b.length} dimensions`);
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    dot += x * y;
    normA += x * x;
    normB += y * y;
  }
  if (normA === 0 || normB === 0) return 0;
  // Rounding can push the cosine of a vector with itself just past 1.
  return Math.max(-1, Math.min(1, dot / Math.sqrt(normA * normB)));
}
