/**
 * The long-lived responses (watches and followed logs) a server has open, so the fault switch
 * can cut every watch at once and shutdown can end them all.
 */
export type StreamKind = "watch" | "log";

/** Ends a stream: `abrupt` destroys the connection (as a crashed server would), else a clean end. */
export type StreamCloser = (abrupt: boolean) => void;

export class OpenStreams {
  private readonly streams = new Map<StreamCloser, StreamKind>();

  /** Registers a stream; the returned function unregisters it. */
  add(kind: StreamKind, close: StreamCloser): () => void {
    this.streams.set(close, kind);
    return () => this.streams.delete(close);
  }

  /** How many streams of one kind are open (a test checks that a client's hang-up ends its stream). */
  count(kind: StreamKind): number {
    let n = 0;
    for (const k of this.streams.values()) if (k === kind) n++;
    return n;
  }

  /** Abruptly ends every stream of one kind; returns how many there were. */
  drop(kind: StreamKind): number {
    const victims = [...this.streams].filter(([, k]) => k === kind).map(([close]) => close);
    for (const close of victims) {
      this.streams.delete(close);
      close(true);
    }
    return victims.length;
  }

  closeAll(): void {
    const all = [...this.streams.keys()];
    this.streams.clear();
    for (const close of all) close(false);
  }
}
