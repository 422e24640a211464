/**
 * The user pool, locally: the plan's pool id, issuer and app client, with a signing key made at start.
 * It serves the pool's JWKS where the SDK's Cognito endpoint points (`/<poolId>/.well-known/jwks.json`)
 * and mints the tokens Cognito would issue (id or access, with scopes), for developers
 * (`tradai local token`) and the end-to-end tests.
 */
import { createSign, generateKeyPairSync, type KeyObject, randomUUID } from "node:crypto";
import * as http from "node:http";
import { listenOn, type PortReservation } from "../processes";
import type { IdentitySpec } from "../topology";

export interface TokenRequest {
  kind: "id" | "access";
  /** Access tokens only. */
  scopes?: string[];
  /** Seconds until expiry; negative for an already expired token. @default 3600 */
  expiresIn?: number;
  clientId?: string;
  sub?: string;
  email?: string;
  /** Another issuer (a token of a different user pool). */
  issuer?: string;
}

export interface LocalIdentity {
  url: string;
  spec: IdentitySpec;
  mint(request: TokenRequest): string;
  stop(): Promise<void>;
}

const b64 = (value: string | Buffer) => Buffer.from(value).toString("base64url");

function sign(payload: Record<string, unknown>, key: KeyObject, kid: string): string {
  const header = b64(JSON.stringify({ kid, alg: "RS256" }));
  const body = b64(JSON.stringify(payload));
  const signer = createSign("RSA-SHA256");
  signer.update(`${header}.${body}`);
  return `${header}.${body}.${signer.sign(key).toString("base64url")}`;
}

export async function startIdentity(spec: IdentitySpec, port: PortReservation): Promise<LocalIdentity> {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const kid = randomUUID();
  const jwks = { keys: [{ ...publicKey.export({ format: "jwk" }), kid, alg: "RS256", use: "sig" }] };
  const server = http.createServer((req, res) => {
    if (req.method === "GET" && req.url === `/${spec.userPoolId}/.well-known/jwks.json`) {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(jwks));
      return;
    }
    res.writeHead(404).end();
  });
  const url = await listenOn(server, port);
  return {
    url,
    spec,
    mint(request) {
      const now = Math.floor(Date.now() / 1000);
      const clientId = request.clientId ?? spec.clientIds[0] ?? "";
      const sub = request.sub ?? randomUUID();
      const common = {
        sub,
        iss: request.issuer ?? spec.issuer,
        token_use: request.kind,
        auth_time: now,
        iat: now,
        exp: now + (request.expiresIn ?? 3600),
        jti: randomUUID(),
        origin_jti: randomUUID(),
      };
      const payload =
        request.kind === "access"
          ? { ...common, client_id: clientId, scope: (request.scopes ?? []).join(" "), username: sub }
          : { ...common, aud: clientId, "cognito:username": sub, email: request.email ?? "dev@tradai.local" };
      return sign(payload, privateKey, kid);
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
