/**
 * The format checks of ajv-formats, for generated validators that check `format`.
 */
import formatsModule from 'ajv-formats/dist/formats.js';
import { commonDefault } from './common-default.js';

/** A format check of ajv-formats: a regular expression, a function, or an object with `validate`. */
export type FormatCheck = RegExp | ((value: string) => boolean) | { validate: RegExp | ((value: string) => boolean); compare?: unknown };

/** The format checks of ajv-formats ("full" mode). */
export const fullFormats: Readonly<Record<string, FormatCheck>> = commonDefault<{ fullFormats: Record<string, FormatCheck> }>(
  formatsModule,
  (m) => typeof (m as { fullFormats?: unknown }).fullFormats === 'object',
).fullFormats;
