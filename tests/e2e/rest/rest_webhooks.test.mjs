// Webhooks end to end: a real receiver verifies every delivery with the npm standardwebhooks
// library (as receivers do) and must get every event, in order, while it fails for a while,
// while the delivering server is killed with -9 and restarted, and when a second replica takes
// over. Nothing may be lost, and a duplicate must carry the same webhook-id (and body).
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { after, before, test } from 'node:test';

import {
  checkAuditEventData, createDatabase, createToken, requirement, RestClient, root, Server,
} from './harness.mjs';

const { Webhook } = createRequire(`${root}/.tools/node_modules/`)('standardwebhooks');

// Short leases, retries and pause so that the test sees them happen within seconds.
const fast = {
  COMPLIANCE_ALLOW_INSECURE_WEBHOOKS: 'true',
  COMPLIANCE_WEBHOOK_LEASE: '1.5',
  COMPLIANCE_WEBHOOK_RETRY_MIN: '0.05',
  COMPLIANCE_WEBHOOK_RETRY_MAX: '0.3',
  COMPLIANCE_WEBHOOK_TIMEOUT: '2',
  COMPLIANCE_WEBHOOK_PAUSE_AFTER: '5',
};

let db;
let admin;
let editor;
const servers = [];
let receiver;

/** The receiving end: verifies each delivery, answers as `mode` says, keeps what it took. */
class Receiver {
  static async start() {
    const self = new Receiver();
    self.http = createServer((request, response) => self.handle(request, response));
    self.http.listen(0, '127.0.0.1');
    await once(self.http, 'listening');
    self.url = `http://127.0.0.1:${self.http.address().port}/hooks/compliance?tenant=7`;
    return self;
  }

  constructor() {
    this.mode = 'ok';  // 'ok', 'fail' (500), or 'slow' (answer after 300 ms)
    this.secrets = [];
    this.taken = [];  // {id, sequence, body} of each 2xx answer, in arrival order
    this.attempts = 0;
    this.problems = [];
  }

  handle(request, response) {
    let raw = '';
    request.on('data', (chunk) => { raw += chunk; });
    request.on('end', () => {
      this.attempts++;
      // The secret comes in the creation's answer, and the first delivery can come before the
      // test has stored it: a receiver not set up yet turns deliveries away, to be retried.
      if (this.secrets.length === 0) {
        response.writeHead(503).end();
        return;
      }
      const verified = this.secrets.some((secret) => {
        try {
          new Webhook(secret).verify(raw, request.headers);
          return true;
        } catch {
          return false;
        }
      });
      if (!verified) this.problems.push(`signature did not verify: ${request.headers['webhook-id']}`);
      if (this.mode === 'fail') {
        response.writeHead(500, { 'retry-after': '0' }).end();
        return;
      }
      const answer = () => {
        const event = checkAuditEventData(JSON.stringify({ auditEvent: JSON.parse(raw) }));
        if (request.headers['webhook-id'] !== event.sequence) {
          this.problems.push(`webhook-id ${request.headers['webhook-id']} for ${event.sequence}`);
        }
        this.taken.push({
          id: request.headers['webhook-id'], sequence: Number(event.sequence), raw,
          headers: request.headers, path: request.url,
        });
        response.writeHead(204).end();
      };
      if (this.mode === 'slow') setTimeout(answer, 300); else answer();
    });
  }

  /** Waits until every sequence up to `last` was taken. */
  async awaitUpTo(last, timeoutMs = 30000) {
    const deadline = Date.now() + timeoutMs;
    while (!this.taken.some((t) => t.sequence === last)) {
      assert.ok(Date.now() < deadline, `event ${last} never arrived; ${this.summary()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  summary() {
    return `took ${this.taken.map((t) => t.sequence).join(',')}; problems: ${this.problems}`;
  }
}

async function start(env = fast) {
  const server = await Server.start(db.url, env);
  servers.push(server);
  return server;
}

// `count` changes through `server`, each one audit event; returns the sequence of the last,
// once it is sealed.
async function write(server, count, label) {
  const rest = new RestClient(server.http, editor);
  for (let i = 0; i < count; i++) {
    const response = await rest.patch(`/v1/${requirement('5.1.d')}`, { notes: `${label} ${i}` });
    assert.equal(response.status, 200);
  }
  const notes = JSON.stringify(`${label} ${count - 1}`);
  for (const deadline = Date.now() + 10000; Date.now() < deadline;) {
    const page = await new RestClient(server.http, admin)
      .get(`/v1/auditEvents?resource=${requirement('5.1.d')}&pageSize=1000`);
    const event = page.body.auditEvents.find((e) => e.afterJson.includes(notes));
    if (event) return Number(event.sequence);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.fail(`the event of ${notes} was never sealed`);
}

// Every event from `first` to `last` was taken, first arrivals in sequence order, and each
// duplicate carried the same id and the same body; events after `until` are not looked at.
function checkDelivered(first, last, until = Infinity) {
  assert.deepEqual(receiver.problems, []);
  const bodies = new Map();
  let newest = first - 1;
  for (const { id, sequence, raw } of receiver.taken) {
    if (sequence > until) continue;
    if (bodies.has(id)) {
      assert.equal(raw, bodies.get(id), `duplicate ${id} differs`);
      continue;
    }
    assert.equal(sequence, newest + 1, `out of order or gap: ${receiver.summary()}`);
    newest = sequence;
    bodies.set(id, raw);
  }
  assert.ok(newest >= last, `got up to ${newest}, wanted ${last}`);
}

const psql = (sql) => execFileSync('psql', [db.url, '-qAtX', '-c', sql]).toString().trim();

before(async () => {
  db = createDatabase('webhooks');
  admin = createToken(db.url, 'root', 'admin');
  editor = createToken(db.url, 'grc-team', 'editor');
  receiver = await Receiver.start();
});

after(async () => {
  for (const server of servers) await server.stop('SIGKILL');
  receiver?.http.close();
  db?.drop();
});

let hook;  // the subscription: {name, secret, first}

test('only an admin subscribes, to https or (with the flag) loopback http', async () => {
  const server = await start();
  const asEditor = await new RestClient(server.http, editor).post('/v1/webhooks', { url: receiver.url });
  assert.equal(asEditor.status, 403);
  const rest = new RestClient(server.http, admin);
  const remote = await rest.post('/v1/webhooks', { url: 'http://grc.example.com/hook' });
  assert.equal(remote.status, 400);
  assert.match(remote.body.message, /^webhook\.url: must be https/);
  assert.equal(remote.body.details[0].fieldViolations[0].field, 'webhook.url');

  const created = await rest.post('/v1/webhooks?requestId=hook-1', { url: receiver.url });
  assert.equal(created.status, 200);
  assert.match(created.body.secret, /^whsec_[A-Za-z0-9+/=]{40,}$/);
  assert.equal(created.body.webhook.state, 'WEBHOOK_STATE_ACTIVE');
  const again = await rest.post('/v1/webhooks?requestId=hook-1', { url: receiver.url });
  assert.equal(again.body.webhook.name, created.body.webhook.name, 'a retry is the same one');
  receiver.secrets = [created.body.secret];
  hook = {
    name: created.body.webhook.name,
    secret: created.body.secret,
    first: Number(created.body.webhook.deliveredSequence) + 1,
  };
  const last = await write(server, 20, 'in order');
  await receiver.awaitUpTo(last);
  checkDelivered(hook.first, last);
});

test('the secret is in no read and no audit event', async () => {
  const rest = new RestClient(servers[0].http, admin);
  const got = await rest.get(`/v1/${hook.name}`);
  const listed = await rest.get('/v1/webhooks');
  const events = await rest.get(`/v1/auditEvents?resource=${hook.name}`);
  assert.equal(events.body.auditEvents.length, 1, 'the creation, once');
  const key = hook.secret.slice('whsec_'.length);
  for (const answer of [got, listed, events]) {
    assert.equal(answer.status, 200);
    assert.ok(!JSON.stringify(answer.body).includes(key), 'the secret leaked');
  }
  assert.ok(!servers[0].log.includes(key), 'the secret is in the log');
  assert.equal(psql('SELECT count(*) FROM audit_events WHERE strpos(after_json || before_json, ' +
    `'${key}') > 0`), '0');
});

test('a receiver that answers 500 for a while gets everything once it recovers', async () => {
  receiver.mode = 'fail';
  const before = receiver.attempts;
  const last = await write(servers[0], 5, 'while failing');
  await new Promise((resolve) => setTimeout(resolve, 1500));
  assert.ok(receiver.attempts - before >= 3, 'retried, with backoff');
  const failing = await new RestClient(servers[0].http, admin).get(`/v1/${hook.name}`);
  assert.ok(failing.body.webhook.failedAttempts >= 1);
  assert.equal(failing.body.webhook.lastError, 'HTTP 500');
  receiver.mode = 'ok';
  await receiver.awaitUpTo(last);
  checkDelivered(hook.first, last);
  const recovered = await new RestClient(servers[0].http, admin).get(`/v1/${hook.name}`);
  assert.equal(recovered.body.webhook.failedAttempts, 0);
});

test('kill -9 mid-delivery: the restarted server resumes where it stopped', async () => {
  receiver.mode = 'slow';
  const from = receiver.taken.length;
  const last = await write(servers[0], 10, 'killed');
  while (receiver.taken.length < from + 2) await new Promise((resolve) => setTimeout(resolve, 20));
  await servers[0].stop('SIGKILL');
  receiver.mode = 'ok';
  const restarted = await start();
  await receiver.awaitUpTo(last);
  checkDelivered(hook.first, last);
  assert.ok(psql(`SELECT lease_owner FROM webhooks`).includes(`/${restarted.child.pid}/`));
});

test('a second replica takes over when the first one dies', async () => {
  const second = await start();
  const first = servers[1];
  let last = await write(first, 3, 'two replicas');
  await receiver.awaitUpTo(last);
  await first.stop('SIGKILL');
  last = await write(second, 5, 'taken over');
  await receiver.awaitUpTo(last);
  checkDelivered(hook.first, last);
  assert.ok(psql(`SELECT lease_owner FROM webhooks`).includes(`/${second.child.pid}/`));
});

test('a rotated secret signs from the rotation on, beside the old one', async () => {
  const server = servers[2];
  const rest = new RestClient(server.http, admin);
  const rotated = await rest.post(`/v1/${hook.name}:rotateSecret`, {});
  assert.equal(rotated.status, 200);
  assert.notEqual(rotated.body.secret, hook.secret);
  receiver.secrets = [rotated.body.secret, hook.secret];
  let events;  // the creation's and the rotation's, once the rotation is sealed
  while ((events = await rest.get(`/v1/auditEvents?resource=${hook.name}`)).body.auditEvents.length < 2) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const rotation = Number(events.body.auditEvents[1].sequence);
  const last = await write(server, 3, 'rotated');
  await receiver.awaitUpTo(last);
  checkDelivered(hook.first, last);
  // From the rotation's own event on, each delivery verifies with either secret alone.
  for (const secret of [rotated.body.secret, hook.secret]) {
    for (const { sequence, raw, headers } of receiver.taken) {
      if (sequence >= rotation) new Webhook(secret).verify(raw, headers);
    }
  }
  receiver.secrets = [rotated.body.secret];
});

test('failing past the limit pauses it, with the reason; resuming loses nothing', async () => {
  const server = servers[2];
  const rest = new RestClient(server.http, admin);
  receiver.mode = 'fail';
  const last = await write(server, 3, 'paused');
  let webhook;
  for (const deadline = Date.now() + 20000; Date.now() < deadline;) {
    webhook = (await rest.get(`/v1/${hook.name}`)).body.webhook;
    if (webhook.state === 'WEBHOOK_STATE_PAUSED') break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  assert.equal(webhook.state, 'WEBHOOK_STATE_PAUSED');
  assert.match(webhook.pauseReason, /deliveries failed over .*last error: HTTP 500/);
  const metrics = await (await fetch(server.metrics)).text();
  assert.match(metrics, new RegExp(`compliance_webhook_paused\\{webhook="${hook.name.slice(9)}"\\} 1`));
  assert.match(metrics, /compliance_webhook_deliveries_total\{result="failed"\} [1-9]/);
  receiver.mode = 'ok';
  const resumed = await rest.post(`/v1/${hook.name}:resume`, {});
  assert.equal(resumed.body.webhook.state, 'WEBHOOK_STATE_ACTIVE');
  await receiver.awaitUpTo(last);
  checkDelivered(hook.first, last);
});

test('an update moves the URL and filters on, the cursor staying', async () => {
  const server = servers[2];
  const rest = new RestClient(server.http, admin);
  const refused = await rest.patch(`/v1/${hook.name}`, { url: 'http://grc.example.com/v2' });
  assert.equal(refused.status, 400);
  assert.match(refused.body.message, /^webhook\.url: /);
  const moved = receiver.url.replace('/hooks/compliance', '/hooks/v2');
  const updated = await rest.patch(`/v1/${hook.name}?updateMask=url,resourcePrefix`,
    { url: moved, resourcePrefix: requirement('5.1.d') });
  assert.equal(updated.status, 200);
  assert.equal(updated.body.webhook.url, moved);
  const before = await write(server, 1, 'still here');  // then the update's own event is sealed
  await receiver.awaitUpTo(before);
  await new RestClient(server.http, editor).patch(`/v1/${requirement('5.1.a')}`, { notes: 'x' });
  const last = await write(server, 2, 'moved');
  await receiver.awaitUpTo(last);
  const update = Number((await rest.get(`/v1/auditEvents?resource=${hook.name}`))
    .body.auditEvents.at(-1).sequence);
  checkDelivered(hook.first, update - 1, update - 1);
  // From the update on: only events on 5.1.d, at the new URL.
  const after = receiver.taken.filter((t) => t.sequence >= update);
  assert.ok(after.every((t) => t.path.startsWith('/hooks/v2?')), receiver.summary());
  assert.ok(after.every((t) => JSON.parse(t.raw).resource === requirement('5.1.d')));
  assert.ok(after.some((t) => t.sequence === last) && after.some((t) => t.sequence === before));
  const deleted = await rest.call('DELETE', `/v1/${hook.name}`);
  assert.equal(deleted.status, 200);
  assert.equal((await rest.get(`/v1/${hook.name}`)).status, 404);
});

test('events its filter leaves out move the cursor too, recorded within a second', async () => {
  const server = servers[2];
  const rest = new RestClient(server.http, admin);
  const created = await rest.post('/v1/webhooks',
    { url: receiver.url, resourcePrefix: requirement('5.1.d') });
  assert.equal(created.status, 200);
  const { name } = created.body.webhook;
  const editing = new RestClient(server.http, editor);
  for (let i = 0; i < 5; i++) {
    const response = await editing.patch(`/v1/${requirement('5.1.a')}`, { notes: `left out ${i}` });
    assert.equal(response.status, 200);
  }
  let last = 0;
  let cursor = 0;
  // For events left out, the cursor is written at most once a second and with the lease's
  // renewal (every half second with this lease), not for each wake that finds only those.
  for (const deadline = Date.now() + 10000; Date.now() < deadline && (!last || cursor < last);) {
    const page = await rest.get(`/v1/auditEvents?resource=${requirement('5.1.a')}&pageSize=1000`);
    const event = page.body.auditEvents.find((e) => e.afterJson.includes('left out 4'));
    if (event) last = Number(event.sequence);
    cursor = Number((await rest.get(`/v1/${name}`)).body.webhook.deliveredSequence);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.ok(last > 0 && cursor >= last, `cursor ${cursor}, last event left out ${last}`);
  assert.ok(receiver.taken.every((t) => t.sequence < Number(created.body.webhook.deliveredSequence)
    || JSON.parse(t.raw).resource === requirement('5.1.d')), receiver.summary());
  assert.equal((await rest.call('DELETE', `/v1/${name}`)).status, 200);
});

test('without --allow-insecure-webhooks, http is refused naming webhook.url', async () => {
  const strict = await start({});
  const answer = await new RestClient(strict.http, admin).post('/v1/webhooks', { url: receiver.url });
  assert.equal(answer.status, 400);
  assert.match(answer.body.message, /^webhook\.url: must be https/);
});
