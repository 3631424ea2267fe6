/** The gateway's audit trail as its JSON-lines sink writes it, read back by tests. */
import { readFile } from "node:fs/promises";

/** One record of the file, the fields tests look at. */
export interface AuditLine {
  operation: string;
  outcome: string;
  user: string;
  cluster?: string;
  namespace?: string;
  resource?: string;
  reason?: string;
}

/** Every record shipped to `file` so far; none while the file does not exist yet. */
export async function auditLinesOf(file: string): Promise<AuditLine[]> {
  const text = await readFile(file, "utf8").catch(() => "");
  return text
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as AuditLine);
}
