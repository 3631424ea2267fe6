/** Why an attempt failed, in words safe to record (no URL path, no password), and whether to retry. */
export class DeliveryError extends Error {
  constructor(
    message: string,
    /** False: the receiver refused this delivery itself (HTTP 4xx, a refused address): not retried. */
    readonly retryable = true,
  ) {
    super(message);
    this.name = "DeliveryError";
  }

  /** A transport failure towards `where` (an origin or smtp://host:port). */
  static of(error: unknown, where: string): DeliveryError {
    if (error instanceof DeliveryError) return error;
    const e = error as NodeJS.ErrnoException;
    if (e?.name === "RefusedAddressError") return new DeliveryError(`${where}: ${e.message}`, false);
    if (e?.name === "TimeoutError" || e?.name === "AbortError")
      return new DeliveryError(`${where}: no answer in time`);
    return new DeliveryError(`${where}: ${e?.code ?? e?.message ?? String(error)}`);
  }
}
