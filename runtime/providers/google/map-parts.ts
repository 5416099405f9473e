/**
 * Gemini parts as neutral response parts, shared by the plain and the streaming call.
 *
 * Thought signatures: Gemini signs its reasoning and wants each signature back on the part it came
 * with (on Gemini 3, a function call without its signature is refused). A thought part keeps its
 * signature on its thinking part. Any other part (text, a function call) that carries one is
 * followed by a signature-only thinking part (`content: ''`, the signature, provider `google`);
 * map-request.ts puts that signature back on the part before it. So the neutral model needs no
 * field of Gemini's own, and a history moved to another provider simply drops those parts.
 */
import type { Part } from '@google/genai';
import type { ResponsePart, ThinkingPart } from '../../contract/messages.js';
import { jsonTextOf, jsonValueTooDeep } from '../../stream/json-depth.js';
import { expectObject, expectText, MalformedAnswer } from '../shared/provider-errors.js';

/** The thinking part that carries the signature of the part before it. */
export function signaturePart(signature: string): ThinkingPart {
  return { kind: 'thinking', content: '', signature, provider: 'google' };
}

/** Whether a thinking part only carries the signature of the part before it. */
export function isSignatureOnly(part: ThinkingPart): part is ThinkingPart & { signature: string } {
  return part.provider === 'google' && part.content === '' && part.signature !== undefined;
}

/** Whether a Gemini part is a thought (reasoning text). */
export function isThought(part: Part): boolean {
  return part.thought === true && typeof part.text === 'string';
}

/**
 * The tool call of a `functionCall` part. Gemini 2.x gives calls no id: one is made from the
 * response id and the call's position, so it is stable and unique within the history.
 */
export function toolCallPart(part: Part & { functionCall: object }, makeId: () => string): ResponsePart {
  const call = part.functionCall as { name?: string; args?: Record<string, unknown>; id?: string };
  const args = call.args ?? {};
  // Arguments nested past the depth limit are kept as text: the run reads them as malformed JSON.
  return { kind: 'tool-call', toolName: call.name ?? '', args: jsonValueTooDeep(args) ? jsonTextOf(args) : args, toolCallId: call.id || makeId() };
}

/** One Gemini part as neutral parts (none for kinds with no neutral form: code execution, media out). */
export function neutralParts(part: Part, makeId: () => string): ResponsePart[] {
  const out: ResponsePart[] = [];
  if (isThought(part)) {
    out.push({ kind: 'thinking', content: part.text!, ...(part.thoughtSignature ? { signature: part.thoughtSignature } : {}), provider: 'google' });
    return out;
  }
  if (typeof part.text === 'string' && part.text !== '') out.push({ kind: 'text', content: part.text });
  if (part.functionCall) out.push(toolCallPart(part as Part & { functionCall: object }, makeId));
  if (part.thoughtSignature) out.push(signaturePart(part.thoughtSignature));
  return out;
}

/** Throws MalformedAnswer unless a part has the fields its neutral parts are made of. */
export function checkPart(part: unknown, where: string): asserts part is Part {
  expectObject(part, where);
  expectText(part['text'], `${where}.text`);
  expectText(part['thoughtSignature'], `${where}.thoughtSignature`);
  const call = part['functionCall'];
  if (call === undefined || call === null) return;
  expectObject(call, `${where}.functionCall`);
  if (typeof call['name'] !== 'string') throw new MalformedAnswer(`${where}.functionCall.name is not a string`);
  expectText(call['id'], `${where}.functionCall.id`);
  if (call['args'] !== undefined && call['args'] !== null) expectObject(call['args'], `${where}.functionCall.args`);
}
