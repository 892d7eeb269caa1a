// The change feed as Server-Sent Events: gap-free and in order, across replicas, and resumed
// with Last-Event-ID after the server it followed was killed and another one started.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import {
  checkAuditEventData, createDatabase, createToken, EventStream, requirement, RestClient, Server,
} from './harness.mjs';

let db;
let token;
const servers = [];

before(() => {
  db = createDatabase('watch');
  token = createToken(db.url, 'grc-platform', 'admin');
});

after(async () => {
  for (const server of servers) await server.stop('SIGKILL');
  db?.drop();
});

async function start() {
  const server = await Server.start(db.url);
  servers.push(server);
  return server;
}

// `count` changes through `server`, each one audit event.
async function write(server, count, label) {
  const rest = new RestClient(server.http, token);
  for (let i = 0; i < count; i++) {
    const response = await rest.patch(`/v1/${requirement('5.1.d')}`, { notes: `${label} ${i}` });
    assert.equal(response.status, 200);
  }
}

// Reads events until `last` has been seen; every event's id is its sequence, checked.
async function readUntil(stream, last, seen) {
  while (seen.length === 0 || Number(seen.at(-1).sequence) < last) {
    const event = await stream.next(15000);
    if (event === null) return false;
    const auditEvent = checkAuditEventData(event.data);
    assert.equal(event.id, auditEvent.sequence);
    seen.push(auditEvent);
  }
  return true;
}

// Reads what is left of a stream whose server is gone.
async function drain(stream, seen) {
  for (;;) {
    let event;
    try {
      event = await stream.next(5000);
    } catch {
      return;
    }
    if (event === null) return;
    const auditEvent = checkAuditEventData(event.data);
    assert.equal(event.id, auditEvent.sequence);
    seen.push(auditEvent);
  }
}

function assertGapFreeChain(events, total) {
  assert.deepEqual(events.map((e) => Number(e.sequence)),
    Array.from({ length: total }, (_, i) => i + 1), 'every event once, in order');
  for (let i = 1; i < events.length; i++) {
    assert.equal(events[i].prevHash, events[i - 1].hash, `chain at ${events[i].sequence}`);
  }
}

test('a stream follows writes made through another replica, in order', async () => {
  const [a, b] = [await start(), await start()];
  const stream = await EventStream.open(a.http, '/v1/auditEvents:watch?afterSequence=0', { token });
  assert.equal(stream.status, 200);
  const writes = write(b, 20, 'replica');
  const seen = [];
  assert.ok(await readUntil(stream, 21, seen), 'the stream ended early');
  await writes;
  stream.close();
  assertGapFreeChain(seen, 21);
});

test('killed mid-stream, the feed resumes on a new server from Last-Event-ID, no gap, no repeat',
  async () => {
    const first = servers[0];
    const total = () => 21 + 30 + 30;
    const stream = await EventStream.open(first.http, '/v1/auditEvents:watch?afterSequence=0', { token });
    const seen = [];
    assert.ok(await readUntil(stream, 21, seen));
    const writes = write(servers[1], 30, 'before the kill');
    assert.ok(await readUntil(stream, 30, seen));
    await first.stop('SIGKILL');  // mid-delivery: writes through the other replica go on
    await drain(stream, seen);  // what had reached the client still counts; then it is gone
    await writes;
    const replacement = await start();
    await write(replacement, 30, 'after the restart');
    // As EventSource reconnects: the same URL, and the last id it saw.
    const resumed = await EventStream.open(replacement.http,
      '/v1/auditEvents:watch?afterSequence=0', { token, lastEventId: seen.at(-1).sequence });
    assert.equal(resumed.status, 200);
    const upTo = seen.length;
    assert.ok(await readUntil(resumed, total(), seen));
    resumed.close();
    assert.ok(seen.length > upTo);
    assertGapFreeChain(seen, total());
  });
