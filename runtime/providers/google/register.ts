/**
 * Importing `schemantic/google` registers the `google:` id prefix (`google:gemini-2.5-flash`) and
 * its alias `gemini:` (`gemini:gemini-2.5-flash`), both the Gemini API.
 */
import { registerModelProvider } from '../../models/registry.js';
import { GoogleModel } from './google-model.js';

for (const prefix of ['google', 'gemini']) registerModelProvider(prefix, (modelName) => GoogleModel.connect(modelName));
