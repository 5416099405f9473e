/**
 * Rendering templates. Handlebars runs with escaping off, in strict mode (a missing field is an
 * error, not an empty string); templates use only `each`, `if` and the helpers below, and every
 * value reaches code through one of these helpers (a test checks the templates for that).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { assetRoot } from '../assets.js';
import { Code, commentLines, commentText, dataLiteral, identifier, propertyName, stringLiteral, UnsafeValueError } from './escape.js';

/** The helpers templates may call. */
export const TEMPLATE_HELPERS = ['id', 'ids', 'prop', 'str', 'data', 'doc', 'comment', 'code'] as const;

/**
 * A renderer of the `.hbs` templates in `dir`: one Handlebars environment, created on first use
 * with the helpers `registerHelpers` adds and the partials of `dir/partials` (those named in
 * `partials`, or every `.hbs` file there, sorted), and each template compiled once. Escaping is off
 * and strict mode on (a missing field is an error, not an empty string).
 */
export function templateRenderer(
  dir: string,
  registerHelpers: (hb: typeof Handlebars) => void,
  partials?: readonly string[],
): (name: string, view: object) => string {
  let env: typeof Handlebars | undefined;
  const compiled = new Map<string, Handlebars.TemplateDelegate>();
  const environment = (): typeof Handlebars => {
    if (env) return env;
    const hb = Handlebars.create();
    registerHelpers(hb);
    const folder = path.join(dir, 'partials');
    const names =
      partials ??
      readdirSync(folder)
        .sort()
        .filter((file) => file.endsWith('.hbs'))
        .map((file) => file.slice(0, -'.hbs'.length));
    for (const name of names) hb.registerPartial(name, readFileSync(path.join(folder, `${name}.hbs`), 'utf8'));
    env = hb;
    return hb;
  };
  return (name, view) => {
    let template = compiled.get(name);
    if (!template) {
      const source = readFileSync(path.join(dir, `${name}.hbs`), 'utf8');
      template = environment().compile(source, { noEscape: true, strict: true, knownHelpersOnly: false });
      compiled.set(name, template);
    }
    return template(view);
  };
}

const renderTemplate = templateRenderer(
  path.join(assetRoot(), 'templates'),
  (hb) => {
    hb.registerHelper('id', (name: unknown) => identifier(String(name)));
    hb.registerHelper('ids', (names: unknown) => (names as unknown[]).map((n) => identifier(String(n))).join(', '));
    hb.registerHelper('prop', (name: unknown) => propertyName(String(name)));
    hb.registerHelper('str', (value: unknown) => stringLiteral(String(value)));
    hb.registerHelper('data', (value: unknown) => dataLiteral(value));
    hb.registerHelper('comment', (text: unknown) => commentText(String(text)));
    hb.registerHelper('doc', (text: unknown) => {
      if (typeof text !== 'string' || text.trim() === '') return '';
      const lines = commentLines(text.trim());
      return `/**\n${lines.map((l) => (l === '' ? ' *' : ` * ${l}`)).join('\n')}\n */`;
    });
    hb.registerHelper('code', (value: unknown) => {
      if (!(value instanceof Code)) throw new UnsafeValueError('the code helper only takes generator-made code');
      return value.text.replace(/\n+$/, '');
    });
  },
  ['banner'],
);

/** Renders `templates/<name>.hbs` with a view model. */
export function render(name: string, view: object): string {
  return renderTemplate(name, view);
}
