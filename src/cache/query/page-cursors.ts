/**
 * A page's cursors, encoded when first read. Most answers select neither `edges.cursor` nor
 * `pageInfo`'s cursors, and encoding one (JSON, then base64) costs more than finding the item.
 * Every list page (cached, STRONG, resources, clusters) carries its cursors this way.
 */
import type { PageInfo } from "./types.js";

export interface PageCursors {
  readonly length: number;
  /** The cursor of the item at `index`, undefined past the end. */
  at(index: number): string | undefined;
}

/** Cursors made by `encode(i)` for i in [0, length), each once, when first asked for. */
export class LazyCursors implements PageCursors {
  private readonly made: (string | undefined)[] = [];

  constructor(
    readonly length: number,
    private readonly encode: (index: number) => string,
  ) {}

  at(index: number): string | undefined {
    if (index < 0 || index >= this.length || !Number.isInteger(index)) return undefined;
    return (this.made[index] ??= this.encode(index));
  }
}

/** Relay's PageInfo whose start and end cursors are read from the page's cursors on demand. */
export class LazyPageInfo implements PageInfo {
  constructor(
    readonly hasNextPage: boolean,
    readonly hasPreviousPage: boolean,
    private readonly cursors: PageCursors,
  ) {}

  get startCursor(): string | null {
    return this.cursors.at(0) ?? null;
  }

  get endCursor(): string | null {
    return this.cursors.at(this.cursors.length - 1) ?? null;
  }
}
