/**
 * The public edge, locally. The API Gateway proxy serves the planned stage (`/<stage>/...`): it matches
 * the planned methods, runs the planned authorizer, and forwards HTTP_PROXY integrations with their
 * request headers (the origin header) to the load balancer. The load balancer proxy applies the web ACL
 * associated with it (allow rules on exact header values, default block: 403) and routes by the
 * listener's rules to the services' local ports.
 */
import { randomUUID } from "node:crypto";
import * as http from "node:http";
import { listenOn, type PortReservation } from "../processes";
import type { ApiMethod, Topology } from "../topology";
import type { AuthorizerDecision } from "./authorizer";

export interface Gateway {
  url: string;
  stop(): Promise<void>;
}

function close(server: http.Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "transfer-encoding",
  "upgrade",
  "host",
  "content-length",
]);

async function forward(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  target: string,
  headers: Record<string, string>,
  body: Buffer,
): Promise<void> {
  const outgoing: Record<string, string> = {};
  for (const [key, value] of Object.entries(req.headers)) {
    if (!HOP_BY_HOP.has(key) && typeof value === "string") outgoing[key] = value;
  }
  Object.assign(outgoing, headers);
  try {
    const response = await fetch(target, {
      method: req.method ?? "GET",
      headers: outgoing,
      ...(body.length > 0 && req.method !== "GET" && req.method !== "HEAD" ? { body } : {}),
      redirect: "manual",
    });
    const responseHeaders: Record<string, string> = {};
    response.headers.forEach((value, key) => {
      if (!HOP_BY_HOP.has(key) && key !== "content-encoding") responseHeaders[key] = value;
    });
    res.writeHead(response.status, responseHeaders).end(Buffer.from(await response.arrayBuffer()));
  } catch (error) {
    res
      .writeHead(502, { "content-type": "application/json" })
      .end(JSON.stringify({ message: "Bad Gateway", detail: (error as Error).message }));
  }
}

/** Matches a request path against a planned resource path (`/v1/{proxy+}`); returns path parameters. */
export function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const parts = pattern.split("/").filter(Boolean);
  const actual = path.split("/").filter(Boolean);
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] ?? "";
    const greedy = /^\{(\w+)\+\}$/.exec(part);
    if (greedy?.[1]) {
      if (i >= actual.length) return undefined;
      params[greedy[1]] = actual.slice(i).join("/");
      return params;
    }
    const single = /^\{(\w+)\}$/.exec(part);
    if (i >= actual.length) return undefined;
    if (single?.[1]) params[single[1]] = actual[i] ?? "";
    else if (part !== actual[i]) return undefined;
  }
  return parts.length === actual.length ? params : undefined;
}

/** The REST API proxy event (payload 1.0) a Lambda proxy integration receives. */
function proxyEvent(
  req: http.IncomingMessage,
  url: URL,
  matched: { method: ApiMethod; params: Record<string, string> },
  body: Buffer,
  claims: Record<string, unknown>,
  topology: Topology,
) {
  const headers = Object.fromEntries(
    Object.entries(req.headers).flatMap(([k, v]) => (typeof v === "string" ? [[k, v]] : [])),
  );
  const query = Object.fromEntries(url.searchParams.entries());
  const path = url.pathname.slice(topology.api.stageName.length + 1);
  return {
    resource: matched.method.path,
    path,
    httpMethod: req.method ?? "GET",
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: Object.keys(query).length > 0 ? query : null,
    multiValueQueryStringParameters: null,
    pathParameters: Object.keys(matched.params).length > 0 ? matched.params : null,
    stageVariables: null,
    requestContext: {
      accountId: topology.accountId,
      resourcePath: matched.method.path,
      httpMethod: req.method ?? "GET",
      stage: topology.api.stageName,
      path: url.pathname,
      requestId: randomUUID(),
      requestTimeEpoch: Date.now(),
      identity: {
        sourceIp: req.socket.remoteAddress ?? "127.0.0.1",
        userAgent: req.headers["user-agent"] ?? null,
      },
      authorizer: { claims },
    },
    body: body.length > 0 ? body.toString("utf8") : null,
    isBase64Encoded: false,
  };
}

export async function startApiGateway(options: {
  topology: Topology;
  port: PortReservation;
  /** The planned load balancer host -> the local load balancer proxy's address. */
  albUrl: string;
  /** Value of every header the plan keeps secret (the origin header). */
  originSecret: string;
  /** Invokes a planned function (AWS_PROXY integrations). */
  invoke: (functionArn: string, event: unknown) => Promise<unknown>;
  authorize: (
    method: ApiMethod,
    headers: Record<string, string | string[] | undefined>,
  ) => Promise<AuthorizerDecision>;
  log: (line: string) => void;
}): Promise<Gateway> {
  const { topology } = options;
  const stagePrefix = `/${topology.api.stageName}`;
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://local");
    const json = (status: number, body: unknown) =>
      res
        .writeHead(status, {
          "content-type": "application/json",
          "x-amzn-errortype": status === 401 ? "UnauthorizedException" : "ForbiddenException",
        })
        .end(JSON.stringify(body));
    if (!url.pathname.startsWith(`${stagePrefix}/`)) return json(403, { message: "Forbidden" });
    const path = url.pathname.slice(stagePrefix.length);
    // API Gateway picks the most specific resource (literal before greedy), then the exact verb over ANY.
    const specificity = (m: ApiMethod) =>
      (m.path.includes("+}") ? 0 : 1000) + m.path.length * 2 + (m.httpMethod === "ANY" ? 0 : 1);
    let matched: { method: ApiMethod; params: Record<string, string> } | undefined;
    for (const method of [...topology.api.methods].sort((a, b) => specificity(b) - specificity(a))) {
      if (method.httpMethod !== "ANY" && method.httpMethod !== req.method) continue;
      const params = matchPath(method.path, path);
      if (params) {
        matched = { method, params };
        break;
      }
    }
    if (!matched) return json(403, { message: "Missing Authentication Token" });
    const decision = await options.authorize(matched.method, req.headers);
    if (!decision.allow) {
      options.log(`${req.method} ${url.pathname} -> ${decision.status} ${decision.message}`);
      return json(decision.status, { message: decision.message });
    }
    const integration = matched.method.integration;
    if (integration.type === "AWS_PROXY") {
      const body = await readBody(req);
      const functionArn = /functions\/(arn:[^/]+)\/invocations$/.exec(integration.uri)?.[1];
      if (!functionArn) return json(500, { message: `integration ${integration.uri} names no function` });
      options.log(`${req.method} ${url.pathname} -> ${functionArn}`);
      try {
        const event = proxyEvent(req, url, matched, body, decision.claims, topology);
        const result = (await options.invoke(functionArn, event)) as {
          statusCode?: number;
          headers?: Record<string, string>;
          body?: string;
          isBase64Encoded?: boolean;
        };
        const payload = result.isBase64Encoded
          ? Buffer.from(result.body ?? "", "base64")
          : (result.body ?? "");
        res.writeHead(result.statusCode ?? 200, result.headers ?? {}).end(payload);
      } catch {
        json(502, { message: "Internal server error" });
      }
      return;
    }
    if (integration.type !== "HTTP_PROXY")
      return json(500, { message: `integration ${integration.type} is not emulated` });
    let target = integration.uri;
    for (const [name, value] of Object.entries(matched.params)) target = target.replace(`{${name}}`, value);
    const planned = new URL(target);
    const local = new URL(
      `${planned.pathname}${url.search}`,
      planned.host === topology.alb.dnsName ? options.albUrl : planned.origin,
    );
    const headers = Object.fromEntries(
      Object.entries(integration.headers).map(([name, value]) => [
        name,
        value === "<secret>" ? options.originSecret : value,
      ]),
    );
    const body = await readBody(req);
    options.log(`${req.method} ${url.pathname} -> ${local.href}`);
    await forward(req, res, local.href, headers, body);
  });
  return { url: `${await listenOn(server, options.port)}${stagePrefix}`, stop: () => close(server) };
}

export async function startLoadBalancer(options: {
  topology: Topology;
  port: PortReservation;
  originSecret: string;
  /** Target group ARN -> local `host:port` of the service registered in it. */
  targetOf: (targetGroupArn: string) => string | undefined;
  log: (line: string) => void;
}): Promise<Gateway> {
  const { alb } = options.topology;
  const allowed = (req: http.IncomingMessage) =>
    alb.allowRules.some((rule) => {
      const expected = rule.value === "<secret>" ? options.originSecret : rule.value;
      return req.headers[rule.header] === expected;
    });
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://local");
    if (alb.defaultBlock && !allowed(req)) {
      options.log(`${req.method} ${url.pathname} -> 403 (web ACL default action: block)`);
      res
        .writeHead(403, { "content-type": "text/html" })
        .end(
          "<html><head><title>403 Forbidden</title></head><body><center><h1>403 Forbidden</h1></center></body></html>",
        );
      return;
    }
    const route = alb.routes.find(
      (r) =>
        r.pathPatterns.length === 0 ||
        r.pathPatterns.some((p) =>
          new RegExp(
            `^${p
              .replace(/[.+^${}()|[\]\\]/g, "\\$&")
              .replace(/\*/g, ".*")
              .replace(/\?/g, ".")}$`,
          ).test(url.pathname),
        ),
    );
    const target = route ? options.targetOf(route.targetGroupArn) : undefined;
    if (!target) {
      res
        .writeHead(503, { "content-type": "text/html" })
        .end("<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>");
      return;
    }
    await forward(req, res, `http://${target}${url.pathname}${url.search}`, {}, await readBody(req));
  });
  return { url: await listenOn(server, options.port), stop: () => close(server) };
}
