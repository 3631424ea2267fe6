/**
 * Certificates for one simulated cluster: its own CA, and a serving certificate signed by that CA
 * for the loopback names, so clients verify TLS through certificate-authority-data exactly as they
 * would against a real API server (nothing is skipped). ECDSA P-256 keeps generation fast enough
 * for 50 clusters at start-up.
 */
// @peculiar/x509 resolves its algorithms through tsyringe, which needs the Reflect metadata API.
import "reflect-metadata";
import { webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";

export interface ClusterTls {
  /** The cluster CA certificate (PEM): what a kubeconfig carries as certificate-authority-data. */
  caPem: string;
  /** The serving certificate (PEM), signed by the CA. */
  certPem: string;
  /** The serving key (PKCS#8 PEM). */
  keyPem: string;
  /** The CA's key (PKCS#8 PEM), to sign a rotated serving certificate; absent for given certificates. */
  caKeyPem?: string;
}

const ALGORITHM: webcrypto.EcKeyGenParams & webcrypto.EcdsaParams = {
  name: "ECDSA",
  namedCurve: "P-256",
  hash: "SHA-256",
};
const DAY_MS = 24 * 60 * 60 * 1000;

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

function serial(): string {
  // A positive 16-byte serial; the leading nibble stays below 8 so DER needs no sign byte.
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = bytes[0]! & 0x7f;
  return Buffer.from(bytes).toString("hex");
}

function pem(label: string, der: ArrayBuffer): string {
  const b64 = Buffer.from(der).toString("base64");
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

interface Ca {
  cert: x509.X509Certificate;
  keys: webcrypto.CryptoKeyPair;
}

async function generateCa(clusterName: string): Promise<Ca> {
  const keys = await webcrypto.subtle.generateKey(ALGORITHM, true, ["sign", "verify"]);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=${clusterName}-ca, O=fleetgraph-sim`,
    notBefore: new Date(Date.now() - DAY_MS), // tolerate small clock differences
    notAfter: new Date(Date.now() + 365 * DAY_MS),
    signingAlgorithm: ALGORITHM,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert, keys };
}

/** A serving certificate for 127.0.0.1, ::1 and localhost, signed by `ca`. */
async function issueServing(ca: Ca): Promise<ClusterTls> {
  const serverKeys = await webcrypto.subtle.generateKey(ALGORITHM, true, ["sign", "verify"]);
  const server = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `CN=kube-apiserver, O=fleetgraph-sim`,
    issuer: ca.cert.subject,
    notBefore: new Date(Date.now() - DAY_MS),
    notAfter: new Date(Date.now() + 365 * DAY_MS),
    signingAlgorithm: ALGORITHM,
    publicKey: serverKeys.publicKey,
    signingKey: ca.keys.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        { type: "ip", value: "127.0.0.1" },
        { type: "ip", value: "::1" },
        { type: "dns", value: "localhost" },
        { type: "dns", value: "kubernetes.default.svc" },
      ]),
      await x509.AuthorityKeyIdentifierExtension.create(ca.keys.publicKey),
    ],
  });
  const keyDer = await webcrypto.subtle.exportKey("pkcs8", serverKeys.privateKey);
  const caKeyDer = await webcrypto.subtle.exportKey("pkcs8", ca.keys.privateKey);
  return {
    caPem: ca.cert.toString("pem") + "\n",
    certPem: server.toString("pem") + "\n",
    keyPem: pem("PRIVATE KEY", keyDer),
    caKeyPem: pem("PRIVATE KEY", caKeyDer),
  };
}

/** Generates a CA and a serving certificate for 127.0.0.1, ::1 and localhost. */
export async function generateClusterTls(clusterName: string): Promise<ClusterTls> {
  return issueServing(await generateCa(clusterName));
}

/**
 * A new serving certificate signed by the same CA (a routine rotation: clients that trust the CA
 * keep working). Needs the CA's key, which `generateClusterTls` keeps.
 */
export async function renewServingCertificate(tls: ClusterTls): Promise<ClusterTls> {
  if (tls.caKeyPem === undefined)
    throw new Error("the cluster's CA key is not known: cannot sign a new certificate");
  const cert = new x509.X509Certificate(tls.caPem);
  const der = Buffer.from(tls.caKeyPem.replace(/-----[^-]+-----|\s/g, ""), "base64");
  const privateKey = await webcrypto.subtle.importKey("pkcs8", der, ALGORITHM, true, ["sign"]);
  const publicKey = await webcrypto.subtle.importKey("spki", cert.publicKey.rawData, ALGORITHM, true, [
    "verify",
  ]);
  return issueServing({ cert, keys: { privateKey, publicKey } });
}
