/**
 * Heading anchors as GitHub (and most markdown previews) make them, so that a link to
 * `types.md#<anchor>` lands on the heading without any HTML anchor of ours.
 */

/** Makes the anchors of one page's headings, in order: a repeated slug gets `-1`, `-2`, ... */
export class Slugger {
  private readonly seen = new Map<string, number>();

  /** The anchor of the next heading with this text. */
  slug(heading: string): string {
    const base = heading
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
      .replace(/ /g, '-');
    let slug = base;
    while (this.seen.has(slug)) {
      const count = this.seen.get(base)! + 1;
      this.seen.set(base, count);
      slug = `${base}-${count}`;
    }
    this.seen.set(slug, 0);
    return slug;
  }
}
