/** The question the markdown example asks unless told otherwise (the reference asks the same about Pydantic). */
export const DEFAULT_PROMPT = 'Show me a short example of using Schemantic.';
