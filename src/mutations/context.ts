/** What the request context adds for mutations (the composition root fills it in). */
import type { MutationServices } from "./services.js";

export interface MutationContext {
  /** Absent where the server serves no mutations. */
  mutations?: MutationServices;
}
