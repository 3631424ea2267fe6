/** Prometheus's numbers as a person reads them; null (no data yet, or no Prometheus) is "—". */

export function cpu(cores: number | null | undefined): string {
  if (cores == null) return "—";
  return cores < 1 ? `${Math.round(cores * 1000)}m` : `${cores.toFixed(2)} cores`;
}

export function memory(bytes: number | null | undefined): string {
  if (bytes == null) return "—";
  const mib = bytes / 2 ** 20;
  return mib < 1024 ? `${mib.toFixed(0)} MiB` : `${(mib / 1024).toFixed(1)} GiB`;
}

export function time(iso: string | null | undefined): string {
  return iso ? new Date(iso).toLocaleTimeString() : "—";
}
