/**
 * Production mode (docs/security.md): introspection off and unexpected errors masked. The
 * config's `production` decides; without it NODE_ENV=production turns the mode on, the
 * convention Apollo Server and most Node servers follow (and the gateway's image sets it).
 */
import type { ProductionSettings } from "../config/index.js";

export interface ProductionMode {
  introspection: boolean;
  maskErrors: boolean;
}

const DEVELOPMENT: ProductionMode = { introspection: true, maskErrors: false };
const PRODUCTION: ProductionMode = { introspection: false, maskErrors: true };

export function resolveProductionMode(
  setting: boolean | ProductionSettings | undefined,
  nodeEnv: string | undefined = process.env.NODE_ENV,
): ProductionMode {
  if (setting === undefined) return nodeEnv === "production" ? PRODUCTION : DEVELOPMENT;
  if (typeof setting === "boolean") return setting ? PRODUCTION : DEVELOPMENT;
  return {
    introspection: setting.introspection ?? PRODUCTION.introspection,
    maskErrors: setting.maskErrors ?? PRODUCTION.maskErrors,
  };
}
