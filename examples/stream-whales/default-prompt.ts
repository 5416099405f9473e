/** The question the whales example asks unless told otherwise (the reference's, for seven species: as many as the scripted model knows). */
export const DEFAULT_PROMPT = 'Generate me details of 7 species of whale.';
