// What the REST tests share: a database of their own on the test PostgreSQL, the real
// compliance-server started on port 0, tokens made with its admin command, and a fetch client
// that checks every request and response against docs/openapi.json with openapi-backend.
//
// Environment (set by ctest): PROJECT_ROOT, COMPLIANCE_SERVER_BINARY, TEST_DATABASE_URL.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export const root = process.env.PROJECT_ROOT;
const serverBinary = process.env.COMPLIANCE_SERVER_BINARY;
const adminUrl = process.env.TEST_DATABASE_URL;
assert.ok(root && serverBinary && adminUrl,
  'set PROJECT_ROOT, COMPLIANCE_SERVER_BINARY and TEST_DATABASE_URL (ctest does)');
const tools = createRequire(`${root}/.tools/node_modules/`);

// The caller's COMPLIANCE_* settings must not change how the server behaves here.
function cleanEnv(extra) {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('COMPLIANCE_') && key !== 'DATABASE_URL') env[key] = value;
  }
  return { ...env, ...extra };
}

function psql(sql) {
  execFileSync('psql', [adminUrl, '-qAtX', '-v', 'ON_ERROR_STOP=1', '-c', sql]);
}

/** A fresh database, dropped by drop(). */
export function createDatabase(label) {
  const name = `rest_${label}_${process.pid}_${Math.floor(Math.random() * 1e9)}`;
  psql(`CREATE DATABASE ${name}`);
  return {
    url: adminUrl.replace(/dbname=\S+/, `dbname=${name}`),
    drop: () => psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

/** Runs a compliance-server admin command against the database; its stdout. */
export function admin(databaseUrl, ...args) {
  return execFileSync(serverBinary, args, {
    env: cleanEnv({ DATABASE_URL: databaseUrl }),
    stdio: ['ignore', 'pipe', 'pipe'],
  }).toString().trim();
}

/** A token of `role` (and `--source` limits), made as operators make them. */
export function createToken(databaseUrl, name, role, sources = []) {
  admin(databaseUrl, 'migrate');
  return admin(databaseUrl, 'token', 'create', '--name', name, '--role', role,
    ...sources.flatMap((source) => ['--source', source]));
}

/**
 * A test file's world: a fresh database, tokens made on it ({name: [role, sources]}) and a
 * server serving it with `env` added to its environment. Call in before(); stop() in after()
 * ends the server and drops the database.
 */
export async function serveFresh(label, tokens, env = {}) {
  const db = createDatabase(label);
  const made = {};
  for (const [name, [role, sources = []]] of Object.entries(tokens)) {
    made[name] = createToken(db.url, name, role, sources);
  }
  const server = await Server.start(db.url, env);
  return {
    db,
    server,
    tokens: made,
    async stop() {
      await server.stop();
      db.drop();
    },
  };
}

/** The real server, started on port 0; `http` is its REST base URL. */
export class Server {
  static async start(databaseUrl, env = {}) {
    const child = spawn(serverBinary, ['serve'], {
      env: cleanEnv({
        DATABASE_URL: databaseUrl,
        COMPLIANCE_LISTEN: '127.0.0.1:0',
        COMPLIANCE_METRICS_LISTEN: '127.0.0.1:0',
        COMPLIANCE_HTTP_LISTEN: '127.0.0.1:0',
        COMPLIANCE_ALLOW_UNSIGNED_AUDIT: 'true',
        COMPLIANCE_SHUTDOWN_DELAY: '0',
        COMPLIANCE_HEALTH_INTERVAL: '0.2',
        ...env,
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const server = new Server(child);
    child.stderr.on('data', (chunk) => { server.log += chunk; });
    let announced = '';
    const listening = new Promise((resolve, reject) => {
      child.stdout.on('data', (chunk) => {
        announced += chunk;
        if (/listening on \S+\n/.test(announced)) resolve();
      });
      child.on('exit', (code) => reject(new Error(`the server exited (${code}): ${server.log}`)));
    });
    await listening;
    server.http = `http://${announced.match(/http on (\S+)\n/)[1]}`;
    server.metrics = `http://${announced.match(/metrics on (\S+)\n/)[1]}/metrics`;
    return server;
  }

  constructor(child) {
    this.child = child;
    this.log = '';
  }

  // A drained server exits 0; anything else (a sanitizer's report among them) fails the test.
  async stop(signal = 'SIGTERM') {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = once(this.child, 'exit');
    this.child.kill(signal);
    const [code] = await exited;
    if (signal === 'SIGTERM') assert.equal(code, 0, `the server exited ${code}: ${this.log}`);
  }
}

let api;
async function openApi() {
  if (!api) {
    const OpenAPIBackend = tools('openapi-backend').default;
    const addFormats = tools('ajv-formats').default;
    api = new OpenAPIBackend({
      definition: JSON.parse(readFileSync(`${root}/docs/openapi.json`, 'utf8')),
      quick: false,
      customizeAjv: (ajv) => addFormats(ajv),
    });
    await api.init();
  }
  return api;
}

// The operation docs/openapi.json has for a request; fails the test when there is none, or
// when a successful request is not one the document describes.
async function documented(method, url, headers, body, status) {
  const document = await openApi();
  const query = Object.fromEntries(url.searchParams);
  const request = { method, path: url.pathname, query, headers, body };
  const operation = document.matchOperation(request);
  assert.ok(operation, `docs/openapi.json has no operation for ${method} ${url.pathname}`);
  if (status < 400) {
    const checked = document.validateRequest(request, operation);
    assert.ok(checked.valid, `${method} ${url}: request not as documented: ` +
      JSON.stringify(checked.errors));
  }
  return operation;
}

/** Checks a response against the document: its status is listed and its body matches. */
export async function checkResponse(method, url, headers, requestBody, status, body) {
  const operation = await documented(method, url, headers, requestBody, status);
  const listed = Object.keys(operation.responses);
  assert.ok(listed.includes(String(status)) || listed.includes(`${Math.floor(status / 100)}XX`),
    `${method} ${url.pathname} answered ${status}, which docs/openapi.json does not list`);
  if (status === 304) return;
  const checked = (await openApi()).validateResponse(body, operation, status);
  assert.ok(checked.valid, `${method} ${url.pathname} ${status}: response not as documented: ` +
    `${JSON.stringify(checked.errors)}\n${JSON.stringify(body)}`);
}

/** fetch against the server, every exchange checked against docs/openapi.json. */
export class RestClient {
  constructor(base, token) {
    this.base = base;
    this.token = token;
  }

  async call(method, path, { body, headers = {}, token = this.token } = {}) {
    const url = new URL(this.base + path);
    const sent = { ...headers };
    if (token) sent.authorization = `Bearer ${token}`;
    let text;
    if (body !== undefined) {
      sent['content-type'] = 'application/json';
      text = typeof body === 'string' ? body : JSON.stringify(body);
    }
    const response = await fetch(url, { method, headers: sent, body: text });
    const raw = await response.text();
    const json = raw ? JSON.parse(raw) : undefined;
    await checkResponse(method, url, sent, body, response.status, json);
    return { status: response.status, body: json, headers: response.headers };
  }

  get(path, options) { return this.call('GET', path, options); }
  post(path, body, options = {}) { return this.call('POST', path, { ...options, body }); }
  patch(path, body, options = {}) { return this.call('PATCH', path, { ...options, body }); }
}

export const requirement = (id) => `frameworks/iso27001-2022/requirements/${id}`;

/** A Server-Sent Events stream read with fetch, as a browser's EventSource would see it. */
export class EventStream {
  static async open(base, path, { token, lastEventId } = {}) {
    const controller = new AbortController();
    const headers = { accept: 'text/event-stream' };
    if (token) headers.authorization = `Bearer ${token}`;
    if (lastEventId !== undefined) headers['last-event-id'] = String(lastEventId);
    const url = new URL(base + path);
    const response = await fetch(url, { headers, signal: controller.signal });
    const stream = new EventStream(response, controller);
    if (response.status !== 200) {
      const text = await response.text();
      stream.error = JSON.parse(text);
      await checkResponse('GET', url, headers, undefined, response.status, stream.error);
    } else {
      await checkResponse('GET', url, headers, undefined, 200, '');
      assert.match(response.headers.get('content-type'), /^text\/event-stream/);
    }
    return stream;
  }

  constructor(response, controller) {
    this.status = response.status;
    this.controller = controller;
    this.reader = response.status === 200 ? response.body.getReader() : null;
    this.decoder = new TextDecoder();
    this.buffer = '';
  }

  /** The next event ({id, event, data}); comments are skipped; null when the stream ends. */
  async next(timeoutMs = 10000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const end = this.buffer.indexOf('\n\n');
      if (end >= 0) {
        const block = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end + 2);
        const event = { event: 'message', data: '' };
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) continue;
          const colon = line.indexOf(':');
          const field = line.slice(0, colon);
          const value = line.slice(colon + 1).replace(/^ /, '');
          event[field] = field === 'data' && event.data ? `${event.data}\n${value}` : value;
        }
        if (block.split('\n').every((line) => line.startsWith(':'))) continue;
        return event;
      }
      const left = deadline - Date.now();
      assert.ok(left > 0, 'no event within the time allowed');
      let timer;
      const chunk = await Promise.race([
        this.reader.read(),
        new Promise((_, reject) => { timer = setTimeout(() => reject(new Error('no event in time')), left); }),
      ]).finally(() => clearTimeout(timer));
      if (chunk.done) return null;
      this.buffer += this.decoder.decode(chunk.value, { stream: true });
    }
  }

  close() { this.controller.abort(); }
}

let auditEventSchema;
/** Checks an event's data (a WatchAuditEventsResponse) against the AuditEvent schema. */
export function checkAuditEventData(data) {
  if (!auditEventSchema) {
    const Ajv = tools('ajv').default;
    const addFormats = tools('ajv-formats').default;
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    const document = JSON.parse(readFileSync(`${root}/docs/openapi.json`, 'utf8'));
    auditEventSchema = ajv.compile({
      $ref: '#/components/schemas/compliance.v1.AuditEvent',
      components: document.components,
    });
  }
  const message = JSON.parse(data);
  assert.ok(auditEventSchema(message.auditEvent),
    `event data not as documented: ${JSON.stringify(auditEventSchema.errors)}`);
  return message.auditEvent;
}
